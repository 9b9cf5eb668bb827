/**
 * The slot layout shared by the byte-key hash tables (`ByteKeyTable`, `ByteKeyCounter`): four int32 per slot,
 * `[hash, entry, key start in the arena, key length]`, where `entry` is 0 for an empty slot (a group id + 1, or a
 * count). A probe reads one cache line before touching the key bytes: the hash and length reject almost every
 * other key there. Linear probing over a power-of-two slot count.
 */

/**
 * Slots kept at most three quarters full. Linear probing over 16-byte slots still finds most keys in the first
 * cache line, and the smaller table matters more: with a million distinct words, two threads' tables at half full
 * (32 MiB each) overflow the shared L3 cache, and the 1 GiB word count took 20 s instead of 14 s on 2 threads.
 */
export const LOAD_FACTOR_MAX = 0.75;

/** Int32 per slot. */
export const SLOT_INTS = 4;

/**
 * The slot holding key `bytes[start, end)` (whose hash is `hash`), or `-1 - slot` for the empty slot where it
 * belongs when it is not there.
 *
 * @example
 * const found = probeByteKey(slots, mask, arena, bytes, 0, 4, hash);
 * if (found < 0) insertAt(-1 - found);
 */
export function probeByteKey(
  slots: Int32Array,
  mask: number,
  arena: Uint8Array,
  bytes: Uint8Array,
  start: number,
  end: number,
  hash: number,
): number {
  const length = end - start;
  let slot = hash & mask;
  for (;;) {
    const at = slot << 2;
    if (slots[at + 1] === 0) return -1 - slot;
    if (slots[at] === hash && slots[at + 3] === length) {
      const ks = slots[at + 2]!;
      let k = 0;
      while (k < length && arena[ks + k] === bytes[start + k]) k++;
      if (k === length) return slot;
    }
    slot = (slot + 1) & mask;
  }
}

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
