/**
 * 32-bit hashes for columnar keys. Strings hash over their UTF-8 bytes (FNV-1a, then a murmur3 finalizer so the
 * low bits a power-of-two table uses are well mixed). Only consistent with itself: RDD shuffles hash UTF-16 code
 * units (`common/keys.ts`), and a columnar shuffle never meets an RDD partitioner.
 */

/**
 * Hash of `bytes[start, end)`.
 *
 * @example
 * hashBytes(new TextEncoder().encode('word'), 0, 4); // same value on every thread and run
 */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return mix32(h);
}

/** murmur3's 32-bit finalizer: every input bit affects every output bit. */
export function mix32(value: number): number {
  let h = value ^ (value >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const f64 = new Float64Array(1);
const words = new Int32Array(f64.buffer);

/**
 * Hash of a number by its float64 bits, with `-0` as `0` (JS `===` equates them) and one hash for every NaN.
 *
 * @example
 * hashNumber(1) === hashNumber(1.0); // true
 */
export function hashNumber(value: number): number {
  // Integers in int32 range (most keys) skip the float64 round trip; -0 | 0 is 0, so -0 hashes as 0 here too.
  if ((value | 0) === value) return hashInt32(value);
  f64[0] = value !== value ? NaN : value;
  return mix32(words[0]! ^ Math.imul(words[1]!, 0x9e3779b1));
}

/** `hashNumber` of an int32 value (what a loop over an `Int32Array` calls, without the float64 check). */
export function hashInt32(value: number): number {
  return mix32(Math.imul(value, 0x9e3779b1));
}

/**
 * The reduce partition of a key hash: the same on both sides of one shuffle.
 *
 * @example
 * partitionOfHash(hashBytes(bytes, 0, 4), 8); // 0 … 7
 */
export function partitionOfHash(hash: number, numPartitions: number): number {
  // Multiply-shift range reduction (Lemire): the high bits of hash × n, exact in float64 for n < 2^21, and several
  // times faster than a float modulo. The hash's high bits are well mixed (mix32), so buckets stay even.
  if (numPartitions < 0x200000) return Math.floor(((hash >>> 0) * numPartitions) / 4294967296);
  return (hash >>> 0) % numPartitions;
}
