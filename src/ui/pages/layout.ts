import type { AppState } from '../../events/app-state.js';
import { html, type Html } from '../html.js';

/** How a page is served: where its links point, and whether it refreshes while the application runs. */
export interface PageContext {
  /** Path prefix of this application's pages: '' for the live UI, `/history/<appId>` in the history view. */
  readonly base: string;
  readonly live: boolean;
}

/** Seconds between reloads of a live page when scripts are off (with scripts, server-sent events update it). */
const LIVE_REFRESH_S = 2;

/**
 * The page shell: navigation, the application's status, and the body. A running application's page updates
 * itself: /static/live.js listens to the server's update events and swaps in the new page; with scripts off a
 * meta refresh reloads it every 2 s. `charts` adds uPlot and the chart script (the Streaming page).
 */
export function layout(title: string, state: AppState, context: PageContext, body: Html, charts = false): string {
  const { base } = context;
  const appId = state.app?.appId ?? 'unknown application';
  const status = state.ended ? 'finished' : context.live ? 'running' : 'incomplete log (no app-end)';
  const live = context.live && !state.ended;
  const refresh = live ? html`<noscript><meta http-equiv="refresh" content="${LIVE_REFRESH_S}" /></noscript>` : '';
  const chartAssets = charts
    ? html`<link rel="stylesheet" href="/static/uplot.css" />
        <script src="/static/uplot.js" defer></script>
        <script src="/static/charts.js" defer></script>`
    : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        ${refresh}
        <title>${title} · kindling</title>
        <link rel="stylesheet" href="/static/style.css" />
        <script src="/static/live.js" defer></script>
        ${chartAssets}
      </head>
      <body data-live="${String(live)}" data-base="${base}" data-version="${state.version}">
        <header>
          <strong>kindling</strong> <span class="app">${appId}</span> <span class="status">${status}</span>
          <nav>
            <a href="${base}/jobs">Jobs</a> <a href="${base}/storage">Storage</a>
            <a href="${base}/streaming">Streaming</a>
            <a href="${base}/environment">Environment</a>${context.live ? '' : html` <a href="/">Applications</a>`}
          </nav>
        </header>
        <main>
          <h1>${title}</h1>
          ${body}
        </main>
      </body>
    </html> `.text;
}

/** A table whose rows are already escaped fragments. */
export function table(headers: readonly (string | Html)[], rows: readonly Html[], id?: string): Html {
  return html`<table${id === undefined ? '' : html` id="${id}"`}><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${rows}</tbody></table>`;
}

/** The stylesheet, served as /static/style.css (the UI loads nothing from the internet). */
export const STYLE_CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#222}
header{background:#2b3a55;color:#fff;padding:8px 16px;display:flex;gap:16px;align-items:center}
header a{color:#cfe0ff;margin-right:12px}header .status{opacity:.8}main{padding:8px 16px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ccd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#eef}td.n{text-align:right;font-variant-numeric:tabular-nums}.failed{color:#b00}.succeeded{color:#070}
.running{color:#a60}pre{white-space:pre-wrap;background:#f6f6f8;padding:6px;margin:2px 0;max-width:100ch}
svg text{font:12px system-ui,sans-serif}dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px}
dt{font-weight:600}.chart{display:inline-block;margin:4px 16px 4px 0;min-width:640px;min-height:200px}`;
