import type { AppState } from '../events/app-state.js';
import type { UnreadableLog } from '../events/event-log-reader.js';
import { formatMs, html } from './html.js';
import { environmentPage } from './pages/environment-page.js';
import { jobPage } from './pages/job-page.js';
import { jobsPage } from './pages/jobs-page.js';
import { table, type PageContext } from './pages/layout.js';
import { staticAsset } from './static-assets.js';
import { streamingSeries } from './streaming-json.js';
import { stagePage } from './pages/stage-page.js';
import { storagePage } from './pages/storage-page.js';
import { streamingPage } from './pages/streaming-page.js';

/** What the UI shows: one live application, or the applications of an event log directory (history). */
export interface UiSource {
  readonly live: boolean;
  apps(): ReadonlyMap<string, AppState>;
  /** History only: the logs that could not be read, listed under the applications. */
  unreadable?(): readonly UnreadableLog[];
}

/** A response: status, content type and body. */
export interface UiResponse {
  readonly status: number;
  readonly type: string;
  readonly body: string;
}

const HTML_TYPE = 'text/html; charset=utf-8';

/**
 * Maps a request path to a page. Live: `/jobs`, `/jobs/<id>`, `/stages/<id>`, `/storage`, `/streaming`,
 * `/environment`. History: `/` lists the applications and each one's pages live under `/history/<appId>/`.
 *
 * @example
 * route(source, new URL('http://127.0.0.1:4040/jobs/3')).body // the page of job 3
 */
export function route(source: UiSource, url: URL): UiResponse {
  const asset = staticAsset(url.pathname);
  if (asset !== null) return { status: 200, ...asset };
  const parts = url.pathname
    .split('/')
    .filter((p) => p !== '')
    .map(decodeURIComponent);
  const apps = source.apps();
  if (source.live) {
    const state = apps.values().next().value as AppState;
    return appRoute(state, { base: '', live: true }, parts, url.searchParams);
  }
  if (parts.length === 0)
    return { status: 200, type: HTML_TYPE, body: historyIndex(apps, source.unreadable?.() ?? []) };
  if (parts[0] !== 'history' || parts.length < 2) return notFound();
  const state = apps.get(parts[1]!);
  if (state === undefined) return notFound();
  const base = `/history/${encodeURIComponent(parts[1]!)}`;
  return appRoute(state, { base, live: false }, parts.slice(2), url.searchParams);
}

function appRoute(state: AppState, context: PageContext, parts: readonly string[], query: URLSearchParams): UiResponse {
  const [page, id] = parts;
  const number = id === undefined || !/^\d+$/.test(id) ? null : Number(id);
  const ok = (body: string) => ({ status: 200, type: HTML_TYPE, body });
  if (parts.length === 0 || (page === 'jobs' && id === undefined)) return ok(jobsPage(state, context));
  if (page === 'jobs' && number !== null) return ok(jobPage(state, context, number));
  if (page === 'stages' && number !== null) return ok(stagePage(state, context, number, query));
  if (parts.length === 1 && page === 'storage') return ok(storagePage(state, context));
  if (parts.length === 1 && page === 'streaming') return ok(streamingPage(state, context));
  if (parts.length === 1 && page === 'environment') return ok(environmentPage(state, context));
  if (parts.length === 2 && page === 'api' && id === 'streaming.json') {
    return { status: 200, type: 'application/json', body: JSON.stringify({ queries: streamingSeries(state) }) };
  }
  return notFound();
}

function notFound(): UiResponse {
  return { status: 404, type: 'text/plain; charset=utf-8', body: 'not found\n' };
}

function historyIndex(apps: ReadonlyMap<string, AppState>, unreadable: readonly UnreadableLog[]): string {
  const rows = [...apps.entries()].map(([appId, state]) => {
    const started = state.app === null ? null : state.jobs.values().next().value?.startMs;
    const jobs = [...state.jobs.values()];
    const failed = jobs.filter((j) => j.status === 'failed').length;
    return html`<tr>
      <td><a href="/history/${encodeURIComponent(appId)}/jobs">${appId}</a></td>
      <td>${started === undefined || started === null ? '' : new Date(started).toISOString()}</td>
      <td class="n">${jobs.length}</td>
      <td class="n">${failed}</td>
      <td>${state.ended ? 'finished' : 'incomplete'}</td>
      <td class="n">${formatMs(jobs.reduce((n, j) => n + (j.durationMs ?? 0), 0))}</td>
    </tr>`;
  });
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>Applications · kindling history</title>
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <header><strong>kindling history</strong></header>
        <main>
          <h1>Applications</h1>
          ${table(['Application', 'First job', 'Jobs', 'Failed jobs', 'Log', 'Job time'], rows, 'apps')}
          ${unreadable.length === 0 ? '' : unreadableLogs(unreadable)}
        </main>
      </body>
    </html> `.text;
}

function unreadableLogs(unreadable: readonly UnreadableLog[]) {
  const rows = unreadable.map(
    (log) =>
      html`<tr>
        <td>${log.appId}</td>
        <td>${log.files.join(', ')}</td>
        <td>${log.reason}</td>
      </tr>`,
  );
  return html`<h2>Logs that could not be read</h2>
    ${table(['Application', 'Files', 'Reason'], rows, 'unreadable')}`;
}
