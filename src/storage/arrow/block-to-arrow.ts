/**
 * Blocks → Apache Arrow record batches. A block already is an Arrow record batch laid out in a SharedArrayBuffer;
 * `blockToRecordBatch` only wraps views of it (no copy) so Arrow tools and IPC writers (spill files, checkpoints)
 * can use it. The way back, copying a batch into a new block, is `arrow-to-block.ts`.
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
import type { Block, ColumnDescriptor, ColumnType } from '../../protocol/block.js';
import { bitmapBytes } from '../blocks/block-layout.js';
import { checkBlockStructure } from '../blocks/block-structure.js';
import { dictionaryCodesOf, type DictionaryCodes } from '../blocks/dictionary-codes.js';

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
