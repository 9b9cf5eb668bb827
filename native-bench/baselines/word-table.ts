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

  /**
   * Adds `count` occurrences of `bytes[start, end)`, whose hash is `hash`: the merge of tables counted apart (the
   * multi-thread baseline). {@link add} keeps its own probe loop so the single-thread baseline's hot loop stays the
   * one every earlier round measured.
   */
  addCount(bytes: Uint8Array, start: number, end: number, hash: number, count: number): void {
    const length = end - start;
    let slot = hash & this.mask;
    for (;;) {
      const entry = this.slots[slot]!;
      if (entry === 0) break;
      const g = entry - 1;
      if (this.hashes[g] === hash && this.keyLengths[g] === length) {
        const ks = this.keyStarts[g]!;
        let k = 0;
        while (k < length && this.arena[ks + k] === bytes[start + k]) k++;
        if (k === length) {
          this.counts[g]! += count;
          this.total += count;
          return;
        }
      }
      slot = (slot + 1) & this.mask;
    }
    this.insert(slot, bytes, start, length, hash);
    this.counts[this.size - 1]! += count - 1;
    this.total += count - 1;
  }

  /**
   * The table's words split into `parts` by the hash's top bits (the low bits pick slots), each part in shared
   * memory: per word `[hash, length, count]` in `meta` and its bytes one after another in `keys`.
   */
  exportParts(parts: number): WordTablePart[] {
    const partOf = (hash: number): number => Math.floor(((hash >>> 0) * parts) / 2 ** 32);
    const words = new Int32Array(parts);
    const bytes = new Int32Array(parts);
    for (let g = 0; g < this.size; g++) {
      const p = partOf(this.hashes[g]!);
      words[p]!++;
      bytes[p]! += this.keyLengths[g]!;
    }
    const out: WordTablePart[] = [];
    for (let p = 0; p < parts; p++) {
      out.push({
        meta: new Int32Array(new SharedArrayBuffer(words[p]! * 3 * 4)),
        keys: new Uint8Array(new SharedArrayBuffer(bytes[p]!)),
      });
    }
    words.fill(0);
    bytes.fill(0);
    for (let g = 0; g < this.size; g++) {
      const hash = this.hashes[g]!;
      const p = partOf(hash);
      const { meta, keys } = out[p]!;
      const w = words[p]!++;
      const length = this.keyLengths[g]!;
      meta[3 * w] = hash;
      meta[3 * w + 1] = length;
      meta[3 * w + 2] = this.counts[g]!;
      const start = this.keyStarts[g]!;
      keys.set(this.arena.subarray(start, start + length), bytes[p]!);
      bytes[p]! += length;
    }
    return out;
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

/** One hash range of a {@link WordTable}, in shared memory: see `exportParts`. */
export interface WordTablePart {
  readonly meta: Int32Array;
  readonly keys: Uint8Array;
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
