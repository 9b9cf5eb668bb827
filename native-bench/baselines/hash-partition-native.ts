/**
 * Native baseline of hash partitioning: each int32 key's partition and the row count per partition, in typed
 * arrays. The hash is multiplicative with the high bits folded in; the partition is `floor(hash * n / 2^32)`
 * (Lemire's multiply-shift range reduction) rather than `hash % n`: `%` of a uint32 above 2^31 is a float modulo
 * in V8, several times slower than the multiply.
 */

/** 2^-32: scales a uint32 times n down to 0 … n - 1 exactly (both factors below 2^53). */
const TWO_POW_MINUS_32 = 2.3283064365386963e-10;

/**
 * Writes each key's partition into `out` and returns the rows per partition.
 *
 * @example
 * partitionInt32(keys, keys.length, 8, new Uint32Array(keys.length)); // Int32Array(8) of counts
 */
export function partitionInt32(keys: Int32Array, rows: number, numPartitions: number, out: Uint32Array): Int32Array {
  const counts = new Int32Array(numPartitions);
  for (let i = 0; i < rows; i++) {
    let h = Math.imul(keys[i]!, 0x9e3779b1);
    h ^= h >>> 16;
    const p = ((h >>> 0) * numPartitions * TWO_POW_MINUS_32) | 0;
    out[i] = p;
    counts[p]!++;
  }
  return counts;
}
