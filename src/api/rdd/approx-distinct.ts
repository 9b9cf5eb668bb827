import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';

/**
 * `countApproxDistinct`: HyperLogLog over a 64-bit hash of each record's value (records equal by value, as keys
 * compare, count once), with linear counting for small counts (as HyperLogLog++ does; without its empirical bias
 * tables). Precision as Spark's: `p = ceil(2 log2(1.054 / relativeSD))` index bits, `2^p` one-byte registers per
 * partition, so the standard error is about `relativeSD`.
 */

// Captured by `partitionRegisters` in the workers; declared here so its source type-checks.
declare const p: number;

/** Runs in the workers: the HyperLogLog registers of one partition. */
function partitionRegisters(records: Iterable<unknown>): number[][] {
  const registers = new Uint8Array(1 << p);
  for (const record of records) {
    let text: string;
    if (record !== null && typeof record === 'object') {
      try {
        text = 'o:' + JSON.stringify(record);
      } catch {
        text = 'o:' + String(record);
      }
    } else text = typeof record + ':' + String(record);
    // Two 32-bit FNV-1a hashes with different offsets, each finished with murmur3's fmix32: 64 well-mixed bits.
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193 ^ 0x5bd1e995;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x01000193) ^ (h2 >>> 13);
    }
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    h1 = Math.imul(h1, 0xc2b2ae35);
    h1 ^= h1 >>> 16;
    h2 ^= h2 >>> 16;
    h2 = Math.imul(h2, 0x85ebca6b);
    h2 ^= h2 >>> 13;
    h2 = Math.imul(h2, 0xc2b2ae35);
    h2 ^= h2 >>> 16;
    const index = h1 >>> (32 - p);
    // Rank: 1 + leading zeros of the remaining 64 - p bits (the low bits of h1, then h2).
    const rest = (h1 << p) >>> 0;
    const rank = rest !== 0 ? Math.clz32(rest) + 1 : 32 - p + Math.clz32(h2 >>> 0) + 1;
    if (rank > registers[index]!) registers[index] = rank;
  }
  return [Array.from(registers)];
}

export async function countApproxDistinct(rdd: RDD<unknown>, relativeSD: number): Promise<number> {
  if (typeof relativeSD !== 'number' || !(relativeSD >= 0.000017)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `countApproxDistinct(): relativeSD must be >= 0.000017, found ${describeValue(relativeSD)}`,
    );
  }
  const precision = Math.max(4, Math.ceil((2 * Math.log(1.054 / relativeSD)) / Math.LN2));
  if (precision > 24) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `countApproxDistinct(): relativeSD ${relativeSD} asks for more than 2^24 registers`,
    );
  }
  const parts = await mapPartitions<number[]>(
    rdd,
    partitionRegisters,
    false,
    { p: precision },
    { label: 'countApproxDistinct' },
  ).collect();
  const m = 1 << precision;
  const merged = new Uint8Array(m);
  for (const registers of parts) for (let i = 0; i < m; i++) if (registers[i]! > merged[i]!) merged[i] = registers[i]!;
  let harmonic = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    harmonic += Math.pow(2, -merged[i]!);
    if (merged[i] === 0) zeros++;
  }
  const alpha = m === 16 ? 0.673 : m === 32 ? 0.697 : m === 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
  const raw = (alpha * m * m) / harmonic;
  // Small counts: linear counting is far more accurate than the raw estimate while registers are still empty.
  const estimate = raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw;
  return Math.round(estimate);
}
