/**
 * Blocks → column batches, and records ⇄ batches for the RDD side. A block read as a batch is zero-copy (typed-array
 * views of its SharedArrayBuffer; a Utf8 column's starts and ends are its offsets shifted by one). Batches → blocks
 * is `batch-to-block.ts`.
 */
import { shapeColumnNames, type Block, type ColumnDescriptor } from '../../../protocol/block.js';
import { decodeBlockRows } from '../../../storage/blocks/block-reader.js';
import { verifyBlock } from '../../../storage/blocks/block-verify.js';
import { encodeBlock } from '../../../storage/blocks/block-writer.js';
import { dictionaryCodesOf } from '../../../storage/blocks/dictionary-codes.js';
import { type Batch, type Column } from './batch.js';
import { batchToBlock } from './batch-to-block.js';
import { dictionaryColumn } from './dictionary-column.js';
import { ColumnarError } from '../error.js';

/** Records per batch when records become columns. */
const RECORDS_PER_BATCH = 65_536;

/** One byte per bit (0 or 1) of bits [start, start + rows). */
function unpackBits(bits: Uint8Array, start: number, rows: number): Uint8Array {
  const bytes = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) bytes[i] = (bits[(start + i) >>> 3]! >>> ((start + i) & 7)) & 1;
  return bytes;
}

/**
 * The rows [start, end) of a committed block (all by default) as a batch of views (no copy but for booleans,
 * validity bitmaps and timestamps, which are unpacked), after checking its checksum and structure unless not
 * `verify`. A column of only nulls reads as float64 nulls. Throws `ColumnarError` `ERR_COLUMNAR_UNSUPPORTED` for
 * `v8`-serialized columns, which the columnar path does not take.
 *
 * @example
 * const batch = blockToBatch(block, 'shuffle input, block 3');
 */
export function blockToBatch(block: Block, where: string, verify = true, start = 0, end = block.rows): Batch {
  if (verify) verifyBlock(block, where);
  // A pair of pairs is two columns per split side in a block, but one value to a Dataset: `[[1, 2], 'x']` has a
  // key that is an array, which the columnar path does not take (as when the key was one v8 column).
  if (block.shape.kind === 'nested-pair') throw notColumnar(where, block.shape.keyPair ? 'key' : 'value');
  const names = shapeColumnNames(block.shape);
  const columns = block.columns.map((descriptor) => columnView(block, descriptor, where, start, end - start));
  return { rows: end - start, names, columns };
}

function columnView(block: Block, descriptor: ColumnDescriptor, where: string, start: number, rows: number): Column {
  const buffer = block.buffer;
  if (descriptor.type === 'null') {
    return { type: 'f64', values: new Float64Array(rows), valid: new Uint8Array(rows) };
  }
  const valid =
    descriptor.validity === null
      ? undefined
      : unpackBits(new Uint8Array(buffer, descriptor.validity.offset, descriptor.validity.length), start, rows);
  const data = descriptor.data!;
  switch (descriptor.type) {
    case 'utf8-dict': {
      const size = descriptor.dictionarySize!;
      const offsets = new Int32Array(buffer, descriptor.offsets!.offset, size + 1);
      const codes = dictionaryCodesOf(buffer, descriptor, start, rows);
      return dictionaryColumn(new Uint8Array(buffer, data.offset, data.length), offsets, size, codes, valid);
    }
    case 'utf8': {
      // Offsets index the whole column's bytes: a row range is a range of them, over the same bytes.
      const offsets = new Int32Array(buffer, descriptor.offsets!.offset + start * 4, rows + 1);
      return {
        type: 'utf8',
        bytes: new Uint8Array(buffer, data.offset, data.length),
        starts: offsets.subarray(0, rows),
        ends: offsets.subarray(1, rows + 1),
        valid,
      };
    }
    case 'f64':
      return { type: 'f64', values: new Float64Array(buffer, data.offset + start * 8, rows), valid };
    case 'i32':
      return { type: 'i32', values: new Int32Array(buffer, data.offset + start * 4, rows), valid };
    case 'i64':
      return { type: 'i64', values: new BigInt64Array(buffer, data.offset + start * 8, rows), valid };
    case 'date32':
      return { type: 'date', values: new Int32Array(buffer, data.offset + start * 4, rows), valid };
    case 'timestamp-ms':
    case 'timestamp-us': {
      const ticks = new BigInt64Array(buffer, data.offset + start * 8, rows);
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = Number(ticks[i]!);
      const unit = descriptor.type === 'timestamp-ms' ? 'ms' : 'us';
      return { type: 'timestamp', values, unit, zone: descriptor.timeZone ?? null, valid };
    }
    case 'bool':
      return {
        type: 'bool',
        values: unpackBits(new Uint8Array(buffer, data.offset, data.length), start, rows),
        valid,
      };
    case 'binary-v8':
      throw notColumnar(where, descriptor.name);
  }
}

function notColumnar(where: string, name: string): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_UNSUPPORTED',
    `${where}: column '${name}' holds values that are not numbers, bigints, strings or booleans; ` +
      'columnar datasets take those, dates and timestamps (use the RDD API for other values)',
  );
}

/**
 * Records (scalars, pairs or flat objects of numbers, bigints, strings, booleans and nulls) as batches of up to 65,536 rows,
 * through the block encoder's type inference.
 *
 * @example
 * for (const batch of recordsToBatches([{ x: 1 }, { x: 2 }])) console.log(batch.rows); // 2
 */
export function* recordsToBatches(records: Iterable<unknown>, where: string): Generator<Batch> {
  let chunk: unknown[] = [];
  for (const record of records) {
    chunk.push(record);
    if (chunk.length === RECORDS_PER_BATCH) {
      yield blockToBatch(encodeBlock(chunk), where, false);
      chunk = [];
    }
  }
  if (chunk.length > 0) yield blockToBatch(encodeBlock(chunk), where, false);
}

/**
 * The rows of batches as plain objects (`{ column: value, … }`), for RDD operations and partition actions.
 *
 * @example
 * [...batchesToRecords(batches)]; // [{ word: 'a', count: 3 }, …]
 */
export function* batchesToRecords(batches: Iterable<Batch>): Generator<unknown> {
  for (const batch of batches) {
    if (batch.rows === 0) continue;
    // A plain buffer: the block never leaves this thread. Decoded a chunk at a time, so the rows of a batch of
    // 100 k (a word count's reduce output) are not all alive at once: each is garbage once the next operator is done
    // with it, and dies young instead of being promoted with the rest of the batch.
    const block = batchToBlock(batch, false);
    for (let start = 0; start < block.rows; start += ROWS_PER_DECODE) {
      yield* decodeBlockRows(block, start, Math.min(block.rows, start + ROWS_PER_DECODE), 'columnar rows');
    }
  }
}

/** Rows of a batch decoded into records at a time by `batchesToRecords`. */
const ROWS_PER_DECODE = 4096;
