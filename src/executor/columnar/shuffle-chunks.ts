/**
 * Batches → pending chunks of a packed map output (storage/map-output-writer.ts). A chunk's sizes are counted when
 * it is added and its rows are gathered and written only when the output is filled, in place in its one buffer, so
 * a map task holds its partial result (the batch) and the output, not a copy of each chunk besides.
 */
import type { PendingChunk } from '../../storage/map-output-writer.js';
import type { PendingColumn } from '../../storage/block-layout.js';
import type { Batch, Column } from './batch.js';
import { pendingColumn } from './blocks.js';
import { pendingGatheredParts } from './gathered-column.js';

/**
 * Rows `rows` of `batch` (in that order) as a chunk of shape `object`. The batch must not change until the output
 * is filled (`MapOutputWriter.finish`).
 *
 * @example
 * writer.addChunk(chunkOfRows(batch, order.subarray(0, 100)), 0, counts.subarray(0, 8));
 */
export function chunkOfRows(batch: Batch, rows: Int32Array): PendingChunk {
  // Sized from the rows now and written from the batch when filled: no gathered copy of a column in between.
  const columns = batch.columns.map((column, c) => pendingGatheredColumn(batch.names[c]!, column, rows));
  return { shape: { kind: 'object', fields: [...batch.names] }, rows: rows.length, columns };
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

/**
 * Rows `rows` of `column` (in that order) as a pending block column, sized and written straight from the column:
 * no gathered copy of the column is made (a shuffle map output's chunk is sized when added and filled later).
 *
 * @example
 * const pending = pendingGatheredColumn('word', words, order.subarray(0, 100));
 */
export function pendingGatheredColumn(name: string, column: Column, rows: Int32Array): PendingColumn {
  return pendingGatheredParts(name, [{ column, rows }]);
}
