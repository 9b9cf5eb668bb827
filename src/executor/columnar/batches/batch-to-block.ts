/**
 * Column batches → blocks: a batch (or several, back to back) written as one committed block is one copy into one
 * exactly-sized buffer, with shape `object` so `decodeBlock` gives plain rows. String columns of few distinct values
 * are dictionary-coded when asked (a cached partition). The way back is `blocks.ts`.
 */
import type { Block } from '../../../protocol/block.js';
import {
  assembleBlock,
  bitmapBytes,
  type ColumnTarget,
  type PendingColumn,
} from '../../../storage/blocks/block-layout.js';
import { utf8Bytes, type Batch, type Column, type Utf8Column } from './batch.js';
import { concatBatches } from './concat-batches.js';
import { dictionaryOf } from './dictionary-column.js';
import { dictionaryPendingColumn, type Utf8Part } from '../caching/dictionary-encode.js';
import { dictionaryChunkColumn } from '../shuffle/shuffle-dictionary-chunk.js';

/**
 * One committed block holding `batch`: columns in order, shape `object` with the batch's names as fields (in a
 * plain ArrayBuffer when not `shared`: a block only copied into a packed map output).
 *
 * @example
 * decodeBlock(batchToBlock(batch)); // [{ word: 'a', count: 3 }, …]
 */
export function batchToBlock(batch: Batch, shared = true): Block {
  return batchesToBlock([batch], shared)!;
}

/**
 * One committed block holding the rows of `batches` in order, written straight from each batch (no concatenated
 * batch in between: a join's or a scan's output is copied once), or null when their columns do not agree in name
 * and type (then concatenate them first: `concatBatches` widens numbers and types all-null parts). With `codes`,
 * string columns whose parts are all dictionary-read keep their codes (`codesPassedOn`).
 *
 * @example
 * const block = batchesToBlock(outputs) ?? batchToBlock(concatBatches(outputs)!);
 */
export function batchesToBlock(
  batches: readonly Batch[],
  shared = true,
  dictionary = false,
  codes = false,
): Block | null {
  const first = batches[0]!;
  const rows = batches.reduce((sum, b) => sum + b.rows, 0);
  const pending: PendingColumn[] = [];
  for (let c = 0; c < first.columns.length; c++) {
    const name = first.names[c]!;
    const parts: Part[] = [];
    for (const batch of batches) {
      const column = batch.names[c] === name ? batch.columns[c]! : undefined;
      if (column === undefined || !sameType(column, first.columns[c]!)) return null;
      parts.push({ column, rows: batch.rows });
    }
    pending.push(pendingColumnOfParts(name, parts, rows, dictionary, codes));
  }
  return assembleBlock({ kind: 'object', fields: [...first.names] }, rows, pending, shared);
}

/**
 * One committed block of the rows of `batches` (a task's collected result, a cached partition): written from the
 * batches one after the other, concatenated first only when their column types differ. With `dictionary` (a
 * cached partition), string columns of few distinct values are stored dictionary-coded
 * (`caching/dictionary-encode.ts`); without it, columns of dictionary-read rows keep their codes (`codesPassedOn`: a
 * collected join answer).
 *
 * @example
 * const block = blockOfBatches([...evaluateColumnar(node, context, recordsOf)]);
 */
export function blockOfBatches(batches: readonly Batch[], dictionary = false): Block {
  const full = batches.filter((b) => b.rows > 0);
  const parts = full.length > 0 ? full : batches.slice(0, 1);
  if (parts.length === 0) return batchToBlock({ rows: 0, names: [], columns: [] });
  return (
    batchesToBlock(parts, true, dictionary, true) ?? batchesToBlock([concatBatches(parts)!], true, dictionary, true)!
  );
}

/** The first `rows` rows of a column. */
interface Part {
  readonly column: Column;
  readonly rows: number;
}

function sameType(a: Column, b: Column): boolean {
  if (a.type !== b.type) return false;
  return a.type !== 'timestamp' || (b.type === 'timestamp' && a.unit === b.unit && a.zone === b.zone);
}

/** One column of a batch as a pending block column (its first `rows` rows), written when the block is filled. */
export function pendingColumn(name: string, column: Column, rows: number): PendingColumn {
  return pendingColumnOfParts(name, [{ column, rows }], rows, false, false);
}

/**
 * The rows of several batches' columns of one name and type, back to back, as one pending block column
 * (dictionary-coded when asked and worth it).
 */
function pendingColumnOfParts(
  name: string,
  parts: readonly Part[],
  rows: number,
  dictionary: boolean,
  codes: boolean,
): PendingColumn {
  let nullCount = 0;
  for (const { column, rows: n } of parts) {
    const valid = column.valid;
    if (valid !== undefined) for (let i = 0; i < n; i++) nullCount += valid[i]! ^ 1;
  }
  const template = parts[0]!.column;
  const base = {
    name,
    nullCount,
    validityBytes: nullCount > 0 ? bitmapBytes(rows) : 0,
    timeZone: template.type === 'timestamp' ? template.zone : null,
  };
  /** Runs `write(column, n, at)` for each part, `at` its first row in the block. */
  const eachPart = (write: (column: Column, n: number, at: number) => void) => {
    let at = 0;
    for (const { column, rows: n } of parts) {
      write(column, n, at);
      at += n;
    }
  };
  const fillValidity = (target: ColumnTarget) => {
    if (target.validity === null) return;
    eachPart((column, n, at) => packBits(column.valid, n, at, target.validity!));
  };
  switch (template.type) {
    case 'utf8': {
      const coded = dictionary
        ? dictionaryPendingColumn(name, parts as readonly Utf8Part[], rows, nullCount, fillValidity)
        : codes
          ? codesPassedOn(name, parts as readonly Utf8Part[], rows)
          : null;
      if (coded !== null) return coded;
      let dataBytes = 0;
      for (const { column, rows: n } of parts) dataBytes += utf8Bytes(column as Utf8Column, n);
      return {
        ...base,
        type: 'utf8',
        hasOffsets: true,
        dataBytes,
        fill: (target) => {
          fillValidity(target);
          let byteAt = 0;
          eachPart((column, n, rowAt) => {
            byteAt = fillUtf8(column as Utf8Column, n, target.offsets!, rowAt, target.data!, byteAt);
          });
          target.offsets![rows] = byteAt;
        },
      };
    }
    case 'f64':
    case 'i32':
    case 'i64':
    case 'date':
      return {
        ...base,
        type: template.type === 'date' ? 'date32' : template.type,
        hasOffsets: false,
        dataBytes: rows * template.values.BYTES_PER_ELEMENT,
        fill: (target) => {
          fillValidity(target);
          const data = target.data!;
          eachPart((column, n, at) => {
            const values = (column as typeof template).values.subarray(0, n);
            const size = values.BYTES_PER_ELEMENT;
            data.set(new Uint8Array(values.buffer, values.byteOffset, n * size), at * size);
          });
        },
      };
    case 'timestamp':
      return {
        ...base,
        type: template.unit === 'ms' ? 'timestamp-ms' : 'timestamp-us',
        hasOffsets: false,
        dataBytes: rows * 8,
        fill: (target) => {
          fillValidity(target);
          const data = target.data!;
          const ticks = new BigInt64Array(data.buffer, data.byteOffset, rows);
          eachPart((column, n, at) => {
            const { values, valid } = column as typeof template;
            for (let i = 0; i < n; i++) {
              ticks[at + i] = valid !== undefined && valid[i] === 0 ? 0n : BigInt(values[i]!);
            }
          });
        },
      };
    case 'bool':
      return {
        ...base,
        type: 'bool',
        hasOffsets: false,
        dataBytes: bitmapBytes(rows),
        fill: (target) => {
          fillValidity(target);
          eachPart((column, n, at) => packBits((column as typeof template).values, n, at, target.data!));
        },
      };
  }
}

/**
 * Writes the bytes of the first `rows` strings of `column` at `data[byteAt…]` and their offsets at
 * `offsets[rowAt…]`; returns the byte after the last. Rows whose bytes lie back to back (a join's probe side, a
 * gathered run of a block) copy as one run.
 */
/**
 * Parts that are all dictionary-read (a join's or a filter's rows of cached low-cardinality strings) as a
 * `utf8-dict` column: their codes carried over and each string they use written once, instead of every row's
 * bytes (a collected join answer's id columns; `toArrow()` hands them on as Arrow dictionaries). Null when a part
 * is plain, or there are more parts than a chunk column takes.
 */
function codesPassedOn(name: string, parts: readonly Utf8Part[], rows: number): PendingColumn | null {
  if (parts.length > 256 || parts.some((p) => dictionaryOf(p.column) === undefined)) return null;
  const from = parts.length === 1 ? null : new Uint8Array(rows);
  const picked = new Int32Array(rows);
  let at = 0;
  parts.forEach(({ rows: n }, i) => {
    from?.fill(i, at, at + n);
    for (let r = 0; r < n; r++) picked[at + r] = r;
    at += n;
  });
  return dictionaryChunkColumn(
    name,
    parts.map((p) => p.column),
    from,
    picked,
  );
}

function fillUtf8(
  column: Utf8Column,
  rows: number,
  offsets: Int32Array,
  rowAt: number,
  data: Uint8Array,
  byteAt: number,
): number {
  const { bytes, starts, ends } = column;
  let at = byteAt;
  for (let i = 0; i < rows;) {
    const s = starts[i]!;
    let e = ends[i]!;
    offsets[rowAt + i++] = at;
    for (; i < rows && starts[i] === e; i++) {
      offsets[rowAt + i] = at + e - s;
      e = ends[i]!;
    }
    if (e - s > 64) data.set(bytes.subarray(s, e), at);
    else for (let k = s; k < e; k++) data[at + k - s] = bytes[k]!;
    at += e - s;
  }
  return at;
}

/** Sets bit `at + i` of `bits` (LSB first, Arrow's order) for every byte i that is 1 (all of them when absent). */
function packBits(bytes: Uint8Array | undefined, rows: number, at: number, bits: Uint8Array): void {
  for (let i = 0; i < rows; i++) {
    if (bytes === undefined || bytes[i] === 1) bits[(at + i) >>> 3] = bits[(at + i) >>> 3]! | (1 << ((at + i) & 7));
  }
}
