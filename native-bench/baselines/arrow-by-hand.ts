/**
 * Native baselines of the Arrow-block micro bench: `[string, int32]` pairs into an Arrow record batch, (a) by hand
 * (UTF-8 written byte by byte for ASCII, `TextEncoder.encodeInto` past the first non-ASCII unit, into one shared
 * buffer; offsets and values in typed arrays; then `makeData`)
 * and (b) with apache-arrow's own `vectorFromArray` builders.
 */
import { Field, Int32, makeData, RecordBatch, Schema, Struct, Utf8, vectorFromArray } from 'apache-arrow';

const encoder = new TextEncoder();

/**
 * A `key: Utf8, value: Int32` record batch of `pairs`, buffers in one SharedArrayBuffer.
 *
 * @example
 * pairsToBatchByHand([['a', 1], ['b', 2]]).numRows; // 2
 */
export function pairsToBatchByHand(pairs: readonly (readonly [string, number])[]): RecordBatch {
  const rows = pairs.length;
  let chars = 0;
  for (let i = 0; i < rows; i++) chars += pairs[i]![0].length;
  // UTF-8 needs at most 3 bytes per UTF-16 unit; offsets and values after the bytes, 8-byte aligned.
  const bytesMax = align8(chars * 3);
  const offsetsAt = bytesMax;
  const valuesAt = offsetsAt + align8((rows + 1) * 4);
  const buffer = new SharedArrayBuffer(valuesAt + align8(rows * 4));
  const bytes = new Uint8Array(buffer, 0, bytesMax);
  const offsets = new Int32Array(buffer, offsetsAt, rows + 1);
  const values = new Int32Array(buffer, valuesAt, rows);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const [key, value] = pairs[i]!;
    offsets[i] = at;
    // ASCII byte by byte (no view object per string); the first non-ASCII unit hands the rest to encodeInto.
    const n = key.length;
    let k = 0;
    for (; k < n; k++) {
      const c = key.charCodeAt(k);
      if (c >= 0x80) break;
      bytes[at++] = c;
    }
    if (k < n) at += encoder.encodeInto(key.slice(k), bytes.subarray(at)).written;
    values[i] = value;
  }
  offsets[rows] = at;
  const fields = [new Field('key', new Utf8(), false), new Field('value', new Int32(), false)];
  const keyData = makeData({
    type: new Utf8(),
    length: rows,
    nullCount: 0,
    valueOffsets: offsets,
    data: bytes.subarray(0, at),
  });
  const valueData = makeData({ type: new Int32(), length: rows, nullCount: 0, data: values });
  const struct = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: [keyData, valueData] });
  return new RecordBatch(new Schema(fields), struct);
}

/**
 * The same batch built by apache-arrow's builders (`vectorFromArray` per column).
 *
 * @example
 * pairsToBatchWithBuilders([['a', 1]]).numRows; // 1
 */
export function pairsToBatchWithBuilders(pairs: readonly (readonly [string, number])[]): RecordBatch {
  const keys = vectorFromArray(
    pairs.map((p) => p[0]),
    new Utf8(),
  );
  const values = vectorFromArray(
    pairs.map((p) => p[1]),
    new Int32(),
  );
  const fields = [new Field('key', new Utf8(), false), new Field('value', new Int32(), false)];
  const struct = makeData({
    type: new Struct(fields),
    length: pairs.length,
    nullCount: 0,
    children: [keys.data[0]!, values.data[0]!],
  });
  return new RecordBatch(new Schema(fields), struct);
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
