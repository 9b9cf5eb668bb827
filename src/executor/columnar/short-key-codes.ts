/**
 * Codes for strings of at most 12 bytes (ids, country codes, categories), for dictionary coding: an open-addressing
 * table whose slots hold each key whole as three little-endian words and its length, so a row costs reading its
 * bytes once into words, one multiply-and-mix and a compare of four integers. Keys come back in code order, back to
 * back (the dictionary's bytes and offsets). A longer key is refused (`code` returns -1): the caller codes that
 * column through a `ByteKeyTable` instead.
 */
import { mix32 } from './kernels/hash-bytes.js';
import { INLINE_BYTES, keyWord } from './kernels/inline-key-words.js';

/** Int32 per slot: `[word 0, word 1, word 2, length, code + 1 (0: empty), unused × 3]`. */
const SLOT_SHIFT = 3;

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
  /** The keys' bytes in code order, and where each ends (`ends[c]`; key c starts at `ends[c - 1]` or 0). */
  bytes = new Uint8Array(4096);
  ends = new Int32Array(256);

  /** Empties the table, keeping its arrays. */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
  }

  /** The code of `bytes[start, end)`, adding it when new; -1 when it is longer than 12 bytes. */
  code(bytes: Uint8Array, start: number, end: number): number {
    const length = end - start;
    if (length > INLINE_BYTES) return -1;
    const w0 = keyWord(bytes, start, length);
    const w1 = keyWord(bytes, start + 4, length - 4);
    const w2 = keyWord(bytes, start + 8, length - 8);
    const slots = this.slots;
    const mask = this.mask;
    let slot = mix32(w0 ^ Math.imul(w1 ^ length, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77)) & mask;
    for (;;) {
      const at = slot << SLOT_SHIFT;
      const entry = slots[at + 4]!;
      if (entry === 0) return this.insert(at, bytes, start, length, w0, w1, w2);
      if (slots[at] === w0 && slots[at + 1] === w1 && slots[at + 2] === w2 && slots[at + 3] === length) {
        return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
  }

  private insert(at: number, bytes: Uint8Array, start: number, length: number, w0: number, w1: number, w2: number) {
    const c = this.size++;
    const from = c === 0 ? 0 : this.ends[c - 1]!;
    if (from + length > this.bytes.length) this.bytes = grown(this.bytes, from + length);
    if (c === this.ends.length) this.ends = grown(this.ends, c + 1);
    for (let k = 0; k < length; k++) this.bytes[from + k] = bytes[start + k]!;
    this.ends[c] = from + length;
    const slots = this.slots;
    slots[at] = w0;
    slots[at + 1] = w1;
    slots[at + 2] = w2;
    slots[at + 3] = length;
    slots[at + 4] = c + 1;
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
      if (old[at + 4] === 0) continue;
      const w0 = old[at]!;
      const w1 = old[at + 1]!;
      const w2 = old[at + 2]!;
      const length = old[at + 3]!;
      let slot = mix32(w0 ^ Math.imul(w1 ^ length, 0x9e3779b1) ^ Math.imul(w2, 0x85ebca77)) & mask;
      while (slots[(slot << SLOT_SHIFT) + 4] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(at, at + (1 << SLOT_SHIFT)), slot << SLOT_SHIFT);
    }
    this.slots = slots;
    this.mask = mask;
  }
}

function grown<T extends Uint8Array | Int32Array>(array: T, needed: number): T {
  let length = array.length * 2;
  while (length < needed) length *= 2;
  const next = new (array.constructor as new (n: number) => T)(length);
  next.set(array);
  return next;
}
