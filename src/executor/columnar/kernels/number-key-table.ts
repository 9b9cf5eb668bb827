/**
 * An open-addressing hash table from numbers to dense group ids, in typed arrays. Keys compare as JS `===` does,
 * except that every NaN is one key (as in a `Map`); `-0` and `0` are one key.
 *
 * Integer keys (an int32 column, or a float64 one whose values are integers, as number keys come back from a
 * shuffle) whose values span a small range skip hashing altogether: a directory indexed by `key - base` holds each
 * key's group (DuckDB's "perfect hash" aggregate). The directory of a range of 100,000 keys is 400 KB,
 * small enough to stay in a core's cache, where a probe sequence over slots and keys misses it twice per row.
 */
import { hashNumber } from './hash-bytes.js';

const LOAD_FACTOR_MAX = 0.5;

/** The directory may span at most this many keys (16 MiB)… */
const DIRECT_SPAN_MAX = 1 << 22;
/** …and at most this many times the rows it has served, so a few scattered keys never allocate a big one. */
const DIRECT_SPAN_PER_ROW = 4;
/** Spans this small always qualify. */
const DIRECT_SPAN_ALWAYS = 1 << 16;

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
  /** True while groups were added through the directory only: `slots` must be rebuilt before a hash probe. */
  private slotsStale = false;
  /** `directory[key - directBase]` is group + 1, or 0 for a key not seen; null until an int32 batch qualifies. */
  private directory: Int32Array | null = null;
  private directBase = 0;
  /** Once a batch falls outside what the directory may span, every later batch uses the hash slots. */
  private directRefused = false;
  private rowsSeen = 0;
  /** A group reserved by `reserveGroup` (never in the slots or the directory), or -1. */
  private reserved = -1;
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
    if (this.slotsStale) this.rebuildSlots(this.slots.length);
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
    const g = this.append(key === 0 ? 0 : key, hash);
    slots[slot] = g + 1;
    // A directory in use must hold every key (a batch with nulls is probed key by key between batches that use it).
    if (this.directory !== null) this.noteInDirectory(key, g);
    if (this.size > slots.length * LOAD_FACTOR_MAX) this.rebuildSlots(slots.length * 2);
    return g;
  }

  /**
   * The directory while one serves (`directory[key - base]` is the key's group + 1, 0 for a key not seen; it holds
   * every key seen), else null: for a pass that looks rows' groups up itself (`aggregates/sums-by-key-directory.ts`)
   * and reports those rows with `countRows`.
   */
  get direct(): { readonly directory: Int32Array; readonly base: number } | null {
    return this.directory === null ? null : { directory: this.directory, base: this.directBase };
  }

  /**
   * `direct`, made first when no group exists yet and the keys of `values[from … to - 1]` (rows about to be grouped)
   * qualify, as `assignNumbers` would make it for those rows: so a pass that looks groups up itself serves a task's
   * first chunk too, instead of that chunk going through group ids (and a second kernel) alone.
   */
  directOver(
    values: Int32Array,
    from: number,
    to: number,
  ): { readonly directory: Int32Array; readonly base: number } | null {
    if (this.directory === null && this.size === 0 && from < to) this.growDirectory(values, from, to, to - from);
    return this.direct;
  }

  /** Counts rows whose groups a caller found in the directory: they let it span more keys, as assigned rows do. */
  countRows(rows: number): void {
    this.rowsSeen += rows;
  }

  /** `assignNumbers` of an int32 column. */
  assignInt32(values: Int32Array, from: number, to: number, ids: Int32Array): void {
    this.assignNumbers(values, from, to, ids);
  }

  /**
   * Writes the group of `values[i]` to `ids[i - from]` for rows `from … to - 1`, adding new keys: through the
   * directory while the keys are integers whose range allows, else one hash probe per row.
   */
  assignNumbers(values: Int32Array | Float64Array, from: number, to: number, ids: Int32Array): void {
    this.rowsSeen += to - from;
    let at = from;
    while (at < to && (this.directory !== null || this.growDirectory(values, at, to))) {
      const directory = this.directory!;
      const base = this.directBase;
      // The tight loop stops at a key seen for the first time or outside the directory; handling those here
      // keeps calls and allocations out of it.
      at = lookUpDirectory(values, at, from, to, directory, base, ids);
      if (at === to) return;
      // Within the directory, a key is an int32 (see `rangeOf`); `| 0` makes -0 the key 0.
      const key = values[at]! | 0;
      const offset = values[at]! - base;
      if (offset >= 0 && offset < directory.length && (offset | 0) === offset) {
        const g = this.append(key, hashNumber(key));
        directory[offset] = g + 1;
        ids[at++ - from] = g;
        this.slotsStale = true;
      } else if (!this.growDirectory(values, at, to)) {
        break;
      }
    }
    for (let i = at; i < to; i++) ids[i - from] = this.findOrInsert(values[i]!);
  }

  /**
   * Makes the directory span every key it spans now and every key of `values[from … to - 1]`, when that span is
   * allowed (`rowsAhead`: rows not yet counted that it will serve); otherwise drops it for good and returns false.
   */
  private growDirectory(values: Int32Array | Float64Array, from: number, to: number, rowsAhead = 0): boolean {
    const current = this.directory;
    // Groups added by hash probes before the directory existed would be missing from it.
    if (current === null && (this.directRefused || this.size > 0)) return false;
    if (!rangeOf(values, from, to, range)) {
      this.directRefused = true;
      this.directory = null;
      return false;
    }
    let low = range[0]!;
    let high = range[1]!;
    if (current !== null) {
      low = Math.min(low, this.directBase);
      high = Math.max(high, this.directBase + current.length - 1);
    }
    const span = high - low + 1;
    const allowed = Math.min(
      DIRECT_SPAN_MAX,
      Math.max(DIRECT_SPAN_ALWAYS, (this.rowsSeen + rowsAhead) * DIRECT_SPAN_PER_ROW),
    );
    if (span > allowed) {
      this.directRefused = true;
      this.directory = null;
      return false;
    }
    const directory = new Int32Array(span);
    if (current !== null) directory.set(current, this.directBase - low);
    this.directory = directory;
    this.directBase = low;
    return true;
  }

  /** Puts group `g` of `key` in the directory, or gives the directory up for good when the key falls outside it. */
  private noteInDirectory(key: number, g: number): void {
    const offset = key - this.directBase;
    if (offset >= 0 && offset < this.directory!.length && (offset | 0) === offset) {
      this.directory![offset] = g + 1;
    } else {
      this.directory = null;
      this.directRefused = true;
    }
  }

  /** A new group that no key maps to: the group of null keys. At most one per table. */
  reserveGroup(): number {
    this.reserved = this.append(NaN, 0);
    return this.reserved;
  }

  /** Adds a new group; returns its id. */
  private append(key: number, hash: number): number {
    const g = this.size++;
    if (g === this.keys.length) {
      const keys = new Float64Array(g * 2);
      keys.set(this.keys);
      this.keys = keys;
      const hashes = new Int32Array(g * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.keys[g] = key;
    this.hashes[g] = hash;
    return g;
  }

  /** Rebuilds the hash slots (at least `minimum` of them) from the groups' stored hashes. */
  private rebuildSlots(minimum: number): void {
    let length = minimum;
    while (this.size > length * LOAD_FACTOR_MAX) length *= 2;
    const slots = new Int32Array(length);
    const mask = length - 1;
    for (let g = 0; g < this.size; g++) {
      if (g === this.reserved) continue;
      let slot = this.hashes[g]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
    this.slotsStale = false;
  }
}

/** Scratch for `rangeOf`: lowest, highest. */
const range = new Int32Array(2);

/**
 * Writes the lowest and highest of `values[from … to - 1]` (at least one) to `out`; false (nothing written) when one
 * of them is not an int32 (a fraction, NaN, or beyond the range), which no directory holds.
 *
 * @example
 * if (rangeOf(keys, 0, rows, lowHigh)) span = lowHigh[1] - lowHigh[0] + 1;
 */
export function rangeOf(values: Int32Array | Float64Array, from: number, to: number, out: Int32Array): boolean {
  if (values instanceof Int32Array) {
    int32RangeOf(values, from, to, out);
    return true;
  }
  let low = values[from]!;
  let high = low;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if ((v | 0) !== v) return false;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  out[0] = low;
  out[1] = high;
  return true;
}

/**
 * `rangeOf` of int32 keys, every one of which a directory holds: a loop of their own, without the per-key int32
 * test, and monomorphic (map tasks read int32 keys and reduce tasks their float64 copies on the same thread).
 */
function int32RangeOf(values: Int32Array, from: number, to: number, out: Int32Array): void {
  let low = values[from]!;
  let high = low;
  for (let i = from + 1; i < to; i++) {
    const v = values[i]!;
    if (v < low) low = v;
    else if (v > high) high = v;
  }
  out[0] = low;
  out[1] = high;
}

/**
 * Writes `directory[values[i] - base] - 1` to `ids[i - from]` from row `at` on, up to the first key outside the
 * directory or with no group yet (its row is returned), or `to`. One loop per array type: a loop that met both
 * (map tasks read int32 keys, reduce tasks their float64 copies, on the same thread) ran the int32 keys 1.6× slower.
 */
function lookUpDirectory(
  values: Int32Array | Float64Array,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  base: number,
  ids: Int32Array,
): number {
  return values instanceof Int32Array
    ? lookUpInt32(values, at, from, to, directory, base, ids)
    : lookUpFloat64(values, at, from, to, directory, base, ids);
}

function lookUpInt32(
  values: Int32Array,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  base: number,
  ids: Int32Array,
): number {
  const length = directory.length;
  for (let i = at; i < to; i++) {
    const offset = values[i]! - base;
    if (offset < 0 || offset >= length) return i;
    const entry = directory[offset]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}

function lookUpFloat64(
  values: Float64Array,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  base: number,
  ids: Int32Array,
): number {
  const length = directory.length;
  for (let i = at; i < to; i++) {
    const offset = values[i]! - base;
    // Not `offset < 0 || …`: NaN must stop here too; and so must a fraction.
    if (!(offset >= 0 && offset < length) || (offset | 0) !== offset) return i;
    const entry = directory[offset]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}
