/**
 * An open-addressing hash table from byte strings to dense group ids (0, 1, 2 …), all in typed arrays: the slot
 * array holds group ids, and each group's key bytes are copied once into one growing arena. No JS string or object
 * per key, so a map-side aggregation over millions of words allocates almost nothing.
 *
 * A slot also holds its key's first `INLINE_BYTES` bytes (`inline-key-words.ts`): a probe of a key that short
 * (db-benchmark's ids, 4-byte codes of a coded tuple's first columns) never reads the arena. Reading the arena
 * after the slot made two dependent cache misses per row once the table outgrew the core's cache, and a byte loop
 * between them kept the processor from overlapping the next rows' misses: 1e5 keys of 12 bytes took ~2.5× as long.
 */
import { appendKey, LOAD_FACTOR_MAX } from './byte-key-slots.js';
import { INLINE_BYTES, keyWord } from './inline-key-words.js';

/** Int32 per slot: `[hash, group id + 1 (0: empty), key length, key word 0, 1, 2]`. */
const SLOT_INTS = 6;

/**
 * Byte keys → group ids.
 *
 * @example
 * const table = new ByteKeyTable();
 * const g = table.findOrInsert(bytes, start, end, hashBytes(bytes, start, end));
 */
export class ByteKeyTable {
  /** Distinct keys so far; group ids are `0 … size - 1` in first-seen order. */
  size = 0;
  /** `SLOT_INTS` int32 per slot (see there). */
  private slots: Int32Array;
  private mask: number;
  /** Per group: hash, and key bytes `arena[keyStarts[g], keyEnds[g])`. */
  hashes: Int32Array;
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  arena: Uint8Array;
  private arenaUsed = 0;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * LOAD_FACTOR_MAX < capacity) slots *= 2;
    this.slots = new Int32Array(slots * SLOT_INTS);
    this.mask = slots - 1;
    this.hashes = new Int32Array(capacity);
    this.keyStarts = new Int32Array(capacity);
    this.keyEnds = new Int32Array(capacity);
    this.arena = new Uint8Array(capacity * 8);
  }

  /**
   * Empties the table and keeps its arrays at their grown sizes, so the next aggregation of a similar partition
   * neither rehashes nor allocates (nor leaves tens of MiB of garbage behind for the collector).
   */
  clear(): void {
    // Slots are written only with a new key: a table that got none (a map task whose groups were its dictionary
    // codes, `grouping/dictionary-groups.ts`) has none to zero, and zeroing the slots of a grown one is megabytes.
    if (this.size > 0) this.slots.fill(0);
    this.size = 0;
    this.arenaUsed = 0;
  }

  /**
   * A new group that no key maps to (an empty key never placed in the slots): the group of null keys, which have no bytes
   * to hash. At most one per table.
   */
  reserveGroup(): number {
    const g = this.size++;
    if (g === this.hashes.length) this.growGroups();
    this.hashes[g] = 0;
    this.keyStarts[g] = this.arenaUsed;
    this.keyEnds[g] = this.arenaUsed;
    return g;
  }

  /** The group of key `bytes[start, end)` whose hash is `hash`, or -1 when the table does not hold it. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const found = this.probe(bytes, start, end, hash);
    return found >= 0 ? this.slots[found * SLOT_INTS + 1]! - 1 : -1;
  }

  /** The group of key `bytes[start, end)` whose hash is `hash` (from `hashBytes`), adding it when new. */
  findOrInsert(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const found = this.probe(bytes, start, end, hash);
    if (found >= 0) return this.slots[found * SLOT_INTS + 1]! - 1;
    return this.insert(-1 - found, bytes, start, end, hash);
  }

  /**
   * The slot holding key `bytes[start, end)`, or `-1 - slot` for the empty slot where it belongs. Hash, length and
   * the inline words reject other keys; only the bytes past `INLINE_BYTES` are compared in the arena.
   */
  private probe(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const length = end - start;
    const w0 = keyWord(bytes, start, length);
    const w1 = keyWord(bytes, start + 4, length - 4);
    const w2 = keyWord(bytes, start + 8, length - 8);
    let slot = hash & mask;
    for (;;) {
      const at = slot * SLOT_INTS;
      if (slots[at + 1] === 0) return -1 - slot;
      if (
        slots[at] === hash &&
        slots[at + 2] === length &&
        slots[at + 3] === w0 &&
        slots[at + 4] === w1 &&
        slots[at + 5] === w2 &&
        (length <= INLINE_BYTES || this.sameTail(slots[at + 1]! - 1, bytes, start, length))
      ) {
        return slot;
      }
      slot = (slot + 1) & mask;
    }
  }

  /** True when group `g`'s key bytes past the inline ones equal `bytes[start + INLINE_BYTES, start + length)`. */
  private sameTail(g: number, bytes: Uint8Array, start: number, length: number): boolean {
    const arena = this.arena;
    const ks = this.keyStarts[g]!;
    for (let k = INLINE_BYTES; k < length; k++) if (arena[ks + k] !== bytes[start + k]) return false;
    return true;
  }

  private insert(slot: number, bytes: Uint8Array, start: number, end: number, hash: number): number {
    const g = this.size++;
    if (g === this.hashes.length) this.growGroups();
    const length = end - start;
    const at = this.arenaUsed;
    this.arena = appendKey(this.arena, at, bytes, start, length);
    this.arenaUsed += length;
    this.hashes[g] = hash;
    this.keyStarts[g] = at;
    this.keyEnds[g] = at + length;
    const slots = this.slots;
    const to = slot * SLOT_INTS;
    slots[to] = hash;
    slots[to + 1] = g + 1;
    slots[to + 2] = length;
    slots[to + 3] = keyWord(bytes, start, length);
    slots[to + 4] = keyWord(bytes, start + 4, length - 4);
    slots[to + 5] = keyWord(bytes, start + 8, length - 8);
    if (this.size > (slots.length / SLOT_INTS) * LOAD_FACTOR_MAX) this.rehash();
    return g;
  }

  private growGroups(): void {
    const capacity = this.hashes.length * 2;
    const grown = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    this.hashes = grown(this.hashes);
    this.keyStarts = grown(this.keyStarts);
    this.keyEnds = grown(this.keyEnds);
  }

  /** Doubles the slots, moving each occupied slot whole (its inline words with it). */
  private rehash(): void {
    this.slots = rehashedSlots(this.slots);
    this.mask = this.slots.length / SLOT_INTS - 1;
  }
}

/**
 * The slots of `old` placed in a table of twice as many. A plain function: the loop is optimized on its first,
 * long run (OSR), and code after it in the same function had no type feedback yet, so the method deoptimized
 * there the first times (`hot-loops-do-not-deoptimize-chunk-after-chunk`).
 */
function rehashedSlots(old: Int32Array): Int32Array {
  const slotCount = (old.length / SLOT_INTS) * 2;
  const slots = new Int32Array(slotCount * SLOT_INTS);
  const mask = slotCount - 1;
  for (let from = 0; from < old.length; from += SLOT_INTS) {
    if (old[from + 1] === 0) continue;
    let slot = old[from]! & mask;
    while (slots[slot * SLOT_INTS + 1] !== 0) slot = (slot + 1) & mask;
    // Int by int: a `subarray` view per slot cost more than the move (at 1e5 keys, more than the rest of the fill).
    const to = slot * SLOT_INTS;
    for (let k = 0; k < SLOT_INTS; k++) slots[to + k] = old[from + k]!;
  }
  return slots;
}
