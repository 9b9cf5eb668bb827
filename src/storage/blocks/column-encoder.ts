/**
 * Turns one column of JS values into a `PendingColumn`: fixed-width types are written straight into the block
 * buffer at fill time; `utf8` and `binary-v8` bytes are staged in the scratch buffer first, because their size is
 * only known after encoding. No Arrow builders: they are far slower than writing typed arrays directly.
 */
import v8 from 'node:v8';
import { AssertionError, InputError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { bitmapBytes, type ColumnTarget, type PendingColumn } from './block-layout.js';
import { inferColumnType } from './column-type.js';
import type { ScratchBytes } from './scratch-bytes.js';

/** Int32 offsets bound the bytes of one variable-length column (Arrow's Utf8/Binary, not Large*). */
const columnDataBytesMax = 0x7fffffff;

/**
 * Infers the type of `values` and prepares the column. Variable-length bytes go to `scratch`, which must stay
 * acquired until the block is assembled.
 *
 * @example
 * const column = encodeColumn('value', ['a', null, 'b'], scratch); // utf8, nullCount 1
 */
export function encodeColumn(name: string, values: readonly unknown[], scratch: ScratchBytes): PendingColumn {
  const { type, nullCount } = inferColumnType(values);
  const rows = values.length;
  const validityBytes = nullCount > 0 && type !== 'null' ? bitmapBytes(rows) : 0;
  const base = { name, type, nullCount, validityBytes };
  switch (type) {
    case 'null':
      return { ...base, hasOffsets: false, dataBytes: -1, fill: () => {} };
    case 'bool':
      return { ...base, hasOffsets: false, dataBytes: bitmapBytes(rows), fill: (t) => fillBool(values, t) };
    case 'i32':
      return { ...base, hasOffsets: false, dataBytes: rows * 4, fill: (t) => fillI32(values, t) };
    case 'f64':
      return { ...base, hasOffsets: false, dataBytes: rows * 8, fill: (t) => fillF64(values, t) };
    case 'i64':
      return { ...base, hasOffsets: false, dataBytes: rows * 8, fill: (t) => fillI64(values, t) };
    case 'date32':
    case 'timestamp-ms':
    case 'timestamp-us':
    case 'utf8-dict':
      // inferColumnType never chooses these: only columnar batches write them (src/executor/columnar/batches/batch-to-block.ts).
      throw new AssertionError(`encodeColumn: records never infer ${type}`);
    case 'utf8':
    case 'binary-v8': {
      const start = scratch.used;
      const offsets = type === 'utf8' ? stageUtf8(values, scratch, name) : stageV8(values, scratch, name);
      const end = scratch.used;
      return {
        ...base,
        hasOffsets: true,
        dataBytes: end - start,
        fill: (t) => {
          fillValidity(values, t.validity);
          t.offsets!.set(offsets);
          // Re-read scratch.bytes: staging a later column may have grown (replaced) it.
          t.data!.set(scratch.bytes.subarray(start, end));
        },
      };
    }
  }
}

/** Sets bit i (LSB-first, Arrow's order) for every non-null value. A no-op when the column has no bitmap. */
function fillValidity(values: readonly unknown[], validity: Uint8Array | null): void {
  if (validity === null) return;
  for (let i = 0; i < values.length; i++) if (values[i] !== null) validity[i >>> 3]! |= 1 << (i & 7);
}

function fillBool(values: readonly unknown[], target: ColumnTarget): void {
  fillValidity(values, target.validity);
  const bits = target.data!;
  for (let i = 0; i < values.length; i++) if (values[i] === true) bits[i >>> 3]! |= 1 << (i & 7);
}

function fillI32(values: readonly unknown[], target: ColumnTarget): void {
  fillValidity(values, target.validity);
  const data = target.data!;
  const out = new Int32Array(data.buffer, data.byteOffset, values.length);
  // null becomes 0 (masked by the validity bitmap): `null | 0` is 0.
  for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) | 0;
}

function fillF64(values: readonly unknown[], target: ColumnTarget): void {
  fillValidity(values, target.validity);
  const data = target.data!;
  const out = new Float64Array(data.buffer, data.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null) out[i] = value as number;
  }
}

function fillI64(values: readonly unknown[], target: ColumnTarget): void {
  fillValidity(values, target.validity);
  const data = target.data!;
  const out = new BigInt64Array(data.buffer, data.byteOffset, values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null) out[i] = value as bigint;
  }
}

function checkColumnBytes(bytes: number, name: string): void {
  if (bytes > columnDataBytesMax) {
    throw new RangeError(
      `column '${name}' holds more than ${columnDataBytesMax} bytes, the limit of one block column (int32 ` +
        `offsets); write smaller blocks`,
    );
  }
}

/**
 * Writes the UTF-8 of every string into `scratch` and returns the offsets (relative to where this column starts).
 * Also `fromColumns`' way to lay out a string column (api/sources/dataset-sources.ts).
 * ASCII is copied by a plain loop, which beats a native call per short string; the first non-ASCII character
 * switches that string to `Buffer#write`. Strings are known well-formed (inference checked), so no U+FFFD appears.
 */
export function stageUtf8(values: readonly unknown[], scratch: ScratchBytes, name: string): Int32Array {
  const rows = values.length;
  const offsets = new Int32Array(rows + 1);
  const start = scratch.used;
  let bytes = scratch.bytes;
  let pos = start;
  for (let i = 0; i < rows; i++) {
    const value = values[i];
    if (value !== null) {
      const text = value as string;
      const n = text.length;
      // A UTF-16 code unit takes at most 3 UTF-8 bytes (a surrogate pair, 2 units, takes 4).
      if (pos + n * 3 > bytes.length) {
        scratch.used = pos;
        bytes = scratch.reserve(n * 3);
      }
      let j = 0;
      for (; j < n; j++) {
        const code = text.charCodeAt(j);
        if (code >= 0x80) break;
        bytes[pos + j] = code;
      }
      pos += j === n ? n : bytes.write(text, pos, 'utf8');
      checkColumnBytes(pos - start, name);
    }
    offsets[i + 1] = pos - start;
  }
  scratch.used = pos;
  return offsets;
}

/** Writes one `v8.serialize` payload per non-null value into `scratch`; returns the offsets. */
function stageV8(values: readonly unknown[], scratch: ScratchBytes, name: string): Int32Array {
  const rows = values.length;
  const offsets = new Int32Array(rows + 1);
  const start = scratch.used;
  for (let i = 0; i < rows; i++) {
    const value = values[i];
    if (value !== null) {
      const payload = serialize(value, i, name);
      scratch.reserve(payload.length).set(payload, scratch.used);
      scratch.used += payload.length;
      checkColumnBytes(scratch.used - start, name);
    }
    offsets[i + 1] = scratch.used - start;
  }
  return offsets;
}

function serialize(value: unknown, row: number, name: string): Buffer {
  try {
    return v8.serialize(value);
  } catch (error) {
    // Functions, symbols, WeakMaps, class instances holding native state …: structured clone refuses them.
    const reason = error instanceof Error ? error.message : String(error);
    // Most often a user's function returned it (`map((x) => () => x)`): say what to return instead.
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `record ${row}, column '${name}': a value passed between threads must be data that structured clone ` +
        `(v8.serialize) copies: numbers, strings, booleans, bigints, null, arrays, plain objects, Date, Map, Set, ` +
        `typed arrays; found ${describeValue(value)} (${reason}). A function's result is such a value: return ` +
        `data, not functions, symbols or objects holding native state`,
      { cause: error },
    );
  }
}
