/**
 * A byte key's first bytes as little-endian int32 words, zero past its end: what `ByteKeyTable` keeps in each slot
 * so a probe of a short key compares a few integers instead of reading the key's bytes in the arena.
 */

/** Key bytes held in a slot's words (three words). */
export const INLINE_BYTES = 12;

/**
 * The word of `bytes[at, at + 4)` when `left` (the key's bytes from `at` on) is at least 4; of the `left` bytes
 * there, zero-padded, when fewer; 0 when none. Never reads past the key.
 *
 * @example
 * keyWord(new Uint8Array([1, 2]), 0, 2); // 0x0201
 */
export function keyWord(bytes: Uint8Array, at: number, left: number): number {
  if (left >= 4) return bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24);
  if (left <= 0) return 0;
  let word = bytes[at]!;
  if (left > 1) word |= bytes[at + 1]! << 8;
  if (left > 2) word |= bytes[at + 2]! << 16;
  return word;
}
