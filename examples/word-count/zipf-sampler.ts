import type { Rng } from '../../src/common/rng.js';

/**
 * Draws ranks `0 … size - 1` with Zipf's law, P(rank r) ∝ 1 / (r + 1)^exponent, in O(1) per draw with Walker's
 * alias method (Vose's construction). The corpus generator draws hundreds of millions of words, so a binary search
 * over a cumulative table (16 steps for 50,000 words) would dominate its time.
 *
 * @example
 * const zipf = new ZipfSampler(50_000, 1);
 * zipf.next(new Rng(7)); // 0 about 9 % of the time, 1 about 4.5 % …
 */
export class ZipfSampler {
  /** Number of ranks. */
  readonly size: number;
  /** Probability of keeping column `i` rather than taking `alias[i]`. */
  private readonly keep: Float64Array;
  private readonly alias: Int32Array;

  constructor(size: number, exponent: number) {
    if (!Number.isSafeInteger(size) || size < 1)
      throw new RangeError(`Zipf size must be an integer >= 1, found ${size}`);
    if (!Number.isFinite(exponent) || exponent < 0) {
      throw new RangeError(`Zipf exponent must be a finite number >= 0, found ${exponent}`);
    }
    this.size = size;
    this.keep = new Float64Array(size);
    this.alias = new Int32Array(size);
    const scaled = new Float64Array(size);
    let total = 0;
    for (let r = 0; r < size; r++) total += scaled[r] = 1 / Math.pow(r + 1, exponent);
    for (let r = 0; r < size; r++) scaled[r] = (scaled[r]! * size) / total;
    // Vose: pair each under-full column with an over-full one that tops it up to exactly 1.
    const small: number[] = [];
    const large: number[] = [];
    for (let r = 0; r < size; r++) (scaled[r]! < 1 ? small : large).push(r);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large.pop()!;
      this.keep[s] = scaled[s]!;
      this.alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      (scaled[l]! < 1 ? small : large).push(l);
    }
    // Leftovers are 1 up to rounding error.
    for (const r of [...small, ...large]) {
      this.keep[r] = 1;
      this.alias[r] = r;
    }
  }

  /**
   * One rank, from one 32-bit draw of `rng`: its high part picks the column, the fraction left over decides
   * between the column and its alias (2^32 / size levels: ample for any vocabulary a corpus uses).
   */
  next(rng: Rng): number {
    const scaled = (rng.nextUint32() / 4294967296) * this.size;
    const column = Math.floor(scaled);
    return scaled - column < this.keep[column]! ? column : this.alias[column]!;
  }
}
