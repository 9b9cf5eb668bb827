/**
 * Blocks ⇄ Apache Arrow record batches. A block already is an Arrow record batch laid out in a SharedArrayBuffer;
 * `blockToRecordBatch` only wraps views of it (no copy) so Arrow tools and IPC writers (spill files, checkpoints)
 * can use it. `recordBatchToBlock` copies a batch (for example one read back from an IPC file) into a new block.
 */
import type {
  Binary,
  Bool,
  DataType,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  Null,
  RecordBatch,
  Timestamp,
  Utf8,
  Data,
} from 'apache-arrow';
import { arrow } from './arrow-module.js';
import { InputError } from '../common/errors.js';
import {
  shapeColumnNames,
  type Block,
  type ColumnDescriptor,
  type ColumnType,
  type RecordShape,
} from '../protocol/block.js';
import { assembleBlock, bitmapBytes, type ColumnTarget, type PendingColumn } from './block-layout.js';
import { checkBlockStructure } from './block-structure.js';
import { dictionaryCodesOf, type DictionaryCodes } from './dictionary-codes.js';

/** Schema metadata key holding the record shape: `scalar`, `pair`, `nested-pair` or `object`. */
export const shapeMetadataKey = 'kindling.shape';
/** Field metadata key marking a Binary column whose values are `v8.serialize` payloads (value `v8`). */
export const encodingMetadataKey = 'kindling.encoding';

function arrowType(type: ColumnType, timeZone: string | null): DataType {
  const { Binary, Bool, DateDay, Float64, Int32, Int64, Null, TimeUnit, Timestamp, Utf8 } = arrow();
  switch (type) {
    case 'date32':
      return new DateDay();
    case 'timestamp-ms':
      return new Timestamp(TimeUnit.MILLISECOND, timeZone);
    case 'timestamp-us':
      return new Timestamp(TimeUnit.MICROSECOND, timeZone);
    case 'null':
      return new Null();
    case 'bool':
      return new Bool();
    case 'i32':
      return new Int32();
    case 'f64':
      return new Float64();
    case 'i64':
      return new Int64();
    case 'utf8':
    case 'utf8-dict':
      return new Utf8();
    case 'binary-v8':
      return new Binary();
  }
}

function columnData(block: Block, column: ColumnDescriptor, type: DataType): Data {
  const { makeData } = arrow();
  const { buffer, rows } = block;
  if (column.type === 'null') return makeData({ type: type as Null, length: rows });
  const nullBitmap =
    column.validity === null ? undefined : new Uint8Array(buffer, column.validity.offset, column.validity.length);
  const data = column.data!;
  const common = { length: rows, nullCount: column.nullCount, nullBitmap };
  switch (column.type) {
    case 'bool':
      return makeData({ ...common, type: type as Bool, data: new Uint8Array(buffer, data.offset, data.length) });
    case 'i32':
      return makeData({ ...common, type: type as Int32, data: new Int32Array(buffer, data.offset, rows) });
    case 'date32':
      return makeData({ ...common, type: type as DateDay, data: new Int32Array(buffer, data.offset, rows) });
    case 'timestamp-ms':
    case 'timestamp-us':
      return makeData({ ...common, type: type as Timestamp, data: new BigInt64Array(buffer, data.offset, rows) });
    case 'f64':
      return makeData({ ...common, type: type as Float64, data: new Float64Array(buffer, data.offset, rows) });
    case 'i64':
      return makeData({ ...common, type: type as Int64, data: new BigInt64Array(buffer, data.offset, rows) });
    case 'utf8-dict': {
      const { valueOffsets, data: bytes } = decodedDictionary(block, column);
      return makeData({ ...common, type: type as Utf8, valueOffsets, data: bytes });
    }
    case 'utf8':
    case 'binary-v8': {
      const valueOffsets = new Int32Array(buffer, column.offsets!.offset, rows + 1);
      const bytes = new Uint8Array(buffer, data.offset, data.length);
      return column.type === 'utf8'
        ? makeData({ ...common, type: type as Utf8, valueOffsets, data: bytes })
        : makeData({ ...common, type: type as Binary, valueOffsets, data: bytes });
    }
  }
}

/**
 * A `utf8-dict` column's rows as a plain Utf8 column's offsets and bytes (a copy). Arrow has a Dictionary type, but
 * an IPC file may not replace a dictionary between record batches, and every block (a spilled cached partition, a
 * checkpoint part, a `toArrow()` batch) has its own dictionary: decoded, every Arrow reader takes the batches as they
 * were before dictionary coding existed.
 */
function decodedDictionary(block: Block, column: ColumnDescriptor): { valueOffsets: Int32Array; data: Uint8Array } {
  const { buffer, rows } = block;
  const size = column.dictionarySize!;
  const dictionaryOffsets = new Int32Array(buffer, column.offsets!.offset, size + 1);
  const dictionary = new Uint8Array(buffer, column.data!.offset, column.data!.length);
  const codes = dictionaryCodesOf(buffer, column, 0, rows);
  const validity = column.validity === null ? null : new Uint8Array(buffer, column.validity.offset, bitmapBytes(rows));
  const isNull = (i: number) => validity !== null && ((validity[i >>> 3]! >>> (i & 7)) & 1) === 0;
  const valueOffsets = new Int32Array(rows + 1);
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    if (!isNull(i)) bytes += dictionaryOffsets[codes[i]! + 1]! - dictionaryOffsets[codes[i]!]!;
    valueOffsets[i + 1] = bytes;
  }
  const data = new Uint8Array(bytes);
  for (let i = 0; i < rows; i++) {
    const at = valueOffsets[i]!;
    if (valueOffsets[i + 1] === at) continue;
    const code = codes[i]!;
    data.set(dictionary.subarray(dictionaryOffsets[code]!, dictionaryOffsets[code + 1]!), at);
  }
  return { valueOffsets, data };
}

/**
 * A `utf8-dict` column as Arrow `Dictionary<Utf8>` data of `type` (whose index type is at least as wide as the
 * block's codes): the dictionary and the codes are views of the block, the codes widened (copied) only when `type`
 * asks for a wider index than the block stores.
 */
function dictionaryData(block: Block, column: ColumnDescriptor, type: Dictionary<Utf8>): Data {
  const { Utf8, makeData, makeVector } = arrow();
  const { buffer, rows } = block;
  const size = column.dictionarySize!;
  const dictionary = makeData({
    type: new Utf8(),
    length: size,
    nullCount: 0,
    valueOffsets: new Int32Array(buffer, column.offsets!.offset, size + 1),
    data: new Uint8Array(buffer, column.data!.offset, column.data!.length),
  });
  const stored = dictionaryCodesOf(buffer, column, 0, rows);
  const Codes = type.indices.ArrayType as new (from: ArrayLike<number> | number) => DictionaryCodes;
  const codes = stored instanceof Codes ? stored : new Codes(stored);
  const nullBitmap =
    column.validity === null ? undefined : new Uint8Array(buffer, column.validity.offset, column.validity.length);
  return makeData({
    type,
    length: rows,
    nullCount: column.nullCount,
    nullBitmap,
    data: codes,
    dictionary: makeVector(dictionary),
  });
}

/**
 * Wraps a block as an Arrow `RecordBatch` whose buffers are views of the block's SharedArrayBuffer (no copy, but
 * for a `utf8-dict` column, decoded into a plain Utf8 copy: see `decodedDictionary`; unless `dictionaries` gives
 * the column's index an Arrow `Dictionary<Utf8>` type: then it is one, as views, see `dictionaryData`).
 * Schema metadata `kindling.shape` records the shape; `binary-v8` columns carry field metadata
 * `kindling.encoding: v8`. WARNING: the batch aliases a committed block: never write through it.
 *
 * @example
 * const bytes = tableToIPC(new Table(blockToRecordBatch(block)), 'file');
 */
export function blockToRecordBatch(block: Block, dictionaries?: ReadonlyMap<number, Dictionary<Utf8>>): RecordBatch {
  const { Field, RecordBatch, Schema, Struct, makeData } = arrow();
  checkBlockStructure(block, 'blockToRecordBatch');
  const fields: Field[] = [];
  const children: Data[] = [];
  block.columns.forEach((column, c) => {
    const kept = column.type === 'utf8-dict' ? dictionaries?.get(c) : undefined;
    const type = kept ?? arrowType(column.type, column.timeZone ?? null);
    const metadata = column.type === 'binary-v8' ? new Map([[encodingMetadataKey, 'v8']]) : null;
    fields.push(new Field(column.name, type, column.type === 'null' || column.nullCount > 0, metadata));
    children.push(kept === undefined ? columnData(block, column, type) : dictionaryData(block, column, kept));
  });
  const schema = new Schema(fields, new Map([[shapeMetadataKey, block.shape.kind]]));
  const data = makeData({ type: new Struct(fields), length: block.rows, nullCount: 0, children });
  return new RecordBatch(schema, data);
}

/** The record shape a batch's schema declares; a batch without kindling metadata reads as flat objects. */
function shapeOf(batch: RecordBatch): RecordShape {
  const names = batch.schema.fields.map((field) => field.name);
  const declared = batch.schema.metadata.get(shapeMetadataKey) ?? 'object';
  // A nested pair's flags are its column names: `key.0` first for a pair key, `value.1` last for a pair value.
  const nested: RecordShape = {
    kind: 'nested-pair',
    keyPair: names[0] === 'key.0',
    valuePair: names[names.length - 1] === 'value.1',
  };
  const expected =
    declared === 'scalar'
      ? ['value']
      : declared === 'pair'
        ? ['key', 'value']
        : declared === 'nested-pair'
          ? shapeColumnNames(nested)
          : null;
  if (declared !== 'object' && expected === null) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `recordBatchToBlock: expected ${shapeMetadataKey} scalar, pair, nested-pair or object, found '${declared}'`,
    );
  }
  if (expected !== null && names.join('\u0000') !== expected.join('\u0000')) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `recordBatchToBlock: a ${declared} batch needs columns [${expected.join(', ')}], found [${names.join(', ')}]`,
    );
  }
  if (new Set(names).size !== names.length) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `recordBatchToBlock: duplicate column names in [${names.join(', ')}]`,
    );
  }
  if (declared === 'nested-pair') return nested;
  return declared === 'object' ? { kind: 'object', fields: names } : { kind: declared as 'scalar' | 'pair' };
}

/** The block column type an Arrow field maps to (the types `blockToRecordBatch` writes), or null for any other. */
export function blockColumnTypeOf(field: Field): ColumnType | null {
  const { DataType, DateUnit, Precision, TimeUnit } = arrow();
  const type: DataType = field.type;
  if (DataType.isNull(type)) return 'null';
  if (DataType.isBool(type)) return 'bool';
  if (DataType.isInt(type) && type.isSigned && type.bitWidth === 32) return 'i32';
  if (DataType.isInt(type) && type.isSigned && type.bitWidth === 64) return 'i64';
  if (DataType.isFloat(type) && type.precision === Precision.DOUBLE) return 'f64';
  if (DataType.isUtf8(type)) return 'utf8';
  if (DataType.isDate(type) && type.unit === DateUnit.DAY) return 'date32';
  if (DataType.isTimestamp(type) && type.unit === TimeUnit.MILLISECOND) return 'timestamp-ms';
  if (DataType.isTimestamp(type) && type.unit === TimeUnit.MICROSECOND) return 'timestamp-us';
  if (DataType.isBinary(type) && field.metadata.get(encodingMetadataKey) === 'v8') return 'binary-v8';
  return null;
}

/** Which block column type an Arrow field maps to, or an error naming what is supported. */
function columnTypeOf(field: Field): ColumnType {
  const columnType = blockColumnTypeOf(field);
  if (columnType !== null) return columnType;
  const type: DataType = field.type;
  throw new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `recordBatchToBlock: column '${field.name}' has Arrow type ${String(type)}; blocks hold Null, Bool, Int32, ` +
      `Int64, Float64, Utf8, Date32 (days), Timestamp (ms, µs), and Binary marked ${encodingMetadataKey}=v8`,
  );
}

/** Copies `rows` bits starting at bit `from` of `source` to bits [0, rows) of `target`. */
function copyBits(source: Uint8Array, from: number, rows: number, target: Uint8Array): void {
  if (from % 8 === 0) {
    target.set(source.subarray(from >>> 3, (from >>> 3) + bitmapBytes(rows)));
    // Bits past the last row may be set in the source; clear them so equal blocks have equal bytes.
    if (rows % 8 !== 0) target[target.length - 1]! &= (1 << (rows % 8)) - 1;
    return;
  }
  for (let i = 0; i < rows; i++) {
    const bit = from + i;
    if ((source[bit >>> 3]! >>> (bit & 7)) & 1) target[i >>> 3]! |= 1 << (i & 7);
  }
}

/** The offsets and bytes of an empty column that came without buffers. */
const NO_ROWS_OFFSETS = new Int32Array(1);
const NO_BYTES = new Uint8Array(0);

function pendingColumn(field: Field, data: Data): PendingColumn {
  const { DataType } = arrow();
  const type = columnTypeOf(field);
  const rows = data.length;
  const nullCount = type === 'null' ? rows : data.nullCount;
  const validityBytes = type !== 'null' && nullCount > 0 ? bitmapBytes(rows) : 0;
  const timeZone = DataType.isTimestamp(field.type) ? ((field.type as Timestamp).timezone ?? null) : null;
  const base = { name: field.name, type, nullCount, validityBytes, hasOffsets: false, timeZone };
  const fillValidity = (t: ColumnTarget) => {
    if (t.validity !== null) copyBits(data.nullBitmap as Uint8Array, data.offset, rows, t.validity);
  };
  switch (type) {
    case 'null':
      return { ...base, dataBytes: -1, fill: () => {} };
    case 'bool':
      return {
        ...base,
        dataBytes: bitmapBytes(rows),
        fill: (t) => (fillValidity(t), copyBits(data.values as Uint8Array, data.offset, rows, t.data!)),
      };
    case 'i32':
    case 'f64':
    case 'i64':
    case 'date32':
    case 'timestamp-ms':
    case 'timestamp-us': {
      // Fixed-width values are already sliced to the first row (apache-arrow's Data.slice).
      const typed = data.values as Int32Array | Float64Array | BigInt64Array | undefined;
      if (typed === undefined && rows > 0) {
        throw new InputError(
          'ERR_INPUT_INVALID_RECORD',
          `recordBatchToBlock: column '${field.name}' has ${rows} rows and no values buffer`,
        );
      }
      const values = typed === undefined ? NO_BYTES : typed.subarray(0, rows);
      return {
        ...base,
        dataBytes: values.byteLength,
        fill: (t) => (
          fillValidity(t),
          t.data!.set(new Uint8Array(values.buffer, values.byteOffset, values.byteLength))
        ),
      };
    }
    case 'utf8':
    case 'binary-v8': {
      // Offsets are sliced but not rebased: they index the unsliced data buffer. An empty column may come without
      // buffers (apache-arrow's batch of no rows for a table built from empty vectors).
      const offsets = (data.valueOffsets as Int32Array | undefined) ?? (rows === 0 ? NO_ROWS_OFFSETS : undefined);
      const bytes = (data.values as Uint8Array | undefined) ?? NO_BYTES;
      const first = offsets?.[0] ?? -1;
      const last = offsets?.[rows] ?? -1;
      if (offsets === undefined || offsets.length < rows + 1 || first < 0 || last < first || last > bytes.length) {
        throw new InputError(
          'ERR_INPUT_INVALID_RECORD',
          `recordBatchToBlock: column '${field.name}' has offsets outside its data`,
        );
      }
      return {
        ...base,
        hasOffsets: true,
        dataBytes: last - first,
        fill: (t) => {
          fillValidity(t);
          for (let i = 0; i <= rows; i++) t.offsets![i] = offsets[i]! - first;
          t.data!.set(bytes.subarray(first, last));
        },
      };
    }
    case 'utf8-dict':
      // blockColumnTypeOf never maps an Arrow field to it: blocks are dictionary-coded only when cached.
      throw new InputError(
        'ERR_INPUT_INVALID_RECORD',
        `recordBatchToBlock: column '${field.name}' is not a Utf8 column`,
      );
  }
}

/**
 * Copies an Arrow record batch into a new block. The batch's types must be among those `blockToRecordBatch`
 * produces (Null, Bool, Int32, Int64, Float64, Utf8, Binary with `kindling.encoding: v8`); anything else throws an
 * `InputError` naming the column and its type. A batch without `kindling.shape` metadata reads as flat objects.
 *
 * @example
 * const table = tableFromIPC(bytes);
 * const records = decodeBlock(recordBatchToBlock(table.batches[0]));
 */
export function recordBatchToBlock(batch: RecordBatch): Block {
  const shape = shapeOf(batch);
  const children = batch.data.children;
  const pending = batch.schema.fields.map((field, c) => pendingColumn(field, children[c]!));
  const block = assembleBlock(shape, batch.numRows, pending);
  checkBlockStructure(block, 'recordBatchToBlock');
  return block;
}
