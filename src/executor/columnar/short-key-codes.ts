/**
 * Codes for strings of at most 12 bytes (ids, country codes, categories), for dictionary coding: an open-addressing
 * table whose slots hold each key whole as three little-endian words and its length, so a row costs reading its
 * bytes once into words, one multiply-and-mix and a compare of four integers; ids of one width that are a prefix and
 * digits cost a load from an array indexed by their number. Keys come back in code order, back to
 * back (the dictionary's bytes and offsets). A longer key is refused (`code` returns -1): the caller codes that
 * column through a `ByteKeyTable` instead.
 */
import { assert } from '../../common/assert.js';
import { mix32 } from './kernels/hash-bytes.js';
import { INLINE_BYTES, keyWord } from './kernels/inline-key-words.js';

/**
 * Int32 per slot: `[word 0, word 1, word 2, (code + 1) << 4 | length]` (0: empty). 16 bytes, not 32: a column of
 * 1e5 distinct ids (db-benchmark's id3 at 1e7) probes a 4 MB table instead of 8 MB, with fewer cache misses a row.
 */
const SLOT_SHIFT = 2;
/** Bits of a slot's last word that hold the key's length (at most 12). */
const LENGTH_BITS = 4;
const LENGTH_MASK = (1 << LENGTH_BITS) - 1;
/** Codes stay below this, so `(code + 1) << LENGTH_BITS` is a positive int32. */
const CODES_MAX = 2 ** (31 - LENGTH_BITS) - 1;
/**
 * Numbers the digit cache holds at most (4 MB of int32): keys numbered beyond go through the table only. 1e5 ids
 * (db-benchmark's id3 at 1e7) take 512 KB, which stays in a core's L2 cache where the table's 4 MB does not.
 */
const DIGIT_NUMBERS_MAX = 1 << 20;
/** Rows the digit cache may fail to take (not digits after its prefix, or numbered too high) before it is dropped. */
const DIGIT_MISSES_MAX = 4096;

/**
 * Short strings → dense codes (0, 1, 2 … in first-seen order).
 *
 * @example
 * const codes = new ShortKeyCodes();
 * const c = codes.code(bytes, start, end); // -1 when the key is longer than 12 bytes
 */
export class ShortKeyCodes {
  /** Distinct keys so far. */
  size = 0;
  private slots = new Int32Array(256 << SLOT_SHIFT);
  private mask = 255;
  /**
   * The keys' bytes in code order, key c at `bytes[offsets[c], offsets[c + 1])` (`offsets[0]` is 0): a
   * dictionary's bytes and offsets as they are. Entries below `size` never change (a grown array is a new one).
   */
  bytes = new Uint8Array(4096);
  offsets = new Int32Array(257);
  /**
   * Digit cache for `codeFixedWidth`: keys of `digitWidth` bytes that are `digitPrefix` and then decimal digits
   * (`id0000000001`) are one-to-one with their digits' number n, so `digitCodes[n]` holds such a key's code + 1 (0:
   * not met yet) and a row costs reading its bytes and one load from a small array, not a hash and a probe of the
   * table. Only a cache in front of the table: each code in it is the table's code of that key.
   */
  private digitCodes = new Int32Array(1024);
  /** Width of the keys the cache holds (0: no cache yet; -1: dropped until `clear`, keys of this table are not such). */
  private digitWidth = 0;
  private digitPrefix = new Uint8Array(0);
  private digitMisses = 0;

  /** Empties the table, keeping its arrays. */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.digitWidth = 0; // the next `codeFixedWidth` starts the digit cache afresh
    this.digitMisses = 0;
  }

  /**
   * Empties the table for a new dictionary, keeping its slots (grown, as `clear`) but not its keys' arrays: columns
   * handed out may still view the last dictionary's `bytes` and `offsets` (`read-time-dictionary.ts`).
   */
  restart(): void {
    this.clear();
    this.bytes = new Uint8Array(this.bytes.length);
    this.offsets = new Int32Array(this.offsets.length);
  }

  /**
   * Codes rows `from … to - 1` of a string column (row i is `bytes[starts[i], ends[i])`, null where `valid[i]` is
   * 0) into `codes[at + i]` (0 for a null row); when `width` is 1 to 12, rows of that width without a null between
   * them run through `codeFixedWidth`. Returns -1, or the first row longer than 12 bytes (it and the rows after it
   * are not coded).
   *
   * @example
   * if (table.codeRows(bytes, starts, ends, valid, 0, rows, 5, codes, 0) >= 0) … // a key too long for the table
   */
  codeRows(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    valid: Uint8Array | undefined,
    from: number,
    to: number,
    width: number,
    codes: Int32Array,
    at: number,
  ): number {
    const fixed = valid === undefined && width >= 1 && width <= INLINE_BYTES;
    for (let r = from; r < to; r++) {
      if (fixed) {
        r = this.codeFixedWidth(bytes, starts, ends, r, to, width, codes, at);
        if (r === to) break;
      }
      if (valid !== undefined && valid[r] === 0) {
        codes[at + r] = 0;
        continue;
      }
      const c = this.code(bytes, starts[r]!, ends[r]!);
      if (c < 0) return r;
      codes[at + r] = c;
    }
    return -1;
  }

  /** The code of `bytes[start, end)`, adding it when new; -1 when it is longer than 12 bytes. */
  code(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length > INLINE_BYTES) return -1;
    const w0 = keyWord(bytes, start, length);
    const w1 = keyWord(bytes, start + 4, length - 4);
    const w2 = keyWord(bytes, start + 8, length - 8);
    return this.codeWords(bytes, start, length, w0, w1, w2);
  }

  /**
   * Codes rows `from, from + 1 …` of a string column (row i is `bytes[starts[i], ends[i])`) into `codes[at + i]`
   * while they are exactly `width` bytes (1 to 12), up to `to`; returns the first row not coded (`to`, or a row of
   * another length, which the caller codes with `code`). The width's branches are the same for every row (ids
   * such as db-benchmark's `id%03d` are all one width); keys that are one prefix and digits mostly skip the table
   * through the digit cache (`digitCodes`).
   *
   * @example
   * let i = table.codeFixedWidth(bytes, starts, ends, 0, rows, 5, codes, 0); // i < rows: row i is not 5 bytes
   */
  codeFixedWidth(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    from: number,
    to: number,
    width: number,
    codes: Int32Array,
    at: number,
  ): number {
    const starting = this.digitWidth !== width && this.digitWidth !== -1;
    if (starting && from < to && ends[from]! - starts[from]! === width) this.startDigits(bytes, starts[from]!, width);
    if (this.digitWidth === width) return this.codeDigitRows(bytes, starts, ends, from, to, width, codes, at);
    for (let i = from; i < to; i++) {
      const s = starts[i]!;
      if (ends[i]! - s !== width) return i;
      // The words inline, not `codeFixedKey`: keys of other shapes (no digit cache) keep this loop's speed.
      const w0 = width >= 4 ? word(bytes, s) : keyWord(bytes, s, width);
      const w1 = width >= 8 ? word(bytes, s + 4) : width > 4 ? keyWord(bytes, s + 4, width - 4) : 0;
      const w2 = width === 12 ? word(bytes, s + 8) : width > 8 ? keyWord(bytes, s + 8, width - 8) : 0;
      codes[at + i] = this.codeWords(bytes, s, width, w0, w1, w2);
    }
    return to;
  }

  /** `codeFixedWidth` through the digit cache (its width is `width`); a row the cache cannot take goes to the table. */
  private codeDigitRows(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    from: number,
    to: number,
    width: number,
    codes: Int32Array,
    at: number,
  ): number {
    const prefix = this.digitPrefix;
    const digitsFrom = prefix.length;
    rows: for (let i = from; i < to; i++) {
      const s = starts[i]!;
      if (ends[i]! - s !== width) return i;
      let n = 0;
      for (let k = 0; k < digitsFrom; k++) if (bytes[s + k] !== prefix[k]) n = -1;
      for (let k = digitsFrom; k < width && n >= 0; k++) {
        const digit = bytes[s + k]! - 48;
        n = digit >= 0 && digit <= 9 ? n * 10 + digit : -1;
      }
      if (n >= 0 && n < this.digitCodes.length) {
        const known = this.digitCodes[n]!;
        if (known !== 0) {
          codes[at + i] = known - 1;
          continue rows;
        }
      }
      const c = this.codeFixedKey(bytes, s, width);
      codes[at + i] = c;
      if (n >= 0 && n < DIGIT_NUMBERS_MAX) {
        if (n >= this.digitCodes.length) this.digitCodes = grown(this.digitCodes, n + 1);
        this.digitCodes[n] = c + 1;
      } else if (++this.digitMisses > DIGIT_MISSES_MAX) {
        // Keys of this column are not (mostly) digits after one prefix: stop paying for the test.
        this.digitWidth = -1;
        return i + 1 < to ? this.codeFixedWidth(bytes, starts, ends, i + 1, to, width, codes, at) : to;
      }
    }
    return to;
  }

  /**
   * Sets the digit cache up for keys of `width` bytes shaped as `bytes[start, start + width)`: its bytes up to its
   * last non-digit are the prefix, at least one digit follows (else no cache: `digitWidth` -1).
   */
  private startDigits(bytes: Uint8Array, start: number, width: number): void {
    let digitsFrom = width;
    while (digitsFrom > 0 && bytes[start + digitsFrom - 1]! >= 48 && bytes[start + digitsFrom - 1]! <= 57) digitsFrom--;
    if (digitsFrom === width) {
      this.digitWidth = -1;
      return;
    }
    this.digitCodes.fill(0);
    this.digitWidth = width;
    // A copy: `bytes` may be a Buffer (whose `slice` is a view) that the reader refills.
    this.digitPrefix = Uint8Array.from(bytes.subarray(start, start + digitsFrom));
  }

  /** The code of the `width`-byte key at `bytes[s]` (1 to 12), adding it when new. */
  private codeFixedKey(bytes: Uint8Array, s: number, width: number): number {
    const w0 = width >= 4 ? word(bytes, s) : keyWord(bytes, s, width);
    const w1 = width >= 8 ? word(bytes, s + 4) : width > 4 ? keyWord(bytes, s + 4, width - 4) : 0;
    const w2 = width === 12 ? word(bytes, s + 8) : width > 8 ? keyWord(bytes, s + 8, width - 8) : 0;
    return this.codeWords(bytes, s, width, w0, w1, w2);
  }

  /** The code of the key `bytes[start, start + length)`, whose words are `w0`, `w1`, `w2`, adding it when new. */
  private codeWords(bytes: Uint8Array, start: number, length: number, w0: number, w1: number, w2: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let slot = mix32(w0 ^ Math.imul(w1 ^ length, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77)) & mask;
    for (;;) {
      const at = slot << SLOT_SHIFT;
      const entry = slots[at + 3]!;
      if (entry === 0) return this.insert(at, bytes, start, length, w0, w1, w2);
      if (slots[at] === w0 && slots[at + 1] === w1 && slots[at + 2] === w2 && (entry & LENGTH_MASK) === length) {
        return (entry >>> LENGTH_BITS) - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private insert(at: number, bytes: Uint8Array, start: number, length: number, w0: number, w1: number, w2: number) {
    const c = this.size++;
    assert(c < CODES_MAX, `a short-key table holds at most ${CODES_MAX} keys`);
    const from = this.offsets[c]!;
    if (from + length > this.bytes.length) this.bytes = grown(this.bytes, from + length);
    if (c + 1 === this.offsets.length) this.offsets = grown(this.offsets, c + 2);
    for (let k = 0; k < length; k++) this.bytes[from + k] = bytes[start + k]!;
    this.offsets[c + 1] = from + length;
    const slots = this.slots;
    slots[at] = w0;
    slots[at + 1] = w1;
    slots[at + 2] = w2;
    slots[at + 3] = ((c + 1) << LENGTH_BITS) | length;
    // At most half full: probes stay short.
    if (this.size * 2 > this.mask + 1) this.rehash();
    return c;
  }

  private rehash(): void {
    const old = this.slots;
    const count = (this.mask + 1) * 2;
    const slots = new Int32Array(count << SLOT_SHIFT);
    const mask = count - 1;
    for (let at = 0; at < old.length; at += 1 << SLOT_SHIFT) {
      if (old[at + 3] === 0) continue;
      const w0 = old[at]!;
      const w1 = old[at + 1]!;
      const w2 = old[at + 2]!;
      const length = old[at + 3]! & LENGTH_MASK;
      let slot = mix32(w0 ^ Math.imul(w1 ^ length, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77)) & mask;
      while (slots[(slot << SLOT_SHIFT) + 3] !== 0) slot = (slot + 1) & mask;
      // Word by word: a \`subarray\` view per slot cost more than the move (at 1e5 keys, more than the rest of the fill).
      const to = slot << SLOT_SHIFT;
      slots[to] = w0;
      slots[to + 1] = w1;
      slots[to + 2] = w2;
      slots[to + 3] = old[at + 3]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** The little-endian word of `bytes[at, at + 4)`. */
function word(bytes: Uint8Array, at: number): number {
  return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
}

function grown<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}
