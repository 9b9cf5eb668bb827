/**
 * Native baseline of string hash aggregation: an open-addressing table from UTF-8 byte strings to counts, all in
 * typed arrays (slots of group ids, one byte arena for the keys, FNV-1a hashes computed while scanning). What a
 * careful single-thread JS word count does; the engine's `ByteKeyTable` is compared with it.
 */

const LOAD_FACTOR_MAX = 0.75;

/**
 * Word → count.
 *
 * @example
 * const table = new WordTable();
 * table.add(bytes, 0, 4, fnv1a(bytes, 0, 4));
 * table.size; // 1
 */
export class WordTable {
  /** Distinct words. */
  size = 0;
  /** Sum of all counts. */
  total = 0;
  counts: Int32Array = new Int32Array(1024);
  private hashes: Int32Array = new Int32Array(1024);
  private keyStarts: Int32Array = new Int32Array(1024);
  private keyLengths: Int32Array = new Int32Array(1024);
  private arena = new Uint8Array(1 << 16);
  private arenaUsed = 0;
  /** Group id + 1 per slot; 0 = empty. */
  private slots = new Int32Array(4096);
  private mask = 4095;

  /** Counts one occurrence of `bytes[start, end)`, whose FNV-1a hash is `hash`. */
  add(bytes: Uint8Array, start: number, end: number, hash: number): void {
    const length = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === 0) break;
      const g = entry - 1;
      if (this.hashes[g] === hash && this.keyLengths[g] === length) {
        const arena = this.arena;
        const ks = this.keyStarts[g]!;
        let k = 0;
        while (k < length && arena[ks + k] === bytes[start + k]) k++;
        if (k === length) {
          this.counts[g]!++;
          this.total++;
          return;
        }
      }
      slot = (slot + 1) & mask;
    }
    this.insert(slot, bytes, start, length, hash);
  }

  /** The words and their counts as a JS map (for checks, not on the hot path). */
  toMap(): Map<string, number> {
    const decoder = new TextDecoder();
    const map = new Map<string, number>();
    for (let g = 0; g < this.size; g++) {
      const s = this.keyStarts[g]!;
      map.set(decoder.decode(this.arena.subarray(s, s + this.keyLengths[g]!)), this.counts[g]!);
    }
    return map;
  }

  private insert(slot: number, bytes: Uint8Array, start: number, length: number, hash: number): void {
    const g = this.size++;
    if (g === this.counts.length) this.growGroups();
    if (this.arenaUsed + length > this.arena.length) {
      const arena = new Uint8Array(Math.max(this.arena.length * 2, this.arenaUsed + length));
      arena.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = arena;
    }
    const at = this.arenaUsed;
    for (let k = 0; k < length; k++) this.arena[at + k] = bytes[start + k]!;
    this.arenaUsed += length;
    this.hashes[g] = hash;
    this.keyStarts[g] = at;
    this.keyLengths[g] = length;
    this.counts[g] = 1;
    this.total++;
    this.slots[slot] = g + 1;
    if (this.size > this.slots.length * LOAD_FACTOR_MAX) this.rehash();
  }

  private growGroups(): void {
    const grow = (old: Int32Array): Int32Array => {
      const next = new Int32Array(old.length * 2);
      next.set(old);
      return next;
    };
    this.counts = grow(this.counts);
    this.hashes = grow(this.hashes);
    this.keyStarts = grow(this.keyStarts);
    this.keyLengths = grow(this.keyLengths);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let g = 0; g < this.size; g++) {
      let slot = this.hashes[g]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * FNV-1a of `bytes[start, end)` with a final avalanche step (the low bits pick the slot).
 *
 * @example
 * fnv1a(new TextEncoder().encode('word'), 0, 4);
 */
export function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return avalanche(h);
}

/**
 * Final mixing of an FNV-1a state so nearby keys spread over the table.
 *
 * @example
 * avalanche(0x811c9dc5);
 */
export function avalanche(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return h ^ (h >>> 12);
}
