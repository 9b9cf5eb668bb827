/**
 * The hash of each row's key tuple for a hash-partitioned shuffle (a join's or a `distinct`'s): `hashBytes` of its
 * tuple-key bytes (`kernels/tuple-key.ts`), so both sides of a join agree whatever their batches and types (an
 * int32 3 and a float64 3.0 encode alike), and null keys hash alike (a join matches them with nothing anyway).
 * One int32/date key or one string key is hashed straight from its column, feeding the same bytes to the same
 * FNV-1a steps without encoding each row into a scratch buffer first.
 */
import { columnOf, type Batch, type Column } from '../batches/batch.js';
import { hashBytes, mix32 } from '../kernels/hash-bytes.js';
import { encodeTupleKey } from '../kernels/tuple-key.js';

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
/** The hash of a null key's tuple: its presence byte 0. */
const NULL_HASH = hashBytes(new Uint8Array(1), 0, 1);

/**
 * Key hashes of the rows of `batch` (every column when `keys` is empty).
 *
 * @example
 * const hashes = keyHashes(batch, ['id']);
 */
export function keyHashes(batch: Batch, keys: readonly string[]): Int32Array {
  const hashes = new Int32Array(batch.rows);
  if (batch.rows === 0) return hashes;
  const columns = (keys.length === 0 ? batch.names : keys).map((key) => columnOf(batch, key, 'hash partitioning'));
  const only = columns.length === 1 ? columns[0]! : null;
  if (only !== null && (only.type === 'i32' || only.type === 'date')) {
    const { values, valid } = only;
    for (let r = 0; r < batch.rows; r++) {
      if (valid !== undefined && valid[r] === 0) {
        hashes[r] = NULL_HASH;
        continue;
      }
      f64[0] = values[r]!;
      let h = Math.imul(FNV_OFFSET ^ 1, FNV_PRIME);
      for (let k = 0; k < 8; k++) h = Math.imul(h ^ f64Bytes[k]!, FNV_PRIME);
      hashes[r] = mix32(h);
    }
    return hashes;
  }
  if (only !== null && only.type === 'utf8') {
    const { bytes, starts, ends, valid } = only;
    for (let r = 0; r < batch.rows; r++) {
      if (valid !== undefined && valid[r] === 0) {
        hashes[r] = NULL_HASH;
        continue;
      }
      const s = starts[r]!;
      const e = ends[r]!;
      const n = e - s;
      let h = Math.imul(FNV_OFFSET ^ 1, FNV_PRIME);
      h = Math.imul(h ^ (n & 0xff), FNV_PRIME);
      h = Math.imul(h ^ ((n >>> 8) & 0xff), FNV_PRIME);
      h = Math.imul(h ^ ((n >>> 16) & 0xff), FNV_PRIME);
      h = Math.imul(h ^ (n >>> 24), FNV_PRIME);
      for (let k = s; k < e; k++) h = Math.imul(h ^ bytes[k]!, FNV_PRIME);
      hashes[r] = mix32(h);
    }
    return hashes;
  }
  return tupleHashes(columns, batch.rows, hashes);
}

function tupleHashes(columns: readonly Column[], rows: number, hashes: Int32Array): Int32Array {
  let scratch = new Uint8Array(256);
  for (let r = 0; r < rows; r++) {
    let length = encodeTupleKey(columns, r, scratch);
    while (length < 0) {
      scratch = new Uint8Array(scratch.length * 4);
      length = encodeTupleKey(columns, r, scratch);
    }
    hashes[r] = hashBytes(scratch, 0, length);
  }
  return hashes;
}
