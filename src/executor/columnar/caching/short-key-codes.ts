/**
 * Codes for strings of at most 12 bytes (ids, country codes, categories), for dictionary coding: an open-addressing
 * table whose slots hold each key whole as three little-endian words and its length, so a row costs reading its
 * bytes once into words, one multiply-and-mix and a compare of four integers; ids of one width that are a prefix and
 * digits cost a load from an array indexed by their number. Keys come back in code order, back to
 * back (the dictionary's bytes and offsets). A longer key is refused (`code` returns -1): the caller codes that
 * column through a `ByteKeyTable` instead.
 */
import { assert } from '../../../common/assert.js';
import { DIGIT_MISSES_MAX, DigitKeyCache } from './digit-key-cache.js';
import { mix32 } from '../kernels/hash-bytes.js';
import { INLINE_BYTES, keyWord } from '../kernels/inline-key-words.js';

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
   * Digit cache for `codeFixedWidth` (`digit-key-cache.ts`): while it is on, it is the only index of the keys it
   * takes: one met first is added to the keys without a slot (`append`), which spares the probe of a table that
   * would grow to 4 MB for 1e5 ids (a cache miss each new key; db-benchmark's id3 in every split: a split of 640 k
   * rows coded in ~15 instead of ~25 ms). Its keys get slots when it goes off (`placeDigitKeys`), and it takes in
   * the keys that have slots when it starts.
   */
  private readonly digits = new DigitKeyCache();
  /** Keys with a slot (the others are digit keys coded by the cache alone: `append`). */
  private placed = 0;

  /** Empties the table, keeping its arrays. */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.placed = 0;
    this.digits.reset(); // the next `codeFixedWidth` starts the digit cache afresh
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
    if (length === this.digits.width && length > 0) {
      const n = this.digits.numberOf(bytes, start);
      if (n >= 0) return this.codeDigitKey(bytes, start, n);
    }
    const w0 = keyWord(bytes, start, length);
    const w1 = keyWord(bytes, start + 4, length - 4);
    const w2 = keyWord(bytes, start + 8, length - 8);
    return this.codeWords(bytes, start, length, w0, w1, w2);
  }

  /**
   * Codes rows `from, from + 1 …` of a string column (row i is `bytes[starts[i], ends[i])`) into `codes[at + i]`
   * while they are exactly `width` bytes (1 to 12), up to `to`; returns the first row not coded (`to`, or a row of
   * another length, which the caller codes with `code`). The width's branches are the same for every row (ids
   * such as db-benchmark's `id%03d` are all one width); keys that are one prefix and digits skip the table
   * through the digit cache (`digits`).
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
    const starting = this.digits.width !== width && this.digits.width !== -1;
    if (starting && from < to && ends[from]! - starts[from]! === width) {
      this.placeDigitKeys();
      this.digits.start(bytes, starts[from]!, width, this);
    }
    if (this.digits.width === width) return this.codeDigitRows(bytes, starts, ends, from, to, width, codes, at);
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
    for (let i = from; i < to; i++) {
      const s = starts[i]!;
      if (ends[i]! - s !== width) return i;
      const n = this.digits.numberOf(bytes, s);
      if (n >= 0) {
        codes[at + i] = this.codeDigitKey(bytes, s, n);
        continue;
      }
      codes[at + i] = this.codeFixedKey(bytes, s, width);
      if (++this.digits.misses > DIGIT_MISSES_MAX) {
        // Keys of this column are not (mostly) digits after one prefix: stop paying for the test.
        this.placeDigitKeys();
        this.digits.width = -1;
        return i + 1 < to ? this.codeFixedWidth(bytes, starts, ends, i + 1, to, width, codes, at) : to;
      }
    }
    return to;
  }

  /** The code of the digit key numbered `n` at `bytes[s]`, added (without a slot) when new. */
  private codeDigitKey(bytes: Uint8Array, s: number, n: number): number {
    const known = this.digits.codeOf(n);
    if (known >= 0) return known;
    const c = this.append(bytes, s, this.digits.width);
    this.digits.remember(n, c);
    return c;
  }

  /** Gives every key of the cache's width a slot, before the cache goes off (some have none: `append`). */
  private placeDigitKeys(): void {
    const width = this.digits.width;
    if (width <= 0) return;
    const { bytes, offsets } = this;
    for (let c = 0; c < this.size; c++) {
      const s = offsets[c]!;
      const length = offsets[c + 1]! - s;
      if (length !== width) continue;
      const w0 = keyWord(bytes, s, length);
      const w1 = keyWord(bytes, s + 4, length - 4);
      const w2 = keyWord(bytes, s + 8, length - 8);
      const at = this.slotOf(length, w0, w1, w2);
      if (this.slots[at + 3] === 0) this.place(at, c, length, w0, w1, w2);
    }
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
    const at = this.slotOf(length, w0, w1, w2);
    const entry = this.slots[at + 3]!;
    if (entry !== 0) return (entry >>> LENGTH_BITS) - 1;
    const c = this.append(bytes, start, length);
    this.place(at, c, length, w0, w1, w2);
    return c;
  }

  /** Where in `slots` the key of words `w0`, `w1`, `w2` is, or the empty slot where it goes. */
  private slotOf(length: number, w0: number, w1: number, w2: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let slot = mix32(w0 ^ Math.imul(w1 ^ length, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77)) & mask;
    for (;;) {
      const at = slot << SLOT_SHIFT;
      const entry = slots[at + 3]!;
      if (entry === 0) return at;
      if (slots[at] === w0 && slots[at + 1] === w1 && slots[at + 2] === w2 && (entry & LENGTH_MASK) === length) {
        return at;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** Adds `bytes[start, start + length)` to the keys as the next code (no slot: the caller gives it one or not). */
  private append(bytes: Uint8Array, start: number, length: number): number {
    const c = this.size++;
    assert(c < CODES_MAX, `a short-key table holds at most ${CODES_MAX} keys`);
    const from = this.offsets[c]!;
    if (from + length > this.bytes.length) this.bytes = grown(this.bytes, from + length);
    if (c + 1 === this.offsets.length) this.offsets = grown(this.offsets, c + 2);
    for (let k = 0; k < length; k++) this.bytes[from + k] = bytes[start + k]!;
    this.offsets[c + 1] = from + length;
    return c;
  }

  /** Puts key `c` in the empty slot at `at`. */
  private place(at: number, c: number, length: number, w0: number, w1: number, w2: number): void {
    const slots = this.slots;
    slots[at] = w0;
    slots[at + 1] = w1;
    slots[at + 2] = w2;
    slots[at + 3] = ((c + 1) << LENGTH_BITS) | length;
    // At most half full: probes stay short.
    if (++this.placed * 2 > this.mask + 1) this.rehash();
  }

  private rehash(): void {
    this.slots = rehashedSlots(this.slots, (this.mask + 1) * 2);
    this.mask = (this.slots.length >> SLOT_SHIFT) - 1;
  }
}

/**
 * The slots of `old` placed in a table of `count` slots. A plain function, as kernels/byte-key-table.ts's: code after a
 * loop first optimized on its long first run had no type feedback, and deoptimized there.
 */
function rehashedSlots(old: Int32Array, count: number): Int32Array<ArrayBuffer> {
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
    // Word by word: a `subarray` view per slot cost more than the move (at 1e5 keys, more than the rest of the fill).
    const to = slot << SLOT_SHIFT;
    slots[to] = w0;
    slots[to + 1] = w1;
    slots[to + 2] = w2;
    slots[to + 3] = old[at + 3]!;
  }
  return slots;
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
