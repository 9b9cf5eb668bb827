/**
 * Batches → pending chunks of a packed map output (storage/map-output-writer.ts). A chunk's sizes are counted when
 * it is added and its rows are gathered and written only when the output is filled, in place in its one buffer, so
 * a map task holds its partial result (the batch) and the output, not a copy of each chunk besides.
 */
import { AssertionError } from '../../common/errors.js';
import type { PendingColumn } from '../../storage/block-layout.js';
import type { PendingChunk } from '../../storage/map-output-writer.js';
import { gatherColumn, type Batch } from './batch.js';
import { pendingColumn } from './blocks.js';

/**
 * Rows `rows` of `batch` (in that order) as a chunk of shape `object`. The batch must not change until the output
 * is filled (`MapOutputWriter.finish`).
 *
 * @example
 * writer.addChunk(chunkOfRows(batch, order.subarray(0, 100)), 0, counts.subarray(0, 8));
 */
export function chunkOfRows(batch: Batch, rows: Int32Array): PendingChunk {
  const count = rows.length;
  const columns = batch.columns.map((column, c): PendingColumn => {
    const name = batch.names[c]!;
    // Gathered once to size it (then dropped) and again when filled: two cheap passes instead of a held copy.
    const { fill: _unused, ...sizes } = pendingColumn(name, gatherColumn(column, rows, count), count);
    return {
      ...sizes,
      fill: (target) => {
        const gathered = pendingColumn(name, gatherColumn(column, rows, count), count);
        if (gathered.dataBytes !== sizes.dataBytes || gathered.validityBytes !== sizes.validityBytes) {
          throw new AssertionError(`chunkOfRows: column '${name}' changed size between sizing and filling`);
        }
        gathered.fill(target);
      },
    };
  });
  return { shape: { kind: 'object', fields: [...batch.names] }, rows: count, columns };
}

/**
 * All rows of `batch` as a chunk of shape `object`, written from the batch when the output is filled.
 *
 * @example
 * writer.addChunk(chunkOfBatch(batch), 0, [batch.rows]);
 */
export function chunkOfBatch(batch: Batch): PendingChunk {
  const columns = batch.columns.map((column, c) => pendingColumn(batch.names[c]!, column, batch.rows));
  return { shape: { kind: 'object', fields: [...batch.names] }, rows: batch.rows, columns };
}
