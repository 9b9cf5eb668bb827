/**
 * An open-addressing hash table from byte strings to dense group ids (0, 1, 2 …), all in typed arrays: the slot
 * array holds group ids, and each group's key bytes are copied once into one growing arena. No JS string or object
 * per key, so a map-side aggregation over millions of words allocates almost nothing.
 */
import { appendKey, LOAD_FACTOR_MAX, probeByteKey } from './byte-key-slots.js';

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
  /** Slots as `byte-key-slots.ts` lays them out; the entry is group id + 1. */
  private slots: Int32Array;
  private mask: number;
  /** Per group: hash, and key bytes `arena[keyStarts[g], keyEnds[g])`. */
  hashes: Int32Array;
  keyStarts: Int32Array;
  keyEnds: Int32Array;
  arena: Uint8Array;
  private arenaUsed = 0;
  /** A group reserved by `reserveGroup` (never in the slots, so no key finds it), or -1. */
  private reserved = -1;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * LOAD_FACTOR_MAX < capacity) slots *= 2;
    this.slots = new Int32Array(slots * 4);
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
    this.slots.fill(0);
    this.size = 0;
    this.arenaUsed = 0;
    this.reserved = -1;
  }

  /**
   * A new group that no key maps to (an empty key outside the slots): the group of null keys, which have no bytes
   * to hash. At most one per table.
   */
  reserveGroup(): number {
    const g = this.size++;
    if (g === this.hashes.length) this.growGroups();
    this.hashes[g] = 0;
    this.keyStarts[g] = this.arenaUsed;
    this.keyEnds[g] = this.arenaUsed;
    this.reserved = g;
    return g;
  }

  /** The group of key `bytes[start, end)` whose hash is `hash`, or -1 when the table does not hold it. */
  find(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const found = probeByteKey(this.slots, this.mask, this.arena, bytes, start, end, hash);
    return found >= 0 ? this.slots[(found << 2) + 1]! - 1 : -1;
  }

  /** The group of key `bytes[start, end)` whose hash is `hash` (from `hashBytes`), adding it when new. */
  findOrInsert(bytes: Uint8Array, start: number, end: number, hash: number): number {
    const found = probeByteKey(this.slots, this.mask, this.arena, bytes, start, end, hash);
    if (found >= 0) return this.slots[(found << 2) + 1]! - 1;
    return this.insert(-1 - found, bytes, start, end, hash);
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
    this.place(this.slots, slot, g);
    if (this.size > (this.slots.length >>> 2) * LOAD_FACTOR_MAX) this.rehash();
    return g;
  }

  private place(slots: Int32Array, slot: number, g: number): void {
    const at = slot << 2;
    slots[at] = this.hashes[g]!;
    slots[at + 1] = g + 1;
    slots[at + 2] = this.keyStarts[g]!;
    slots[at + 3] = this.keyEnds[g]! - this.keyStarts[g]!;
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

  private rehash(): void {
    const slotCount = (this.slots.length >>> 2) * 2;
    const slots = new Int32Array(slotCount * 4);
    const mask = slotCount - 1;
    for (let g = 0; g < this.size; g++) {
      if (g === this.reserved) continue;
      let slot = this.hashes[g]! & mask;
      while (slots[(slot << 2) + 1] !== 0) slot = (slot + 1) & mask;
      this.place(slots, slot, g);
    }
    this.slots = slots;
    this.mask = mask;
  }
}
