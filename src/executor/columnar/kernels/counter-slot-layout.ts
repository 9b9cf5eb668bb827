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

/**
 * `hashBytes` of the short key packed as `low`, `mid` and `high`: FNV-1a over its bytes taken from the words by
 * shifts (a byte lookup per step made the word count's export, which hashes every distinct key of a map task for
 * its partition, ~6 % of the task on the 1.15 M-word corpus).
 */
export function shortKeyHash(low: number, mid: number, high: number): number {
  const length = high >>> 24;
  let h = 0x811c9dc5;
  h = fnvWordBytes(h, low, Math.min(length, 4));
  h = fnvWordBytes(h, mid, Math.min(length - 4, 4));
  h = fnvWordBytes(h, high, length - 8);
  return mix32(h);
}

/** FNV-1a state `h` after the first `bytes` (at most 4; none when 0 or less) bytes of `word`, low byte first. */
function fnvWordBytes(h: number, word: number, bytes: number): number {
  let state = h;
  let rest = word;
  for (let k = 0; k < bytes; k++) {
    state = Math.imul(state ^ (rest & 0xff), 0x01000193);
    rest >>>= 8;
  }
  return state;
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

/**
 * Bytes past a short key that `writeShortKey` may write over: an arena receiving short keys has this many to spare
 * after the last one.
 */
export const SHORT_KEY_OVERRUN = 12 - 1;

/**
 * Writes the short key packed as `low`, `mid` and `high` to `view` at `at` and returns where its bytes end. Writes
 * its three words whole (three stores, where a byte at a time cost ~6 ms per 270 k keys of an export), so up to
 * `SHORT_KEY_OVERRUN` bytes after the key are overwritten: keys written one after the other cover them.
 */
export function writeShortKey(view: DataView, at: number, low: number, mid: number, high: number): number {
  view.setInt32(at, low, true);
  view.setInt32(at + 4, mid, true);
  view.setInt32(at + 8, high, true);
  return at + (high >>> 24);
}

/** An int32 with the low `bytes` (0–4) bytes set. */
function byteMask(bytes: number): number {
  return bytes === 4 ? -1 : (1 << (bytes << 3)) - 1;
}
