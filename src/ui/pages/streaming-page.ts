import type { AppState } from '../../events/app-state.js';
import { formatMs, html } from '../html.js';
import { layout, table, type PageContext } from './layout.js';

/** Streaming queries' micro-batches (`streaming-batch-progress` events), newest last, with an input-rate chart. */
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
  const body = html`<h2>Input rows per second</h2>
    ${lineChart(batches.map((b) => b.inputRowsPerSecond))}
    <h2>Batches</h2>
    ${table(['Query', 'Batch', 'Input rows', 'Input rows/s', 'Processed rows/s', 'Duration', 'State rows'], rows, 'batches')}`;
  return layout('Streaming', state, context, body);
}

function lineChart(values: readonly number[]): ReturnType<typeof html> {
  const width = 600;
  const height = 120;
  const max = Math.max(1, ...values);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`).join(' ');
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <polyline points="${points}" fill="none" stroke="#5b8def" stroke-width="2" />
  </svg>`;
}
