/**
 * The slot layout of `ByteKeyCounter`: a slot is four int32, `[low, count, mid, high]`, count 0 for an empty slot.
 * A key of at most 11 bytes lives in the slot itself: its bytes 0–3 in `low`, 4–7 in `mid`, 8–10 in `high`
 * (little-endian, zeros past its end) and its length in `high`'s top byte. A longer key lives in an arena: `low` is
 * its hash, `mid` where its bytes start and `high` is `~length` (negative, so no short key's `high` equals it).
 * These helpers read a packed short key back (its bytes, its hash) for the exports, and give where a key's slot is
 * looked for (its table hash) to the probes and the rehash.
 *
 * Two hashes, for two jobs: a key's slot is found by its table hash, which for a short key mixes its three packed
 * words (a few multiplies, where hashing its bytes one by one costs a dependent multiply per byte on the word
 * count's hottest path), and for a long key is its `hashBytes`; the reduce partition a key goes to is always by
 * `hashBytes` (`slotHash`), computed once per distinct key at export, so every columnar shuffle of strings agrees.
 */
import { mix32 } from './hash-bytes.js';

/** Int32 per slot. */
export const SLOT_INTS = 4;

/** The longest key kept in its slot (11 bytes, and its length in the top byte of the slot's `high`). */
export const INLINE_MAX = 11;

/** The bits of a key's bytes 0–3, 4–7 and 8–10 that a key of length `[n]` has (to mask an unaligned read). */
export const LOW_MASKS = Int32Array.from({ length: INLINE_MAX + 1 }, (_, n) => byteMask(Math.min(n, 4)));
export const MID_MASKS = Int32Array.from({ length: INLINE_MAX + 1 }, (_, n) =>
  byteMask(Math.min(Math.max(n - 4, 0), 4)),
);
export const HIGH_MASKS = Int32Array.from({ length: INLINE_MAX + 1 }, (_, n) => byteMask(Math.max(n - 8, 0)));

/** Byte `k` (0–10) of the short key packed as `low`, `mid` and `high`. */
function shortKeyByte(low: number, mid: number, high: number, k: number): number {
  const word = k < 4 ? low : k < 8 ? mid : high;
  return (word >>> ((k & 3) << 3)) & 0xff;
}

/** `hashBytes` of the short key packed as `low`, `mid` and `high`. */
export function shortKeyHash(low: number, mid: number, high: number): number {
  const length = high >>> 24;
  let h = 0x811c9dc5;
  for (let k = 0; k < length; k++) h = Math.imul(h ^ shortKeyByte(low, mid, high, k), 0x01000193);
  return mix32(h);
}

/**
 * The table hash of the short key packed as `low`, `mid` and `high`: where its slot is looked for. Its low bits
 * index the table, so every word reaches them (multiply, then a murmur3-style finalizer).
 */
export function inlineKeyHash(low: number, mid: number, high: number): number {
  let h = Math.imul(low, 0x9e3779b1) ^ mid;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ high;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The table hash of the key in the (full) slot at int `at` of `slots` (a long key's slot holds it). */
export function slotTableHash(slots: Int32Array, at: number): number {
  const high = slots[at + 3]!;
  return high < 0 ? slots[at]! : inlineKeyHash(slots[at]!, slots[at + 2]!, high);
}

/** The `hashBytes` of the key in the (full) slot at int `at` of `slots`: its reduce partition's hash. */
export function slotHash(slots: Int32Array, at: number): number {
  const high = slots[at + 3]!;
  return high < 0 ? slots[at]! : shortKeyHash(slots[at]!, slots[at + 2]!, high);
}

/** Writes the short key packed as `low`, `mid` and `high` to `arena` at `at`; returns where its bytes end. */
export function writeShortKey(arena: Uint8Array, at: number, low: number, mid: number, high: number): number {
  const length = high >>> 24;
  for (let k = 0; k < length; k++) arena[at + k] = shortKeyByte(low, mid, high, k);
  return at + length;
}

/** An int32 with the low `bytes` (0–4) bytes set. */
function byteMask(bytes: number): number {
  return bytes === 4 ? -1 : (1 << (bytes << 3)) - 1;
}
