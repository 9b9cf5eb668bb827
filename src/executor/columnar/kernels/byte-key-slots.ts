/**
 * What the byte-key hash tables (`ByteKeyTable`, `ByteKeyCounter`) share: their load factor and their arena of key
 * bytes. Each lays out its own slots (linear probing over a power-of-two slot count).
 */

/**
 * Slots kept at most three quarters full. Linear probing over 16-byte slots still finds most keys in the first
 * cache line, and the smaller table matters more: with a million distinct words, two threads' tables at half full
 * (32 MiB each) overflow the shared L3 cache, and the 1 GiB word count took 20 s instead of 14 s on 2 threads.
 */
export const LOAD_FACTOR_MAX = 0.75;

/**
 * Copies `bytes[start, start + length)` to `arena` at `used`, growing the arena (geometrically) when needed;
 * returns the arena that now holds them.
 *
 * @example
 * this.arena = appendKey(this.arena, this.arenaUsed, bytes, start, length);
 */
export function appendKey(
  arena: Uint8Array,
  used: number,
  bytes: Uint8Array,
  start: number,
  length: number,
): Uint8Array {
  let target = arena;
  if (used + length > arena.length) {
    target = new Uint8Array(Math.max(arena.length * 2, used + length));
    target.set(arena.subarray(0, used));
  }
  if (length > 16) target.set(bytes.subarray(start, start + length), used);
  else for (let k = 0; k < length; k++) target[used + k] = bytes[start + k]!;
  return target;
}
