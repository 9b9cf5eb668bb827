import type { AppState } from '../../events/app-state.js';
import { formatBytes, html } from '../html.js';
import { layout, table, type PageContext } from './layout.js';

/** Checkpoints the application wrote, and its memory budget. */
export function storagePage(state: AppState, context: PageContext): string {
  const budget = state.app?.options['memoryBytesMax'];
  const rows = state.checkpoints.map(
    (c) =>
      html`<tr>
        <td class="n">${c.nodeId}</td>
        <td>${c.checkpointKind}</td>
        <td>${c.dir ?? 'block store + local disk'}</td>
        <td class="n">${c.partitions}</td>
        <td>${new Date(c.timeMs).toISOString()}</td>
      </tr>`,
  );
  const body = html`<p>
      Memory budget of cached partitions and shuffle outputs (memoryBytesMax):
      ${typeof budget === 'number' ? formatBytes(budget) : 'unknown'}. Cached-partition sizes are not in the event log
      yet.
    </p>
    <h2>Checkpoints</h2>
    ${rows.length === 0 ? html`<p>None written.</p>` : table(['Dataset', 'Kind', 'Where', 'Partitions', 'Written'], rows, 'checkpoints')}`;
  return layout('Storage', state, context, body);
}
