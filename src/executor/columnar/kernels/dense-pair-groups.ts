/**
 * Groups of two int32 key columns that each span a small range (db-benchmark's q6: id4 and id5, 1 … 100 each), by
 * arithmetic: a row's slot in a flat directory is (a − lowA) × strideB + (b − lowB), and the directory holds the
 * slot's group. The `coded` key mode (`coded-tuple-keys.ts`) reaches the same groups in three passes over a chunk
 * (each column's values to codes through its number table, then the code pair through the tuple table's
 * directory); here one pass reads both columns and writes the group.
 *
 * Groups are numbered in order of first appearance, as the coded keys number them, so the groups so far can be
 * handed to a `CodedTupleKeys` at any row (`keyColumns`: one row per group, in group order) and keep their ids: that
 * is how the aggregation falls back when a key leaves what the directory may span, and how it takes its result's
 * keys and hashes, which are then exactly the coded keys'. A null key has a slot of its own past the column's
 * range.
 */
import type { Column, I32Column } from '../batch.js';

/** The directory may span at most this many slots (4 MiB of int32)… */
const DIRECTORY_SLOTS_MAX = 1 << 20;
/** …and at most this many times the rows it has served, so a few scattered keys never allocate a big one… */
const DIRECTORY_SLOTS_PER_ROW = 4;
/** …but directories this small always qualify (101 × 101 for q6's keys and their null slots). */
const DIRECTORY_SLOTS_ALWAYS = 1 << 16;

/** Scratch of `rangeOfValid`: lowest, highest. */
const lowHigh = new Float64Array(2);

/**
 * Pairs of int32 keys → group ids, through a directory over their ranges.
 *
 * @example
 * const pairs = new DensePairGroups();
 * const stopped = pairs.assign(id4, id5, from, to, ids); // rows from … stopped - 1 have their groups in ids
 * if (stopped < to) coded = handOver(pairs.keyColumns()); // keys outside what a directory may span
 */
export class DensePairGroups {
  /** Distinct pairs so far: groups `0 … size - 1`, in order of first appearance. */
  size = 0;
  /** Per group, its keys (0 where null) and which of them are null (bit 0: a, bit 1: b). */
  private keysA: Int32Array = new Int32Array(1024);
  private keysB: Int32Array = new Int32Array(1024);
  private nulls = new Uint8Array(1024);
  /** `directory[slot]` is group + 1, or 0 for a pair not seen; null before the first row, or once refused. */
  private directory: Int32Array | null = null;
  private lowA = 0;
  private lowB = 0;
  /** Keys per column the directory spans; the null key's slot is the one after them. */
  private spanA = 0;
  private spanB = 0;
  private rowsSeen = 0;
  /** True once a chunk's keys needed more than a directory may span: every later row is the caller's. */
  refused = false;

  /**
   * Writes the group of rows `from … to - 1` to `ids[0 …]`, adding new pairs, up to the first row whose keys the
   * directory may not span; returns that row (`to` when every row has its group). Once a row is returned, the
   * caller groups every later row another way, starting from `keyColumns()`.
   */
  assign(a: I32Column, b: I32Column, from: number, to: number, ids: Int32Array): number {
    if (this.refused) return from;
    this.rowsSeen += to - from;
    const nullable = a.valid !== undefined || b.valid !== undefined;
    let at = from;
    while (at < to) {
      const directory = this.directory;
      if (directory !== null) {
        at = nullable
          ? lookUpNullable(a, b, at, from, to, directory, this.lowA, this.spanA, this.lowB, this.spanB, ids)
          : lookUp(a.values, b.values, at, from, to, directory, this.lowA, this.spanA, this.lowB, this.spanB, ids);
        if (at === to) return to;
        const slot = this.slotOf(a, b, at);
        // A pair in range, seen for the first time: it gets the next group. (The tight loops stop at it so that
        // growing the group arrays stays out of them.)
        if (slot >= 0) {
          ids[at - from] = this.append(a, b, at, directory, slot);
          at++;
          continue;
        }
      }
      if (!this.grow(a, b, at, to)) {
        this.refused = true;
        this.directory = null;
        return at;
      }
    }
    return to;
  }

  /**
   * The groups' keys as two int32 columns of `size` rows, row g holding group g's pair: fed to a `CodedTupleKeys` in
   * row order, they become its groups `0 … size - 1` (each pair is new to it, and new pairs take the next id).
   */
  keyColumns(): [I32Column, I32Column] {
    const n = this.size;
    let validA: Uint8Array | undefined;
    let validB: Uint8Array | undefined;
    for (let g = 0; g < n; g++) {
      const bits = this.nulls[g]!;
      if ((bits & 1) !== 0) (validA ??= new Uint8Array(n).fill(1))[g] = 0;
      if ((bits & 2) !== 0) (validB ??= new Uint8Array(n).fill(1))[g] = 0;
    }
    return [
      { type: 'i32', values: this.keysA.slice(0, n), valid: validA },
      { type: 'i32', values: this.keysB.slice(0, n), valid: validB },
    ];
  }

  /** Row `i`'s slot in the directory, or -1 when one of its keys lies outside the directory's ranges. */
  private slotOf(a: I32Column, b: I32Column, i: number): number {
    const nullA = a.valid !== undefined && a.valid[i] === 0;
    const nullB = b.valid !== undefined && b.valid[i] === 0;
    const x = nullA ? this.spanA : a.values[i]! - this.lowA;
    const y = nullB ? this.spanB : b.values[i]! - this.lowB;
    if (!nullA && (x < 0 || x >= this.spanA)) return -1;
    if (!nullB && (y < 0 || y >= this.spanB)) return -1;
    return x * (this.spanB + 1) + y;
  }

  /** Adds row `i`'s pair as a new group at `slot`; returns its id. */
  private append(a: I32Column, b: I32Column, i: number, directory: Int32Array, slot: number): number {
    const g = this.size++;
    if (g === this.keysA.length) {
      this.keysA = grown(this.keysA, g * 2);
      this.keysB = grown(this.keysB, g * 2);
      const nulls = new Uint8Array(g * 2);
      nulls.set(this.nulls);
      this.nulls = nulls;
    }
    const nullA = a.valid !== undefined && a.valid[i] === 0;
    const nullB = b.valid !== undefined && b.valid[i] === 0;
    this.keysA[g] = nullA ? 0 : a.values[i]!;
    this.keysB[g] = nullB ? 0 : b.values[i]!;
    this.nulls[g] = (nullA ? 1 : 0) | (nullB ? 2 : 0);
    directory[slot] = g + 1;
    return g;
  }

  /**
   * Makes the directory span the keys it spans now and every key of rows `from … to - 1`, refilled from the groups,
   * when that many slots are allowed; false when they are not.
   */
  private grow(a: I32Column, b: I32Column, from: number, to: number): boolean {
    const first = this.directory === null;
    const [lowA, highA] = widened(a, from, to, first, this.lowA, this.spanA);
    const [lowB, highB] = widened(b, from, to, first, this.lowB, this.spanB);
    const spanA = highA - lowA + 1;
    const spanB = highB - lowB + 1;
    const slots = (spanA + 1) * (spanB + 1);
    const allowed = Math.min(
      DIRECTORY_SLOTS_MAX,
      Math.max(DIRECTORY_SLOTS_ALWAYS, this.rowsSeen * DIRECTORY_SLOTS_PER_ROW),
    );
    if (!(slots <= allowed)) return false;
    const directory = new Int32Array(slots);
    for (let g = 0; g < this.size; g++) {
      const bits = this.nulls[g]!;
      const x = (bits & 1) !== 0 ? spanA : this.keysA[g]! - lowA;
      const y = (bits & 2) !== 0 ? spanB : this.keysB[g]! - lowB;
      directory[x * (spanB + 1) + y] = g + 1;
    }
    this.directory = directory;
    this.lowA = lowA;
    this.lowB = lowB;
    this.spanA = spanA;
    this.spanB = spanB;
    return true;
  }
}

/**
 * The lowest and highest key a directory over `column` must span: its valid keys of rows `from … to - 1` and, unless
 * `first`, the range `low … low + span - 1` it spans now. A column with no valid key there spans `low … low` (a
 * first chunk of only nulls: a range of one key).
 */
function widened(
  column: I32Column,
  from: number,
  to: number,
  first: boolean,
  low: number,
  span: number,
): [number, number] {
  const found = rangeOfValid(column, from, to, lowHigh);
  if (first) return found ? [lowHigh[0]!, lowHigh[1]!] : [0, 0];
  if (!found) return [low, low + span - 1];
  return [Math.min(low, lowHigh[0]!), Math.max(low + span - 1, lowHigh[1]!)];
}

/** Writes the lowest and highest valid key of rows `from … to - 1` to `out`; false when none is valid. */
function rangeOfValid(column: I32Column, from: number, to: number, out: Float64Array): boolean {
  const { values, valid } = column;
  let low = Infinity;
  let high = -Infinity;
  for (let i = from; i < to; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const v = values[i]!;
    if (v < low) low = v;
    if (v > high) high = v;
  }
  out[0] = low;
  out[1] = high;
  return low <= high;
}

function grown(values: Int32Array, length: number): Int32Array {
  const copy = new Int32Array(length);
  copy.set(values);
  return copy;
}

/**
 * Writes the group of rows `at …` of two key columns without nulls to `ids[i - from]`, up to the first row outside
 * the directory or whose pair has no group yet (its row is returned), or `to`. Differences are float64 arithmetic
 * (two int32 keys may differ by more than an int32 holds), so the range checks are exact at the int32 extremes.
 */
function lookUp(
  a: Int32Array,
  b: Int32Array,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  lowA: number,
  spanA: number,
  lowB: number,
  spanB: number,
  ids: Int32Array,
): number {
  const stride = spanB + 1;
  for (let i = at; i < to; i++) {
    const x = a[i]! - lowA;
    const y = b[i]! - lowB;
    if (x < 0 || x >= spanA || y < 0 || y >= spanB) return i;
    const entry = directory[x * stride + y]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}

/** `lookUp` where either column may hold nulls: a null key takes the slot past its column's range. */
function lookUpNullable(
  a: I32Column,
  b: I32Column,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  lowA: number,
  spanA: number,
  lowB: number,
  spanB: number,
  ids: Int32Array,
): number {
  const stride = spanB + 1;
  const { values: va, valid: nullsA } = a;
  const { values: vb, valid: nullsB } = b;
  for (let i = at; i < to; i++) {
    let x = va[i]! - lowA;
    let y = vb[i]! - lowB;
    if (nullsA !== undefined && nullsA[i] === 0) x = spanA;
    else if (x < 0 || x >= spanA) return i;
    if (nullsB !== undefined && nullsB[i] === 0) y = spanB;
    else if (y < 0 || y >= spanB) return i;
    const entry = directory[x * stride + y]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}

/** True when `columns` are two int32 key columns, the pairs this file groups. */
export function denseKeyPair(columns: readonly Column[]): columns is [I32Column, I32Column] {
  return columns.length === 2 && columns[0]!.type === 'i32' && columns[1]!.type === 'i32';
}
