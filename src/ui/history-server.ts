import { AppState } from '../events/app-state.js';
import { readEventLogsSkippingUnreadable, type UnreadableLog } from '../events/event-log-reader.js';
import { UiServer } from './ui-server.js';

/** What a history view shows: the states of the applications it could read, and the logs it could not. */
export interface History {
  /** By application id, oldest first. */
  readonly apps: Map<string, AppState>;
  /** Logs left out because a line or a part could not be read, each with its file, line and reason. */
  readonly unreadable: readonly UnreadableLog[];
}

/**
 * The applications logged in `dir`. As in Spark's history server, one bad log (a line that is not an event of the
 * schema, in the middle of a file) does not hide the others: it is left out and listed in `unreadable`.
 */
export function loadHistory(dir: string): History {
  const { logs, unreadable } = readEventLogsSkippingUnreadable(dir);
  const apps = new Map<string, AppState>();
  for (const log of logs) {
    const state = new AppState();
    for (const event of log.events) state.apply(event);
    apps.set(log.appId, state);
  }
  return { apps, unreadable };
}

/**
 * Serves the UI pages for the applications whose event logs are in `dir` (Spark's history server): the same pages
 * as the live UI, from the same fold of the same events. Logs are read once, at start; the application list also
 * names the logs that could not be read, and why.
 *
 * @example
 * const { server, unreadable } = await startHistoryServer('logs', { port: 18080, host: '127.0.0.1' });
 */
export async function startHistoryServer(
  dir: string,
  where: { readonly port: number; readonly host: string },
): Promise<{ server: UiServer; apps: number; unreadable: readonly UnreadableLog[] }> {
  const { apps, unreadable } = loadHistory(dir);
  const server = await UiServer.start({ live: false, apps: () => apps, unreadable: () => unreadable }, where);
  return { server, apps: apps.size, unreadable };
}
