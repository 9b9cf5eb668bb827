/**
 * Batches → pending chunks of a packed map output (storage/map-outputs/map-output-writer.ts). A chunk's sizes are counted when
 * it is added and its rows are gathered and written only when the output is filled, in place in its one buffer, so
 * a map task holds its partial result (the batch) and the output, not a copy of each chunk besides.
 */
import type { PendingChunk } from '../../../storage/map-outputs/map-output-writer.js';
import { bitmapBytes, type ColumnTarget, type PendingColumn } from '../../../storage/blocks/block-layout.js';
import { gatherColumn, type Batch, type Column, type Utf8Column } from '../batches/batch.js';
import { pendingColumn } from '../batches/batch-to-block.js';
import { pendingSourcesColumn } from './shuffle-sources-column.js';
import { dictionaryChunkColumn } from './shuffle-dictionary-chunk.js';
import { deferredBytesOf } from '../batches/deferred-bytes.js';

/**
 * Rows `rows` of `batch` (in that order) as a chunk of shape `object`. The batch must not change until the output
 * is filled (`MapOutputWriter.finish`). A dictionary-read string column goes dictionary-coded.
 *
 * @example
 * writer.addChunk(chunkOfRows(batch, order.subarray(0, 100)), 0, counts.subarray(0, 8));
 */
export function chunkOfRows(batch: Batch, rows: Int32Array): PendingChunk {
  return chunkOfSources([batch], null, rows);
}

/**
 * Row `rows[i]` of `batches[from[i]]` for each i (of `batches[0]` when `from` is null) as a chunk of shape
 * `object`: rows of several batches of one schema (`sameColumns`) go out without a concatenated copy of them.
 * The batches must not change until the output is filled.
 *
 * @example
 * writer.addChunk(chunkOfSources([grouped, passed], from, rows), 0, counts.subarray(0, 8));
 */
export function chunkOfSources(batches: readonly Batch[], from: Uint8Array | null, rows: Int32Array): PendingChunk {
  const first = batches[0]!;
  // Sized from the rows now and written from the batches when filled: no gathered copy of a column in between.
  const columns = first.columns.map((column, c) => {
    const name = first.names[c]!;
    if (column.type === 'utf8') {
      const strings = batches.map((batch) => batch.columns[c] as Utf8Column);
      const coded = dictionaryChunkColumn(name, strings, from, rows);
      if (coded !== null) return coded;
    }
    if (from === null) return pendingGatheredColumn(name, column, rows);
    return pendingSourcesColumn(
      name,
      batches.map((batch) => batch.columns[c]!),
      from,
      rows,
    );
  });
  return { shape: { kind: 'object', fields: [...first.names] }, rows: rows.length, columns };
}

/**
 * True when `batches` have the same column names and types (numbers not widened), none of them timestamps or
 * booleans, and are at most 256: then `chunkOfSources` takes them.
 */
export function sameColumns(batches: readonly Batch[]): boolean {
  const first = batches[0]!;
  if (batches.length > 256) return false;
  for (const batch of batches) {
    if (batch.columns.length !== first.columns.length) return false;
    for (let c = 0; c < first.columns.length; c++) {
      const type = first.columns[c]!.type;
      if (type === 'timestamp' || type === 'bool') return false;
      if (batch.names[c] !== first.names[c] || batch.columns[c]!.type !== type) return false;
    }
  }
  return true;
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
 * Timestamps and booleans, which a block packs differently, are gathered when filled.
 *
 * @example
 * const pending = pendingGatheredColumn('word', words, order.subarray(0, 100));
 */
export function pendingGatheredColumn(name: string, column: Column, rows: Int32Array): PendingColumn {
  const count = rows.length;
  const valid = column.valid;
  if (column.type === 'timestamp' || column.type === 'bool') {
    // Gathered once to size it (then dropped) and again when filled: two cheap passes instead of a held copy.
    const { fill: _unused, ...sizes } = pendingColumn(name, gatherColumn(column, rows, count), count);
    return { ...sizes, fill: (target) => pendingColumn(name, gatherColumn(column, rows, count), count).fill(target) };
  }
  let nullCount = 0;
  if (valid !== undefined) for (let i = 0; i < count; i++) nullCount += valid[rows[i]!]! ^ 1;
  const base = { name, nullCount, validityBytes: nullCount > 0 ? bitmapBytes(count) : 0, timeZone: null };
  const fillValidity = (target: ColumnTarget) => {
    const bits = target.validity;
    if (bits === null) return;
    for (let i = 0; i < count; i++)
      if (valid === undefined || valid[rows[i]!] === 1) bits[i >>> 3] = bits[i >>> 3]! | (1 << (i & 7));
  };
  if (column.type === 'utf8') {
    const { starts, ends } = column;
    let dataBytes = 0;
    for (let i = 0; i < count; i++) dataBytes += ends[rows[i]!]! - starts[rows[i]!]!;
    const deferred = deferredBytesOf(column);
    return {
      ...base,
      type: 'utf8',
      hasOffsets: true,
      dataBytes,
      fill: (target) => {
        fillValidity(target);
        const offsets = target.offsets!;
        const data = target.data!;
        // Bytes made for this block only (a median's lists): written in place, never made whole.
        if (deferred?.writeRows(rows, data) === true) {
          let at = 0;
          for (let i = 0; i < count; i++) {
            offsets[i] = at;
            at += ends[rows[i]!]! - starts[rows[i]!]!;
          }
          offsets[count] = at;
          return;
        }
        const bytes = column.bytes;
        let at = 0;
        for (let i = 0; i < count;) {
          const s = starts[rows[i]!]!;
          let e = ends[rows[i]!]!;
          offsets[i++] = at;
          // Rows whose bytes follow on (neighbours of one reduce partition, in input order) copy as one run.
          for (; i < count && starts[rows[i]!] === e; i++) {
            offsets[i] = at + e - s;
            e = ends[rows[i]!]!;
          }
          if (e - s > 64) data.set(bytes.subarray(s, e), at);
          else for (let k = s; k < e; k++) data[at + k - s] = bytes[k]!;
          at += e - s;
        }
        offsets[count] = at;
      },
    };
  }
  const from = column.values;
  return {
    ...base,
    type: column.type === 'date' ? 'date32' : column.type,
    hasOffsets: false,
    dataBytes: count * from.BYTES_PER_ELEMENT,
    fill: (target) => {
      fillValidity(target);
      const data = target.data!;
      if (from instanceof BigInt64Array) {
        const to = new BigInt64Array(data.buffer, data.byteOffset, count);
        for (let i = 0; i < count; i++) to[i] = from[rows[i]!]!;
      } else {
        const Typed = from.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => Float64Array;
        const to = new Typed(data.buffer, data.byteOffset, count);
        const values = from as Float64Array;
        for (let i = 0; i < count; i++) to[i] = values[rows[i]!]!;
      }
    },
  };
}
