/**
 * `ShortKeyCodes`' digit cache: keys of one width that are one prefix and then decimal digits (`id0000000001`,
 * db-benchmark's id columns) are one-to-one with their digits' number n, so an array indexed by n holds such a
 * key's code, and coding a row costs reading its bytes and one load from a small array, not a hash and a probe of
 * a table. 1e5 ids (db-benchmark's id3 at 1e7) take 512 KB, which stays in a core's L2 cache where a table of
 * them (4 MB) does not.
 */

/** Numbers the cache holds at most (4 MB of int32): keys numbered beyond are not its keys. */
const DIGIT_NUMBERS_MAX = 1 << 20;
/** Rows the cache may fail to take (not digits after its prefix, or numbered too high) before it is dropped. */
export const DIGIT_MISSES_MAX = 4096;

const NO_KEYS = { bytes: new Uint8Array(0), offsets: new Int32Array(1), size: 0 };

/**
 * Codes of the keys of one width that are one prefix and then digits, by their number.
 *
 * @example
 * const cache = new DigitKeyCache();
 * cache.start(bytes, s, 12, keys); // keys like bytes[s, s + 12): 'id' and 10 digits
 * const n = cache.numberOf(bytes, s2); // -1: not such a key
 * const c = cache.codeOf(n); // -1: not met yet
 */
export class DigitKeyCache {
  /** Width of the keys it holds (0: not started; -1: dropped until `reset`, the keys are not such). */
  width = 0;
  /** Rows not taken since it started (`DIGIT_MISSES_MAX`). */
  misses = 0;
  private prefix = new Uint8Array(0);
  /** By number, the key's code + 1 (0: not met yet). */
  private codes = new Int32Array(1024);

  /** Not started: the next `start` sets it up afresh. */
  reset(): void {
    this.width = 0;
    this.misses = 0;
  }

  /**
   * Sets the cache up for keys of `width` bytes shaped as `bytes[start, start + width)`: its bytes up to its last
   * non-digit are the prefix, at least one digit follows (else no cache: `width` -1). It takes in the such keys
   * of `keys` (none by default) (key c at `keys.bytes[keys.offsets[c], keys.offsets[c + 1])`, `keys.size` of them), so that a key
   * it has no code for is one not met yet.
   */
  start(
    bytes: Uint8Array,
    start: number,
    width: number,
    keys: { readonly bytes: Uint8Array; readonly offsets: Int32Array; readonly size: number } = NO_KEYS,
  ): void {
    let digitsFrom = width;
    while (digitsFrom > 0 && bytes[start + digitsFrom - 1]! >= 48 && bytes[start + digitsFrom - 1]! <= 57) digitsFrom--;
    if (digitsFrom === width) {
      this.width = -1;
      return;
    }
    this.codes.fill(0);
    this.width = width;
    // A copy: `bytes` may be a Buffer (whose `slice` is a view) that the reader refills.
    this.prefix = Uint8Array.from(bytes.subarray(start, start + digitsFrom));
    const { offsets } = keys;
    for (let c = 0; c < keys.size; c++) {
      if (offsets[c + 1]! - offsets[c]! !== width) continue;
      const n = this.numberOf(keys.bytes, offsets[c]!);
      if (n >= 0) this.remember(n, c);
    }
  }

  /**
   * The number of the key of the cache's width at `bytes[s]`: its digits after the prefix, or -1 when it is not
   * the prefix and then digits, or is numbered past what the cache holds.
   */
  numberOf(bytes: Uint8Array, s: number): number {
    const prefix = this.prefix;
    const width = this.width;
    for (let k = 0; k < prefix.length; k++) if (bytes[s + k] !== prefix[k]) return -1;
    let n = 0;
    for (let k = prefix.length; k < width; k++) {
      const digit = bytes[s + k]! - 48;
      if (digit < 0 || digit > 9) return -1;
      n = n * 10 + digit;
    }
    return n < DIGIT_NUMBERS_MAX ? n : -1;
  }

  /** The code of the key numbered `n` (from `numberOf`), or -1 when it has none yet. */
  codeOf(n: number): number {
    return n < this.codes.length ? this.codes[n]! - 1 : -1;
  }

  /** Gives the key numbered `n` the code `c`. */
  remember(n: number, c: number): void {
    if (n >= this.codes.length) {
      let length = this.codes.length * 2;
      while (length <= n) length *= 2;
      const codes = new Int32Array(length);
      codes.set(this.codes);
      this.codes = codes;
    }
    this.codes[n] = c + 1;
  }
}
