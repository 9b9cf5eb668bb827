/**
 * Apache Arrow record batches → blocks: `recordBatchToBlock` copies a batch (for example one read back from an IPC
 * file) into a new block, checking that its schema is one `blockToRecordBatch` (`block-to-arrow.ts`) writes.
 */
import type { DataType, Dictionary, Field, RecordBatch, Timestamp, Data } from 'apache-arrow';
import { arrow } from './arrow-module.js';
import { InputError } from '../../common/errors.js';
import { shapeColumnNames, type Block, type ColumnType, type RecordShape } from '../../protocol/block.js';
import { assembleBlock, bitmapBytes, type ColumnTarget, type PendingColumn } from '../blocks/block-layout.js';
import { checkBlockStructure } from '../blocks/block-structure.js';
import { encodingMetadataKey, shapeMetadataKey } from './block-to-arrow.js';
import { dictionaryStringColumn, isDictionaryOfStrings } from './dictionary-strings.js';

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
      `Int64, Float64, Utf8, Date32 (days), Timestamp (ms, µs), Binary marked ${encodingMetadataKey}=v8, and ` +
      `dictionaries of Utf8 or LargeUtf8 (read as Utf8)`,
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
  if (isDictionaryOfStrings(field.type)) return dictionaryStringColumn(field.name, data as Data<Dictionary>);
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
 * produces (Null, Bool, Int32, Int64, Float64, Utf8, Binary with `kindling.encoding: v8`), or a dictionary of strings
 * (decoded to Utf8, see `dictionary-strings.ts`); anything else throws an
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
