import { AppState } from '../events/app-state.js';
import { readEventLogs } from '../events/event-log-reader.js';
import { UiServer } from './ui-server.js';

/** The states of every application logged in `dir`, by application id (oldest first). */
export function loadHistory(dir: string): Map<string, AppState> {
  const apps = new Map<string, AppState>();
  for (const log of readEventLogs(dir)) {
    const state = new AppState();
    for (const event of log.events) state.apply(event);
    apps.set(log.appId, state);
  }
  return apps;
}

/**
 * Serves the UI pages for the applications whose event logs are in `dir` (Spark's history server): the same pages
 * as the live UI, from the same fold of the same events. Logs are read once, at start.
 *
 * @example
 * const server = await startHistoryServer('logs', { port: 18080, host: '127.0.0.1' });
 */
export async function startHistoryServer(
  dir: string,
  where: { readonly port: number; readonly host: string },
): Promise<{ server: UiServer; apps: number }> {
  const apps = loadHistory(dir);
  const server = await UiServer.start({ live: false, apps: () => apps }, where);
  return { server, apps: apps.size };
}
