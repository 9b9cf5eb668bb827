/**
 * Counts of byte-string keys in one open-addressing table, the word count's map side. A slot is four int32, a key of
 * at most 11 bytes packed inside it (`counter-slot-layout.ts`), so counting it touches the slot's cache line and
 * nothing else (its hashes, needed only to rehash and to partition, are computed again from those bytes); a longer key
 * lives in an arena. In the benchmark corpora 99.5 % of the tokens have at most 11 bytes, and for them the arena
 * read that every probe made before (a second cache miss per token once the table outgrew the cache) is gone. The
 * exports (`entries`, `writeByPartition`, in `counted-key-exports.ts`) write the short keys' bytes into the arena
 * after the long ones. A key's slot is found by its table hash (`keyTableHash`: for a short key, of its packed
 * words), its reduce partition by its `hashBytes` (`counter-slot-layout.ts` says why two).
 */
import { ColumnarError } from '../error.js';
import { appendKey, LOAD_FACTOR_MAX } from './byte-key-slots.js';
import { hashBytes } from './hash-bytes.js';
import {
  arenaWithRoomForShortKeys,
  countedKeys,
  type KeyCounts,
  writeCountsByPartition,
} from './counted-key-exports.js';
import {
  HIGH_MASKS,
  INLINE_MAX,
  inlineKeyHash,
  LOW_MASKS,
  MID_MASKS,
  SLOT_INTS,
  slotTableHash,
} from './counter-slot-layout.js';
import { keyWord } from './inline-key-words.js';

const COUNT_MAX = 0x7fffffff;

/**
 * Tokens packed and hashed at a time by `addTokens` (its scratch arrays' length). The scratch arrays and `packTokens`
 * stay in this module although it is long: moved to a module of their own (the arrays behind an object), the
 * word-count kernel measured 3–4 % slower (V8 no longer folds the arrays as constants into the probe loops).
 */
const PACK_BATCH = 1024;
const packedLow = new Int32Array(PACK_BATCH);
const packedMid = new Int32Array(PACK_BATCH);
/** A packed token's `high` word, or 0 for a token probed through `add` (no short key's `high` is 0: its length). */
const packedHigh = new Int32Array(PACK_BATCH);
const packedHashes = new Int32Array(PACK_BATCH);

/**
 * The table hash of key `bytes[start, end)`: what the counter's methods take as `hash`. For a key of at most 11
 * bytes, `inlineKeyHash` of its packed words; for a longer one, its `hashBytes`.
 *
 * @example
 * counter.add(bytes, 0, 4, keyTableHash(bytes, 0, 4));
 */
export function keyTableHash(bytes: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length > INLINE_MAX) return hashBytes(bytes, start, end);
  return inlineKeyHash(
    keyWord(bytes, start, length),
    keyWord(bytes, start + 4, length - 4),
    keyWord(bytes, start + 8, length - 8) | (length << 24),
  );
}

export type { KeyCounts } from './counted-key-exports.js';

/**
 * Byte keys → counts.
 *
 * @example
 * const counter = new ByteKeyCounter();
 * counter.add(bytes, 0, 4, keyTableHash(bytes, 0, 4));
 * counter.entries().counts; // Int32Array [1]
 */
export class ByteKeyCounter {
  /** Distinct keys so far. */
  size = 0;
  private slots: Int32Array;
  private mask: number;
  /** The long keys' bytes, then (after an export) the short keys' bytes. */
  private arena: Uint8Array;
  /** Bytes of long keys in the arena: the exports write the short keys from here. */
  private arenaUsed = 0;
  /** What `touchSlots` read (kept so that V8 does not drop the reads). */
  private touched = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * LOAD_FACTOR_MAX < capacity) slots *= 2;
    this.slots = new Int32Array(slots * SLOT_INTS);
    this.mask = slots - 1;
    this.arena = new Uint8Array(capacity * 2);
  }

  /** Empties the counter and keeps its arrays at their grown sizes (for the next task on this thread). */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.arenaUsed = 0;
  }

  /** Adds 1 to the count of key `bytes[start, end)`, whose table hash is `hash` (`keyTableHash`). */
  add(bytes: Uint8Array, start: number, end: number, hash: number): void {
    const found = this.find(bytes, start, end, hash);
    if (found < 0) {
      this.insert(-1 - found, bytes, start, end, hash, 1);
      return;
    }
    const at = (found << 2) + 1;
    const count = this.slots[at]!;
    if (count === COUNT_MAX) throw tooMany(bytes, start, end);
    this.slots[at] = count + 1;
  }

  /**
   * Adds 1 to the count of each of `n` keys, key t being `bytes[starts[t], ends[t])`: the map side's tokens, a
   * batch at a time (`countWhitespaceTokens`). Per batch of up to 1024: each key packed into its slot words and
   * hashed from them, their home slots read (`touchSlots`, a loop of nothing else: reading them while packing
   * keeps fewer misses in flight, and measured slower on the 1.15 M-word corpus), then the probes.
   */
  addTokens(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, n: number): void {
    for (let from = 0; from < n; from += PACK_BATCH) {
      const count = Math.min(PACK_BATCH, n - from);
      packTokens(bytes, starts, ends, from, count);
      this.touchSlots(packedHashes, count);
      const added = this.addPacked(bytes, starts, ends, null, from, count);
      if (added < count) throw tooMany(bytes, starts[from + added]!, ends[from + added]!);
    }
  }

  /**
   * Adds `counts[r]` to the count of key `bytes[starts[r], ends[r])` for each row r of `from` … `from + n - 1`, a
   * batch at a time as `addTokens` does: the reduce side merging partial counts. Stops before the first row whose
   * count is below 1 or whose sum would pass 2^31 - 1 (the caller then counts the rest another way) and returns
   * the rows added: `n` when all.
   */
  addCounts(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    counts: Int32Array,
    from: number,
    n: number,
  ): number {
    for (let first = from; first < from + n; first += PACK_BATCH) {
      const size = Math.min(PACK_BATCH, from + n - first);
      packTokens(bytes, starts, ends, first, size);
      this.touchSlots(packedHashes, size);
      const added = this.addPacked(bytes, starts, ends, counts, first, size);
      if (added < size) return first - from + added;
    }
    return n;
  }

  /**
   * Adds `counts[r]` (1 when `counts` is null) for the `size` rows r from `from` that `packTokens` packed (those it
   * did not, through `addCount`); stops before a row whose count is below 1 or would pass 2^31 - 1 and returns the
   * rows added.
   */
  private addPacked(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    counts: Int32Array | null,
    from: number,
    size: number,
  ): number {
    let slots = this.slots;
    let mask = this.mask;
    for (let t = 0; t < size; t++) {
      const row = from + t;
      const add = counts === null ? 1 : counts[row]!;
      const high = packedHigh[t]!;
      const hash = packedHashes[t]!;
      if (add < 1) return t;
      if (high === 0) {
        if (!this.addCount(bytes, starts[row]!, ends[row]!, hash, add)) return t;
        slots = this.slots;
        mask = this.mask;
        continue;
      }
      const low = packedLow[t]!;
      const mid = packedMid[t]!;
      let slot = hash & mask;
      for (;;) {
        const at = slot << 2;
        const n = slots[at + 1]!;
        if (n === 0) {
          this.insert(slot, bytes, starts[row]!, ends[row]!, hash, add);
          slots = this.slots;
          mask = this.mask;
          break;
        }
        if (slots[at + 3] === high && slots[at] === low && slots[at + 2] === mid) {
          if (n > COUNT_MAX - add) return t;
          slots[at + 1] = n + add;
          break;
        }
        slot = (slot + 1) & mask;
      }
    }
    return size;
  }

  /**
   * Reads the home slot of each of the first `n` table hashes and nothing else, so that a batch of probes that follows
   * finds them in the cache: the reads are independent and the processor overlaps their misses, where a probe's
   * branches on its slot keep the next probe's miss from starting early. On the 1.15 M-word corpus this took the
   * map side's counting from ~9 s to ~6.5 s of CPU per 256 MiB (tables far past the 1 MiB L2 cache).
   */
  touchSlots(hashes: Int32Array, n: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let touched = 0;
    for (let t = 0; t < n; t++) touched |= slots[((hashes[t]! & mask) << 2) + 1]!;
    this.touched = touched;
  }

  /**
   * Adds `n` (≥ 1) to the count of key `bytes[start, end)` (table hash `hash`): the reduce side merging partial counts.
   * Returns false and changes nothing when the sum would pass 2^31 - 1 (the caller then counts in float64).
   */
  addCount(bytes: Uint8Array, start: number, end: number, hash: number, n: number): boolean {
    if (n > COUNT_MAX) return false;
    const found = this.find(bytes, start, end, hash);
    if (found < 0) {
      this.insert(-1 - found, bytes, start, end, hash, n);
      return true;
    }
    const at = (found << 2) + 1;
    const count = this.slots[at]!;
    if (count > COUNT_MAX - n) return false;
    this.slots[at] = count + n;
    return true;
  }

  /**
   * Every counted key, compacted out of the slots (views of the arena: valid until the next `add`, `addTokens`,
   * `addCount` or `clear`, which may write over the short keys' bytes).
   */
  entries(): KeyCounts {
    this.arena = arenaWithRoomForShortKeys(this.slots, this.arena, this.arenaUsed);
    return countedKeys(this.slots, this.arena, this.arenaUsed, this.size);
  }

  /** The bytes of the keys: a key written by `writeByPartition` is `keyBytes[start, end)` (valid as `entries`). */
  get keyBytes(): Uint8Array {
    return this.arena;
  }

  /**
   * Writes every counted key's start and end in `keyBytes` and its count to `starts`, `ends` and `counts` (at
   * least `size` long), ordered by reduce partition (`partitionOfHash` of the key's `hashBytes` over `partitions`; a
   * counting sort, slot order within a partition), and returns where each partition's entries start (`partitions +
   * 1` offsets). Two plain passes over the slots (no callback per entry): the map side's hand-off to the shuffle.
   * The starts and ends are valid as `entries`' are.
   *
   * @example
   * const partitionStarts = counter.writeByPartition(8, starts, ends, counts);
   */
  writeByPartition(partitions: number, starts: Int32Array, ends: Int32Array, counts: Int32Array): Int32Array {
    this.arena = arenaWithRoomForShortKeys(this.slots, this.arena, this.arenaUsed);
    return writeCountsByPartition(this.slots, this.arena, this.arenaUsed, partitions, { starts, ends, counts });
  }

  /**
   * The slot holding key `bytes[start, end)` (whose table hash is `hash`), or `-1 - slot` for the empty slot where it
   * belongs when it is not there. A short key is compared as its three packed int32, inside the slot; a long one
   * by its length and hash first, then its bytes in the arena.
   */
  private find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const length = end - start;
    const short = length <= INLINE_MAX;
    const low = short ? keyWord(bytes, start, length) : hash;
    const mid = short ? keyWord(bytes, start + 4, length - 4) : 0;
    const high = short ? keyWord(bytes, start + 8, length - 8) | (length << 24) : ~length;
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const at = slot << 2;
      if (slots[at + 1] === 0) return -1 - slot;
      if (slots[at + 3] === high && slots[at] === low) {
        if (short) {
          if (slots[at + 2] === mid) return slot;
        } else if (sameBytes(this.arena, slots[at + 2]!, bytes, start, length)) return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  private insert(slot: number, bytes: Uint8Array, start: number, end: number, hash: number, count: number): void {
    const length = end - start;
    const at = slot << 2;
    this.slots[at + 1] = count;
    if (length <= INLINE_MAX) {
      this.slots[at] = keyWord(bytes, start, length);
      this.slots[at + 2] = keyWord(bytes, start + 4, length - 4);
      this.slots[at + 3] = keyWord(bytes, start + 8, length - 8) | (length << 24);
    } else {
      const keyStart = this.arenaUsed;
      this.arena = appendKey(this.arena, keyStart, bytes, start, length);
      this.arenaUsed += length;
      this.slots[at] = hash;
      this.slots[at + 2] = keyStart;
      this.slots[at + 3] = ~length;
    }
    if (++this.size > (this.mask + 1) * LOAD_FACTOR_MAX) this.rehash();
  }

  private rehash(): void {
    const old = this.slots;
    const slotCount = (this.mask + 1) * 2;
    const slots = new Int32Array(slotCount * SLOT_INTS);
    const mask = slotCount - 1;
    for (let from = 0; from < old.length; from += SLOT_INTS) {
      if (old[from + 1] === 0) continue;
      let slot = slotTableHash(old, from) & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      const to = slot << 2;
      slots[to] = old[from]!;
      slots[to + 1] = old[from + 1]!;
      slots[to + 2] = old[from + 2]!;
      slots[to + 3] = old[from + 3]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * Packs tokens `from` … `from + count - 1` into the scratch arrays: a key of at most 11 bytes as its slot's three
 * words (read as three unaligned int32 masked to its length: a loop per byte cost as much as the probe) and their
 * `inlineKeyHash`; a longer key, or one too close to the buffer's end for the wide reads, as `high` 0 and its
 * `keyTableHash`.
 */
function packTokens(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, from: number, count: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lastWide = bytes.length - 12;
  for (let t = 0; t < count; t++) {
    const start = starts[from + t]!;
    const end = ends[from + t]!;
    const length = end - start;
    if (length > INLINE_MAX || start > lastWide) {
      packedHigh[t] = 0;
      packedHashes[t] = keyTableHash(bytes, start, end);
      continue;
    }
    const low = view.getInt32(start, true) & LOW_MASKS[length]!;
    const mid = view.getInt32(start + 4, true) & MID_MASKS[length]!;
    const high = (view.getInt32(start + 8, true) & HIGH_MASKS[length]!) | (length << 24);
    packedLow[t] = low;
    packedMid[t] = mid;
    packedHigh[t] = high;
    packedHashes[t] = inlineKeyHash(low, mid, high);
  }
}

/** Whether `arena[from, from + length)` holds the bytes of `bytes[start, start + length)`. */
function sameBytes(arena: Uint8Array, from: number, bytes: Uint8Array, start: number, length: number): boolean {
  let k = 0;
  while (k < length && arena[from + k] === bytes[start + k]) k++;
  return k === length;
}

function tooMany(bytes: Uint8Array, start: number, end: number): ColumnarError {
  const key = new TextDecoder().decode(bytes.subarray(start, Math.min(end, start + 40)));
  return new ColumnarError(
    'ERR_COLUMNAR_UNSUPPORTED',
    `count(): the key '${key}' occurs more than ${COUNT_MAX} times in one partition; read the input in smaller splits (readText's splitBytes or minPartitions)`,
  );
}
