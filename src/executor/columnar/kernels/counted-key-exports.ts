/**
 * `ByteKeyCounter`'s exports: its counted keys out of the slots, either compacted in slot order (`countedKeys`) or
 * ordered by reduce partition (`writeCountsByPartition`). Both write the short keys' bytes (packed in the slots,
 * `counter-slot-layout.ts`) into the arena after the long keys'.
 */
import { partitionOfHash } from './hash-bytes.js';
import { SHORT_KEY_OVERRUN, shortKeyHash, SLOT_INTS, slotHash, writeShortKey } from './counter-slot-layout.js';

/**
 * Each key's partition between `writeCountsByPartition`'s two passes, kept for the thread's next export: a fresh
 * array per map task (~1.3 MB at 270 k keys) is a large object that only a full collection frees, and a thread's
 * 16 map tasks of the 1 GiB word count left the peak RSS ~10 MiB higher.
 */
let partitionsOfKeys = new Int32Array(0);

/** `partitionsOfKeys`, grown (with a quarter to spare) to at least `length`. */
function partitionScratch(length: number): Int32Array {
  if (partitionsOfKeys.length < length) partitionsOfKeys = new Int32Array(Math.ceil(length * 1.25));
  return partitionsOfKeys;
}

/** The counted keys, in slot order: key bytes `arena[starts[i], ends[i])`, hash and count. */
export interface KeyCounts {
  readonly size: number;
  readonly arena: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly hashes: Int32Array;
  readonly counts: Int32Array;
}

/**
 * The `size` keys counted in `slots`, compacted out of them; `arena` (from `arenaWithRoomForShortKeys`) holds the
 * long keys' bytes in `[0, arenaUsed)` and receives the short keys' after them.
 */
export function countedKeys(slots: Int32Array, arena: Uint8Array, arenaUsed: number, size: number): KeyCounts {
  const starts = new Int32Array(size);
  const ends = new Int32Array(size);
  const hashes = new Int32Array(size);
  const counts = new Int32Array(size);
  const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
  let used = arenaUsed;
  let i = 0;
  for (let at = 0; at < slots.length; at += SLOT_INTS) {
    const count = slots[at + 1]!;
    if (count === 0) continue;
    counts[i] = count;
    const high = slots[at + 3]!;
    if (high < 0) {
      hashes[i] = slots[at]!;
      starts[i] = slots[at + 2]!;
      ends[i++] = slots[at + 2]! + ~high;
    } else {
      hashes[i] = shortKeyHash(slots[at]!, slots[at + 2]!, high);
      starts[i] = used;
      used = writeShortKey(view, used, slots[at]!, slots[at + 2]!, high);
      ends[i++] = used;
    }
  }
  return { size, arena, starts, ends, hashes, counts };
}

/**
 * Writes every key counted in `slots` (its start and end in `arena`, as `countedKeys`) and its count to `starts`,
 * `ends` and `counts` (each at least as long as the keys are many), ordered by reduce partition (a counting sort,
 * slot order within a partition); returns where each partition's entries start (`partitions + 1` offsets). Two
 * plain passes over the slots; the first hashes each key and keeps its partition for the second.
 */
export function writeCountsByPartition(
  slots: Int32Array,
  arena: Uint8Array,
  arenaUsed: number,
  partitions: number,
  out: { readonly starts: Int32Array; readonly ends: Int32Array; readonly counts: Int32Array },
): Int32Array {
  const { starts, ends, counts } = out;
  const partitionStarts = new Int32Array(partitions + 1);
  const partitionOfKey = partitionScratch(counts.length);
  let keys = 0;
  for (let at = 0; at < slots.length; at += SLOT_INTS) {
    if (slots[at + 1] === 0) continue;
    const p = partitionOfHash(slotHash(slots, at), partitions);
    partitionOfKey[keys++] = p;
    partitionStarts[p + 1] = partitionStarts[p + 1]! + 1;
  }
  for (let p = 0; p < partitions; p++) partitionStarts[p + 1] = partitionStarts[p + 1]! + partitionStarts[p]!;
  const filled = partitionStarts.slice(0, partitions);
  const view = new DataView(arena.buffer, arena.byteOffset, arena.byteLength);
  let used = arenaUsed;
  let key = 0;
  for (let at = 0; at < slots.length; at += SLOT_INTS) {
    const count = slots[at + 1]!;
    if (count === 0) continue;
    const p = partitionOfKey[key++]!;
    const to = filled[p]!;
    filled[p] = to + 1;
    const high = slots[at + 3]!;
    if (high < 0) {
      starts[to] = slots[at + 2]!;
      ends[to] = slots[at + 2]! + ~high;
    } else {
      starts[to] = used;
      used = writeShortKey(view, used, slots[at]!, slots[at + 2]!, high);
      ends[to] = used;
    }
    counts[to] = count;
  }
  return partitionStarts;
}

/**
 * `arena`, or a copy of its first `arenaUsed` bytes grown so the short keys' bytes fit after them, with the
 * `SHORT_KEY_OVERRUN` bytes that writing them may overwrite (for an export).
 */
export function arenaWithRoomForShortKeys(slots: Int32Array, arena: Uint8Array, arenaUsed: number): Uint8Array {
  let shortBytes = 0;
  for (let at = 0; at < slots.length; at += SLOT_INTS) {
    const high = slots[at + 3]!;
    if (slots[at + 1] !== 0 && high >= 0) shortBytes += high >>> 24;
  }
  const needed = arenaUsed + shortBytes + SHORT_KEY_OVERRUN;
  if (needed <= arena.length) return arena;
  const grown = new Uint8Array(needed);
  grown.set(arena.subarray(0, arenaUsed));
  return grown;
}
