/**
 * Counts of byte-string keys in one open-addressing table, the word count's map side: each slot holds the key's
 * hash, its count, and where its bytes start and how long they are in one arena. Unlike `ByteKeyTable` there are
 * no group ids and no per-group arrays, so counting a token touches the slot's cache line and the key's bytes and
 * nothing else (a separate counts array was a third cache miss per token once the table outgrew the cache).
 */
import { ColumnarError } from '../error.js';
import { appendKey, LOAD_FACTOR_MAX, probeByteKey, SLOT_INTS } from './byte-key-slots.js';
import { partitionOfHash } from './hash-bytes.js';

const COUNT_MAX = 0x7fffffff;

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
 * Byte keys → counts.
 *
 * @example
 * const counter = new ByteKeyCounter();
 * counter.add(bytes, 0, 4, hashBytes(bytes, 0, 4));
 * counter.entries().counts; // Int32Array [1]
 */
export class ByteKeyCounter {
  /** Distinct keys so far. */
  size = 0;
  private slots: Int32Array;
  private mask: number;
  private arena: Uint8Array;
  private arenaUsed = 0;
  /** What `touchSlots` read (kept so that V8 does not drop the reads). */
  private touched = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * LOAD_FACTOR_MAX < capacity) slots *= 2;
    this.slots = new Int32Array(slots * SLOT_INTS);
    this.mask = slots - 1;
    this.arena = new Uint8Array(capacity * 8);
  }

  /** Empties the counter and keeps its arrays at their grown sizes (for the next task on this thread). */
  clear(): void {
    this.slots.fill(0);
    this.size = 0;
    this.arenaUsed = 0;
  }

  /** Adds 1 to the count of key `bytes[start, end)`, whose hash is `hash` (from `hashBytes`); slot entry = count. */
  add(bytes: Uint8Array, start: number, end: number, hash: number): void {
    const found = probeByteKey(this.slots, this.mask, this.arena, bytes, start, end, hash);
    if (found < 0) {
      this.insert(-1 - found, bytes, start, end - start, hash, 1);
      return;
    }
    const at = (found << 2) + 1;
    const count = this.slots[at]!;
    if (count === COUNT_MAX) throw tooMany(bytes, start, end);
    this.slots[at] = count + 1;
  }

  /**
   * Adds 1 to the count of each of `n` keys, key t being `bytes[starts[t], ends[t])` with hash `hashes[t]`: the
   * map side's tokens, a batch at a time (`countWhitespaceTokens`), their slots touched first (`touchSlots`).
   */
  addTokens(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, hashes: Int32Array, n: number): void {
    this.touchSlots(hashes, n);
    for (let t = 0; t < n; t++) this.add(bytes, starts[t]!, ends[t]!, hashes[t]!);
  }

  /**
   * Reads the home slot of each of the first `n` hashes and nothing else, so that a batch of probes that follows
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
   * Adds `n` (≥ 1) to the count of key `bytes[start, end)` (hash `hash`): the reduce side merging partial counts.
   * Returns false and changes nothing when the sum would pass 2^31 - 1 (the caller then counts in float64).
   */
  addCount(bytes: Uint8Array, start: number, end: number, hash: number, n: number): boolean {
    if (n > COUNT_MAX) return false;
    const found = probeByteKey(this.slots, this.mask, this.arena, bytes, start, end, hash);
    if (found < 0) {
      this.insert(-1 - found, bytes, start, end - start, hash, n);
      return true;
    }
    const at = (found << 2) + 1;
    const count = this.slots[at]!;
    if (count > COUNT_MAX - n) return false;
    this.slots[at] = count + n;
    return true;
  }

  /** Every counted key, compacted out of the slots (views of the arena: valid until `clear`). */
  entries(): KeyCounts {
    const size = this.size;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const hashes = new Int32Array(size);
    const counts = new Int32Array(size);
    const slots = this.slots;
    let i = 0;
    for (let at = 0; at < slots.length; at += SLOT_INTS) {
      const count = slots[at + 1]!;
      if (count === 0) continue;
      hashes[i] = slots[at]!;
      counts[i] = count;
      starts[i] = slots[at + 2]!;
      ends[i++] = slots[at + 2]! + slots[at + 3]!;
    }
    return { size, arena: this.arena, starts, ends, hashes, counts };
  }

  /** The bytes of the keys: a key written by `writeByPartition` is `keyBytes[start, end)` (valid until `clear`). */
  get keyBytes(): Uint8Array {
    return this.arena;
  }

  /**
   * Writes every counted key's start and end in `keyBytes` and its count to `starts`, `ends` and `counts` (at
   * least `size` long), ordered by reduce partition (`partitionOfHash` of the key's hash over `partitions`; a
   * counting sort, slot order within a partition), and returns where each partition's entries start (`partitions +
   * 1` offsets). Two plain passes over the slots (no callback per entry): the map side's hand-off to the shuffle.
   *
   * @example
   * const partitionStarts = counter.writeByPartition(8, starts, ends, counts);
   */
  writeByPartition(partitions: number, starts: Int32Array, ends: Int32Array, counts: Int32Array): Int32Array {
    const slots = this.slots;
    const partitionStarts = new Int32Array(partitions + 1);
    for (let at = 0; at < slots.length; at += SLOT_INTS) {
      if (slots[at + 1] === 0) continue;
      const p = partitionOfHash(slots[at]!, partitions) + 1;
      partitionStarts[p] = partitionStarts[p]! + 1;
    }
    for (let p = 0; p < partitions; p++) partitionStarts[p + 1] = partitionStarts[p + 1]! + partitionStarts[p]!;
    const filled = partitionStarts.slice(0, partitions);
    for (let at = 0; at < slots.length; at += SLOT_INTS) {
      const count = slots[at + 1]!;
      if (count === 0) continue;
      const p = partitionOfHash(slots[at]!, partitions);
      const to = filled[p]!;
      filled[p] = to + 1;
      starts[to] = slots[at + 2]!;
      ends[to] = slots[at + 2]! + slots[at + 3]!;
      counts[to] = count;
    }
    return partitionStarts;
  }

  private insert(slot: number, bytes: Uint8Array, start: number, length: number, hash: number, count: number): void {
    const keyStart = this.arenaUsed;
    this.arena = appendKey(this.arena, keyStart, bytes, start, length);
    this.arenaUsed += length;
    const at = slot << 2;
    this.slots[at] = hash;
    this.slots[at + 1] = count;
    this.slots[at + 2] = keyStart;
    this.slots[at + 3] = length;
    if (++this.size > (this.mask + 1) * LOAD_FACTOR_MAX) this.rehash();
  }

  private rehash(): void {
    const old = this.slots;
    const slotCount = (this.mask + 1) * 2;
    const slots = new Int32Array(slotCount * SLOT_INTS);
    const mask = slotCount - 1;
    for (let from = 0; from < old.length; from += SLOT_INTS) {
      if (old[from + 1] === 0) continue;
      let slot = old[from]! & mask;
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

function tooMany(bytes: Uint8Array, start: number, end: number): ColumnarError {
  const key = new TextDecoder().decode(bytes.subarray(start, Math.min(end, start + 40)));
  return new ColumnarError(
    'ERR_COLUMNAR_UNSUPPORTED',
    `count(): the key '${key}' occurs more than ${COUNT_MAX} times in one partition; read the input in smaller splits (readText's splitBytes or minPartitions)`,
  );
}
