import type { AppState } from '../../events/app-state.js';
import { formatMs, html } from '../html.js';
import { layout, table, type PageContext } from './layout.js';

/** The charts of the page: the field of /api/streaming.json each one draws, and its title. */
const CHARTS: readonly { readonly field: string; readonly title: string }[] = [
  { field: 'inputRowsPerSecond', title: 'Input rows per second' },
  { field: 'processedRowsPerSecond', title: 'Processed rows per second' },
  { field: 'batchDurationMs', title: 'Batch duration (ms)' },
  { field: 'stateRows', title: 'State rows' },
];

/**
 * Streaming queries' micro-batches (`streaming-batch-progress` events), newest last: uPlot charts of input rate,
 * processing rate, batch duration and state rows over time (drawn by /static/charts.js from
 * /api/streaming.json), and the batches table, which is the same data as text.
 */
export function streamingPage(state: AppState, context: PageContext): string {
  const batches = state.batches;
  if (batches.length === 0) {
    return layout('Streaming', state, context, html`<p>No streaming query reported a batch.</p>`);
  }
  const rows = batches.map(
    (b) =>
      html`<tr>
        <td>${b.name ?? b.queryId}</td>
        <td class="n">${b.batchId}</td>
        <td class="n">${b.numInputRows}</td>
        <td class="n">${b.inputRowsPerSecond.toFixed(1)}</td>
        <td class="n">${b.processedRowsPerSecond.toFixed(1)}</td>
        <td class="n">${formatMs(b.batchDurationMs)}</td>
        <td class="n">${b.stateRows}</td>
      </tr>`,
  );
  const charts = CHARTS.map(
    (c) => html`<div class="chart" data-chart="${c.field}" data-title="${c.title}">${c.title}: needs scripts</div>`,
  );
  const body = html`<h2>Over time</h2>
    <div id="charts">${charts}</div>
    <h2>Batches</h2>
    ${table(['Query', 'Batch', 'Input rows', 'Input rows/s', 'Processed rows/s', 'Duration', 'State rows'], rows, 'batches')}`;
  return layout('Streaming', state, context, body, true);
}
