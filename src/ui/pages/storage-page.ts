import type { AppState } from '../../events/app-state.js';
import { formatBytes, html } from '../html.js';
import { layout, table, type PageContext } from './layout.js';

/**
 * The block store as of the latest job: shared memory used by cached partitions and shuffle outputs against
 * `memoryBytesMax`, each persisted dataset's partitions in memory and in spill files, the shuffle bytes tasks
 * spilled, and the checkpoints written with their sizes.
 */
export function storagePage(state: AppState, context: PageContext): string {
  const budget = state.app?.options['memoryBytesMax'];
  const storage = state.storage;
  const memory =
    storage === null
      ? html`<p id="memory">
          Memory budget (memoryBytesMax): ${typeof budget === 'number' ? formatBytes(budget) : 'unknown'}. No job
          reported the block store yet.
        </p>`
      : html`<dl id="memory">
          <dt>Memory budget (memoryBytesMax)</dt>
          <dd>${formatBytes(storage.memoryBytesMax)}</dd>
          <dt>Used by cached partitions</dt>
          <dd>${formatBytes(storage.cachedBytesInMemory)}</dd>
          <dt>Used by shuffle outputs</dt>
          <dd>${formatBytes(storage.shuffleBytesInMemory)}</dd>
          <dt>Used in all</dt>
          <dd>
            ${formatBytes(storage.cachedBytesInMemory + storage.shuffleBytesInMemory)}
            (${percent(storage.cachedBytesInMemory + storage.shuffleBytesInMemory, storage.memoryBytesMax)})
          </dd>
          <dt>Shuffle bytes spilled by tasks</dt>
          <dd>${formatBytes(state.spillBytes)}</dd>
          <dt>As of</dt>
          <dd>job ${storage.jobId}</dd>
        </dl>`;
  const cached = (storage?.datasets ?? []).map(
    (d) =>
      html`<tr>
        <td class="n">${d.datasetId}</td>
        <td>${d.label}</td>
        <td>${d.level}</td>
        <td class="n">${d.memoryPartitions}</td>
        <td class="n">${formatBytes(d.memoryBytes)}</td>
        <td class="n">${d.diskPartitions}</td>
        <td class="n">${formatBytes(d.diskBytes)}</td>
      </tr>`,
  );
  const checkpoints = state.checkpoints.map(
    (c) =>
      html`<tr>
        <td class="n">${c.nodeId}</td>
        <td>${c.checkpointKind}</td>
        <td>${c.dir ?? 'block store + local disk'}</td>
        <td class="n">${c.partitions}</td>
        <td class="n">${c.rows ?? ''}</td>
        <td class="n">${c.bytes === undefined || c.bytes === null ? '' : formatBytes(c.bytes)}</td>
        <td>${new Date(c.timeMs).toISOString()}</td>
      </tr>`,
  );
  const body = html`${memory}
    <h2>Cached datasets</h2>
    ${
      cached.length === 0
        ? html`<p>None cached.</p>`
        : table(['Dataset', 'Label', 'Level', 'In memory', 'Memory size', 'Spilled', 'Spill size'], cached, 'cached')
    }
    <h2>Checkpoints</h2>
    ${
      checkpoints.length === 0
        ? html`<p>None written.</p>`
        : table(['Dataset', 'Kind', 'Where', 'Partitions', 'Rows', 'Size', 'Written'], checkpoints, 'checkpoints')
    }`;
  return layout('Storage', state, context, body);
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(1)} % of the budget` : 'no budget';
}
