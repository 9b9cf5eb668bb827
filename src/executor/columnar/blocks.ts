/**
 * Column batches ⇄ blocks, and ⇄ records for the RDD side. A block read as a batch is zero-copy (typed-array views
 * of its SharedArrayBuffer; a Utf8 column's starts and ends are its offsets shifted by one); a batch written as a
 * block is one copy into one exactly-sized buffer, with shape `object` so `decodeBlock` gives plain rows.
 */
import type { Block, ColumnDescriptor } from '../../protocol/block.js';
import { assembleBlock, bitmapBytes, type ColumnTarget, type PendingColumn } from '../../storage/block-layout.js';
import { decodeBlock } from '../../storage/block-reader.js';
import { verifyBlock } from '../../storage/block-verify.js';
import { encodeBlock } from '../../storage/block-writer.js';
import type { Batch, Column } from './batch.js';
import { ColumnarError } from './error.js';

/** Records per batch when records become columns. */
const RECORDS_PER_BATCH = 65_536;

/**
 * One committed block holding `batch`: columns in order, shape `object` with the batch's names as fields (in a
 * plain ArrayBuffer when not `shared`: a block only copied into a packed map output).
 *
 * @example
 * decodeBlock(batchToBlock(batch)); // [{ word: 'a', count: 3 }, …]
 */
export function batchToBlock(batch: Batch, shared = true): Block {
  const rows = batch.rows;
  const pending = batch.columns.map((column, c) => pendingColumn(batch.names[c]!, column, rows));
  return assembleBlock({ kind: 'object', fields: [...batch.names] }, rows, pending, shared);
}

/** One column of a batch as a pending block column (its first `rows` rows), written when the block is filled. */
export function pendingColumn(name: string, column: Column, rows: number): PendingColumn {
  const valid = column.valid;
  let nullCount = 0;
  if (valid !== undefined) for (let i = 0; i < rows; i++) nullCount += valid[i]! ^ 1;
  const base = {
    name,
    nullCount,
    validityBytes: nullCount > 0 ? bitmapBytes(rows) : 0,
    timeZone: column.type === 'timestamp' ? column.zone : null,
  };
  const fillValidity = (target: ColumnTarget) => {
    if (target.validity !== null) packBits(valid!, rows, target.validity);
  };
  switch (column.type) {
    case 'utf8': {
      const { bytes, starts, ends } = column;
      let dataBytes = 0;
      for (let i = 0; i < rows; i++) dataBytes += ends[i]! - starts[i]!;
      return {
        ...base,
        type: 'utf8',
        hasOffsets: true,
        dataBytes,
        fill: (target) => {
          fillValidity(target);
          const offsets = target.offsets!;
          const data = target.data!;
          let at = 0;
          for (let i = 0; i < rows; i++) {
            offsets[i] = at;
            const s = starts[i]!;
            const e = ends[i]!;
            if (e - s > 32) data.set(bytes.subarray(s, e), at);
            else for (let k = s; k < e; k++) data[at + k - s] = bytes[k]!;
            at += e - s;
          }
          offsets[rows] = at;
        },
      };
    }
    case 'f64':
    case 'i32':
    case 'i64':
    case 'date': {
      const values = column.values.subarray(0, rows);
      return {
        ...base,
        type: column.type === 'date' ? 'date32' : column.type,
        hasOffsets: false,
        dataBytes: values.byteLength,
        fill: (target) => {
          fillValidity(target);
          target.data!.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
        },
      };
    }
    case 'timestamp': {
      const values = column.values;
      return {
        ...base,
        type: column.unit === 'ms' ? 'timestamp-ms' : 'timestamp-us',
        hasOffsets: false,
        dataBytes: rows * 8,
        fill: (target) => {
          fillValidity(target);
          const data = target.data!;
          const ticks = new BigInt64Array(data.buffer, data.byteOffset, rows);
          for (let i = 0; i < rows; i++) {
            const v = values[i]!;
            ticks[i] = valid !== undefined && valid[i] === 0 ? 0n : BigInt(v);
          }
        },
      };
    }
    case 'bool': {
      const values = column.values;
      return {
        ...base,
        type: 'bool',
        hasOffsets: false,
        dataBytes: bitmapBytes(rows),
        fill: (target) => {
          fillValidity(target);
          packBits(values, rows, target.data!);
        },
      };
    }
  }
}

/** Sets bit i of `bits` (LSB first, Arrow's order) for every byte i that is 1. */
function packBits(bytes: Uint8Array, rows: number, bits: Uint8Array): void {
  for (let i = 0; i < rows; i++) if (bytes[i] === 1) bits[i >>> 3] = bits[i >>> 3]! | (1 << (i & 7));
}

/** One byte per bit (0 or 1) of bits [start, start + rows). */
function unpackBits(bits: Uint8Array, start: number, rows: number): Uint8Array {
  const bytes = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) bytes[i] = (bits[(start + i) >>> 3]! >>> ((start + i) & 7)) & 1;
  return bytes;
}

/** Column names of a block's rows: `value` for scalars, `key`/`value` for pairs, the fields of objects. */
function namesOf(block: Block): string[] {
  switch (block.shape.kind) {
    case 'scalar':
      return ['value'];
    case 'pair':
      return ['key', 'value'];
    case 'object':
      return [...block.shape.fields];
  }
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
  const names = namesOf(block);
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
      throw new ColumnarError(
        'ERR_COLUMNAR_UNSUPPORTED',
        `${where}: column '${descriptor.name}' holds values that are not numbers, bigints, strings or booleans; ` +
          'columnar datasets take those, dates and timestamps (use the RDD API for other values)',
      );
  }
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
    yield* decodeBlock(batchToBlock(batch), 'columnar rows');
  }
}
