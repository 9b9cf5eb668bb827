/**
 * Groups of two key columns that each span a small range of int32 keys (db-benchmark's q6: id4 and id5, 1 … 100
 * each) or of dictionary codes (q9's id2 beside id4, q2's id1 and id2), by arithmetic: a row's slot in a flat
 * directory is (a − lowA) × strideB + (b − lowB), and the directory holds the slot's group. The `coded` key mode
 * (`coded-tuple-keys.ts`) reaches the same groups in three passes over a chunk (each column's keys to codes through
 * its table, then the code pair through the tuple table's directory); here one pass reads both columns and writes
 * the group: an int32 key as it is, a dictionary-read string as its dictionary code's code (`StringCodes`).
 *
 * Groups are numbered in order of first appearance, as the coded keys number them, so the groups so far can be
 * handed to a `CodedTupleKeys` at any row (`keyColumns`: one row per group, in group order) and keep their ids: that
 * is how the aggregation falls back when a key leaves what the directory may span, and how it takes its result's
 * keys and hashes, which are then exactly the coded keys'. A null int32 key has a slot of its own past the column's
 * range; a null string is a code of its own.
 */
import type { Column, Utf8Column } from '../batches/batch.js';
import { dictionaryOf } from '../batches/dictionary-column.js';
import type { DictionaryCodes } from '../../../storage/blocks/dictionary-codes.js';
import { lookUp, lookUpCodeInt, lookUpEach, placedKeys, type Bounds } from './dense-pair-lookups.js';
import { StringCodes, type Side } from './pair-string-codes.js';

/** The directory may span at most this many slots (4 MiB of int32)… */
const DIRECTORY_SLOTS_MAX = 1 << 20;
/** …and at most this many times the rows it has served, so a few scattered keys never allocate a big one… */
const DIRECTORY_SLOTS_PER_ROW = 4;
/** …but directories this small always qualify (101 × 101 for q6's keys and their null slots). */
const DIRECTORY_SLOTS_ALWAYS = 1 << 16;

/**
 * A dictionary-read column qualifies when its dictionary is at most this long (db-benchmark's ids of 100 values):
 * each dictionary is mapped whole (`StringCodes`), so a long one would cost more than its rows save.
 */
const DICTIONARY_STRINGS_MAX = 1 << 12;

/** Scratch of `rangeOfValid`: lowest, highest. */
const lowHigh = new Float64Array(2);

/** The kind of key column a side of the directory reads, or null for one it does not. */
type PairKind = 'int32' | 'dictionary';

function pairKindOf(column: Column): PairKind | null {
  if (column.type === 'i32') return 'int32';
  const view = dictionaryOf(column);
  return view !== undefined && view.size <= DICTIONARY_STRINGS_MAX ? 'dictionary' : null;
}

/**
 * True when `columns` are two key columns this file groups: int32 ones, or dictionary-read strings.
 *
 * @example
 * if (densePair([id4, id5])) pairs.assign(id4, id5, from, to, ids);
 */
export function densePair(columns: readonly Column[]): columns is [Column, Column] {
  return columns.length === 2 && pairKindOf(columns[0]!) !== null && pairKindOf(columns[1]!) !== null;
}

/**
 * Pairs of keys → group ids, through a directory over their ranges.
 *
 * @example
 * const pairs = new DensePairGroups();
 * const stopped = pairs.assign(id4, id5, from, to, ids); // rows from … stopped - 1 have their groups in ids
 * if (stopped < to) coded = handOver(pairs.keyColumns()); // keys outside what a directory may span
 */
export class DensePairGroups {
  /** Distinct pairs so far: groups `0 … size - 1`, in order of first appearance. */
  size = 0;
  /** Each column's kind, from the first batch; the strings of a dictionary-read one. */
  private kinds: [PairKind, PairKind] | null = null;
  private strings: [StringCodes | null, StringCodes | null] = [null, null];
  /** Per group, its keys (0 where null) and which of them are null (bit 0: a, bit 1: b). */
  private keysA: Int32Array = new Int32Array(1024);
  private keysB: Int32Array = new Int32Array(1024);
  private nulls = new Uint8Array(1024);
  /** `directory[slot]` is group + 1, or 0 for a pair not seen; null before the first row, or once refused. */
  private directory: Int32Array | null = null;
  /** The keys the directory spans per column, and the null key's slot past them. */
  private bounds: Bounds = { lowA: 0, spanA: 0, lowB: 0, spanB: 0 };
  private rowsSeen = 0;
  /** The first column's dictionary codes placed in the directory, and for which codes and bounds (`placedCodes`). */
  private placedA: PlacedCodes | null = null;
  /** True once rows needed more than a directory may span, or changed kind: every later row is the caller's. */
  refused = false;

  /**
   * Writes the group of rows `from … to - 1` to `ids[0 …]`, adding new pairs, up to the first
   * row whose keys the directory may not span; returns that row (`to` when every row has its group). Once a row is
   * returned, the caller groups every later row another way, starting from `keyColumns()`.
   */
  assign(columnA: Column, columnB: Column, from: number, to: number, ids: Int32Array): number {
    const kinds = (this.kinds ??= [pairKindOf(columnA)!, pairKindOf(columnB)!]);
    if (this.refused || pairKindOf(columnA) !== kinds[0] || pairKindOf(columnB) !== kinds[1]) {
      this.refused = true;
      this.directory = null;
      return from;
    }
    this.rowsSeen += to - from;
    const a = this.side(0, columnA);
    const b = this.side(1, columnB);
    let at = from;
    while (at < to) {
      const directory = this.directory;
      if (directory !== null) {
        at = this.lookUpRows(a, b, at, from, to, directory, ids);
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
   * The groups' keys as two columns of `size` rows (int32, or plain strings for a dictionary-read column), row g
   * holding group g's pair: fed to a `CodedTupleKeys` in row order, they become its groups `0 … size - 1` (each pair
   * is new to it, and new pairs take the next id).
   */
  keyColumns(): [Column, Column] {
    const n = this.size;
    let validA: Uint8Array | undefined;
    let validB: Uint8Array | undefined;
    for (let g = 0; g < n; g++) {
      const bits = this.nulls[g]!;
      if ((bits & 1) !== 0) (validA ??= new Uint8Array(n).fill(1))[g] = 0;
      if ((bits & 2) !== 0) (validB ??= new Uint8Array(n).fill(1))[g] = 0;
    }
    const keys = (c: 0 | 1, values: Int32Array, valid: Uint8Array | undefined): Column =>
      this.strings[c]?.column(values, valid) ?? { type: 'i32', values, valid };
    return [keys(0, this.keysA.slice(0, n), validA), keys(1, this.keysB.slice(0, n), validB)];
  }

  /**
   * Finds the groups of rows `at …` with the loop for the pair's kinds (`dense-pair-lookups.ts`); returns the first
   * row it could not, or `to`.
   */
  private lookUpRows(a: Side, b: Side, at: number, from: number, to: number, directory: Int32Array, ids: Int32Array) {
    const bounds = this.bounds;
    const noNulls = a.valid === undefined && b.valid === undefined;
    if (noNulls && a.codes === undefined && b.codes === undefined)
      return lookUp(a.values as Int32Array, b.values as Int32Array, at, from, to, directory, bounds, ids);
    if (!noNulls || a.codes === undefined || b.codes !== undefined)
      return lookUpEach(a, b, at, from, to, directory, bounds, ids);
    const rowsA = this.placedCodes(a.codes);
    return lookUpCodeInt(
      a.values as DictionaryCodes,
      b.values as Int32Array,
      rowsA,
      at,
      from,
      to,
      directory,
      bounds,
      ids,
    );
  }

  /**
   * The first column's dictionary codes placed in the directory (`placedKeys`), made again only when its strings'
   * codes or the directory's bounds change (a new dictionary, or a wider directory).
   */
  private placedCodes(codes: Int32Array): Int32Array {
    const { bounds, placedA: held } = this;
    if (held !== null && held.codes === codes && held.bounds === bounds) return held.placed;
    const placed = placedKeys(codes, bounds.lowA, bounds.spanA, bounds.spanB + 1);
    this.placedA = { codes, bounds, placed };
    return placed;
  }

  /** Key column `c` as the directory reads it. */
  private side(c: 0 | 1, column: Column): Side {
    if (column.type === 'i32') return { values: column.values, codes: undefined, valid: column.valid };
    const strings = (this.strings[c] ??= new StringCodes());
    return strings.side(column as Utf8Column, dictionaryOf(column)!);
  }

  /** Row `i`'s slot in the directory, or -1 when one of its keys lies outside the directory's ranges. */
  private slotOf(a: Side, b: Side, i: number): number {
    const nullA = a.valid !== undefined && a.valid[i] === 0;
    const nullB = b.valid !== undefined && b.valid[i] === 0;
    const { lowA, spanA, lowB, spanB } = this.bounds;
    const x = nullA ? spanA : keyOf(a, i) - lowA;
    const y = nullB ? spanB : keyOf(b, i) - lowB;
    if (!nullA && (x < 0 || x >= spanA)) return -1;
    if (!nullB && (y < 0 || y >= spanB)) return -1;
    return x * (spanB + 1) + y;
  }

  /** Adds row `i`'s pair as a new group at `slot`; returns its id. */
  private append(a: Side, b: Side, i: number, directory: Int32Array, slot: number): number {
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
    this.keysA[g] = nullA ? 0 : keyOf(a, i);
    this.keysB[g] = nullB ? 0 : keyOf(b, i);
    this.nulls[g] = (nullA ? 1 : 0) | (nullB ? 2 : 0);
    directory[slot] = g + 1;
    return g;
  }

  /**
   * Makes the directory span the keys it spans now and every key of rows `from … to - 1`, refilled from the groups,
   * when that many slots are allowed; false when they are not.
   */
  private grow(a: Side, b: Side, from: number, to: number): boolean {
    const first = this.directory === null;
    const now = this.bounds;
    const [lowA, highA] = widened(a, from, to, first, now.lowA, now.spanA);
    const [lowB, highB] = widened(b, from, to, first, now.lowB, now.spanB);
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
    this.bounds = { lowA, spanA, lowB, spanB };
    return true;
  }
}

/**
 * The lowest and highest key a directory over `column` must span: its valid keys of rows `from … to - 1` and, unless
 * `first`, the range `low … low + span - 1` it spans now. A column with no valid key there spans `low … low` (a
 * first chunk of only nulls: a range of one key).
 */
function widened(column: Side, from: number, to: number, first: boolean, low: number, span: number): [number, number] {
  const found = rangeOfValid(column, from, to, lowHigh);
  if (first) return found ? [lowHigh[0]!, lowHigh[1]!] : [0, 0];
  if (!found) return [low, low + span - 1];
  return [Math.min(low, lowHigh[0]!), Math.max(low + span - 1, lowHigh[1]!)];
}

/** Writes the lowest and highest valid key of rows `from … to - 1` to `out`; false when none is valid. */
function rangeOfValid(column: Side, from: number, to: number, out: Float64Array): boolean {
  const { valid } = column;
  let low = Infinity;
  let high = -Infinity;
  for (let i = from; i < to; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const v = keyOf(column, i);
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

/** Row `i`'s key on `side` (not null). */
function keyOf(side: Side, i: number): number {
  return side.codes === undefined ? side.values[i]! : side.codes[side.values[i]!]!;
}

/** A dictionary side's codes placed in the directory of `bounds`, for the codes `codes` (`DensePairGroups.placedCodes`). */
interface PlacedCodes {
  readonly codes: Int32Array;
  readonly bounds: Bounds;
  readonly placed: Int32Array;
}
