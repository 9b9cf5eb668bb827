/**
 * An open-addressing hash table from numbers to dense group ids, in typed arrays. Keys compare as JS `===` does,
 * except that every NaN is one key (as in a `Map`); `-0` and `0` are one key.
 */
import { hashNumber } from './hash-bytes.js';

const LOAD_FACTOR_MAX = 0.5;

/**
 * Numeric keys → group ids.
 *
 * @example
 * const table = new NumberKeyTable();
 * const g = table.findOrInsert(42);
 */
export class NumberKeyTable {
  size = 0;
  private slots: Int32Array;
  private mask: number;
  hashes: Int32Array;
  keys: Float64Array;

  constructor(capacity = 1024) {
    let slots = 16;
    while (slots * LOAD_FACTOR_MAX < capacity) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
    this.hashes = new Int32Array(capacity);
    this.keys = new Float64Array(capacity);
  }

  /** The group of `key`, adding it when new. */
  findOrInsert(key: number): number {
    const hash = hashNumber(key);
    const slots = this.slots;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot]!;
      if (entry === 0) break;
      const k = this.keys[entry - 1]!;
      if (k === key || (k !== k && key !== key)) return entry - 1;
      slot = (slot + 1) & mask;
    }
    const g = this.size++;
    if (g === this.keys.length) {
      const keys = new Float64Array(g * 2);
      keys.set(this.keys);
      this.keys = keys;
      const hashes = new Int32Array(g * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.keys[g] = key === 0 ? 0 : key;
    this.hashes[g] = hash;
    slots[slot] = g + 1;
    if (this.size > slots.length * LOAD_FACTOR_MAX) this.rehash();
    return g;
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
