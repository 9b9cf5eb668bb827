/**
 * The first `limit` rows of each group in a sort order, found in one pass without sorting: each group keeps its
 * best rows so far in a small sorted run, and a row that does not beat the group's worst kept row costs one
 * comparison. A filtered `rowNumber()` window (db-benchmark q8: the two largest v3 of each id6) keeps two rows
 * of every group; sorting all of a task's rows to find them cost most of the question.
 */
import type { Column } from '../batches/batch.js';
import { mark, markedRows, markWords, placeOrder } from './row-marks.js';

/**
 * Ascending indices of the rows that are among the first `limit` of their group (`groupOf[row]`, groups
 * `0 … groups - 1`) in `compare` order. `compare` must never return 0 for two different rows (break ties by row
 * index, as `sortComparator` does), so "the first `limit`" is exactly what a stable sort would put first.
 *
 * @example
 * const kept = topRowsPerGroup(groupOf, groups, rows, 2, sortComparator([{ column: v3, ascending: false }]));
 */
export function topRowsPerGroup(
  groupOf: Int32Array,
  groups: number,
  rows: number,
  limit: number,
  compare: (a: number, b: number) => number,
): Int32Array {
  // Group g's kept rows, best first, are best[g * limit … g * limit + sizes[g] - 1].
  const best = new Int32Array(groups * limit);
  const sizes = new Int32Array(groups);
  for (let row = 0; row < rows; row++) {
    const g = groupOf[row]!;
    const start = g * limit;
    const size = sizes[g]!;
    if (size === limit && compare(row, best[start + limit - 1]!) > 0) continue;
    // Insert in order, dropping the worst when the run is full.
    let at = start + (size === limit ? limit - 1 : size);
    while (at > start && compare(row, best[at - 1]!) < 0) {
      best[at] = best[at - 1]!;
      at--;
    }
    best[at] = row;
    if (size < limit) sizes[g] = size + 1;
  }
  return keptRows(best, sizes, groups, limit, rows);
}

/**
 * `topRowsPerGroup` in the order of one number column (`sortComparator`'s: NaN above every number, so last
 * ascending and first descending; nulls first or last as `nullsFirst` says, ties by row index), with the comparison
 * inlined: the comparator call per row cost q8's map side more than the rest of its pass. Each row gets a rank class
 * (nulls first 0, NaN descending 1, numbers 2, NaN ascending 3, nulls last 4) and a key (the value, negated when
 * descending), compared in that order.
 * A row's group is `groupOf[row] - groupBase`: an int32 key column over a small range serves as `groupOf` with its
 * lowest key as the base, so no per-row group array is written and read (q8's id6: 625 k rows, 100 k keys).
 *
 * @example
 * const kept = topRowsPerGroupByNumber(groupOf, groups, rows, 2, v3, false, false);
 * const kept2 = topRowsPerGroupByNumber(id6.values, highest - lowest + 1, rows, 2, v3, false, false, lowest);
 */
export function topRowsPerGroupByNumber(
  groupOf: Int32Array,
  groups: number,
  rows: number,
  limit: number,
  column: Extract<Column, { type: 'f64' | 'i32' }>,
  ascending: boolean,
  nullsFirst: boolean,
  groupBase = 0,
): Int32Array {
  const { values, valid } = column;
  const sign = ascending ? 1 : -1;
  if (noNulls(valid, rows)) {
    const kept = topRowsPerGroupOfKeys(groupOf, groupBase, groups, rows, limit, values, sign);
    if (kept !== null) return kept;
  }
  const keys = new Float64Array(rows);
  const classes = new Uint8Array(rows);
  const nullClass = nullsFirst ? 0 : 4;
  const nanClass = ascending ? 3 : 1;
  for (let row = 0; row < rows; row++) {
    const v = values[row]!;
    if (valid !== undefined && valid[row] === 0) classes[row] = nullClass;
    else if (v !== v) classes[row] = nanClass;
    else {
      classes[row] = 2;
      keys[row] = sign * v;
    }
  }
  const best = new Int32Array(groups * limit);
  const sizes = new Int32Array(groups);
  for (let row = 0; row < rows; row++) {
    const g = groupOf[row]! - groupBase;
    const start = g * limit;
    const size = sizes[g]!;
    const c = classes[row]!;
    const k = keys[row]!;
    // A row beats a kept one when it sorts strictly first; on a tie the kept (earlier) row stays first.
    if (size === limit) {
      const worst = best[start + limit - 1]!;
      const cw = classes[worst]!;
      if (!(c < cw || (c === cw && k < keys[worst]!))) continue;
    }
    let at = start + (size === limit ? limit - 1 : size);
    while (at > start) {
      const other = best[at - 1]!;
      const co = classes[other]!;
      if (!(c < co || (c === co && k < keys[other]!))) break;
      best[at] = other;
      at--;
    }
    best[at] = row;
    if (size < limit) sizes[g] = size + 1;
  }
  return keptRows(best, sizes, groups, limit, rows);
}

/** True when none of the first `rows` rows is null (by one native scan of the validity bytes). */
function noNulls(valid: Uint8Array | undefined, rows: number): boolean {
  return valid === undefined || !valid.subarray(0, rows).includes(0);
}

/**
 * `topRowsPerGroupByNumber` of keys `sign * values[row]`, none of them null; null at the first NaN or +Infinity
 * (found in the pass itself, not by a pass of its own before it: with none, every row is of one rank class). Each
 * group keeps its best keys (`keys`, float64) and, apart, their rows (`best`, int32), `limit` of each, best
 * first, so a row that does not make the cut costs one read of its group's keys and no read
 * of another row's value: reading the kept row's key through its index cost a cache miss a row (q8's 100 k groups
 * over 625 k rows). An empty place holds the key +Infinity, which every key beats. Limit 2 (q8's) has a loop of
 * its own: the general one's shifting loop cost more than the rest of the pass.
 */
function topRowsPerGroupOfKeys(
  groupOf: Int32Array,
  groupBase: number,
  groups: number,
  rows: number,
  limit: number,
  values: Float64Array | Int32Array,
  sign: number,
): Int32Array | null {
  if (limit === 0) return new Int32Array(0);
  // Group g's places: keys[g * limit … + limit) and their rows best[g * limit … + limit), best first.
  const pass: KeysPass = {
    groupOf,
    groupBase,
    rows,
    values,
    sign,
    keys: new Float64Array(groups * limit).fill(Infinity),
    best: new Int32Array(groups * limit).fill(-1),
    rowBase: 0,
  };
  return keysPass(pass, limit) ? placedRows(pass.best, rows) : null;
}

/** One part of the rows `topRowsPerGroupOfParts` reads: its group per row (less `groupBase`) and its order column. */
export interface TopRowsPart {
  readonly groupOf: Int32Array;
  readonly rows: number;
  readonly column: Extract<Column, { type: 'f64' | 'i32' }>;
}

/**
 * What `topRowsPerGroupOfParts` keeps: per part, the ascending indices of its rows kept (`kept`), and, for the kept
 * rows concatenated (part after part), the order that lists them by group and then in sort order (`order`): the
 * window order of the rows a ranking window partitioned by the group key reads, so its sort finds them in order.
 */
export interface TopRowsOfParts {
  readonly kept: Int32Array[];
  readonly order: Int32Array;
}

/**
 * `topRowsPerGroupByNumber` of several parts read as one (their rows one after the other, groups shared), without
 * concatenating them (see `TopRowsOfParts`). Only for order keys of no null, NaN or
 * +Infinity (`sign * value`, as `topRowsPerGroupOfKeys` takes them); null when a part has another, and for more
 * than 2^31 - 1 rows in all. A map task of a filtered ranking window reads several cached partitions: concatenating
 * them first copied every row to keep two of each group (q8: 5 M rows for 200 k).
 *
 * @example
 * const top = topRowsPerGroupOfParts(parts, groups, 2, false, lowest); // top.kept[p]: rows of part p
 */
export function topRowsPerGroupOfParts(
  parts: readonly TopRowsPart[],
  groups: number,
  limit: number,
  ascending: boolean,
  groupBase = 0,
): TopRowsOfParts | null {
  const sign = ascending ? 1 : -1;
  const total = parts.reduce((sum, part) => sum + part.rows, 0);
  if (!(total < 2 ** 31) || !parts.every((p) => noNulls(p.column.valid, p.rows))) return null;
  if (limit === 0) return { kept: parts.map(() => new Int32Array(0)), order: new Int32Array(0) };
  const keys = new Float64Array(groups * limit).fill(Infinity);
  const best = new Int32Array(groups * limit).fill(-1);
  // The first row of each part, and (last) the total: a kept row's part is found among these.
  const starts = new Int32Array(parts.length + 1);
  for (let p = 0; p < parts.length; p++) {
    const { groupOf, rows, column } = parts[p]!;
    const rowBase = starts[p]!;
    if (!keysPass({ groupOf, groupBase, rows, values: column.values, sign, keys, best, rowBase }, limit)) return null;
    starts[p + 1] = rowBase + rows;
  }
  // Each part's kept rows counted from the places (a few per group), not from a pass over all of its rows.
  const marks = new Int32Array(markWords(total));
  const counts = new Int32Array(parts.length);
  for (let i = 0; i < best.length; i++) {
    const row = best[i]!;
    if (row < 0) continue;
    mark(marks, row);
    const p = partOf(starts, row);
    counts[p] = counts[p]! + 1;
  }
  const kept = parts.map(({ rows }, p) => markedRows(marks, starts[p]!, rows, counts[p]!));
  return { kept, order: placeOrder(best, marks) };
}

/** The part whose rows `starts[p] … starts[p + 1] - 1` hold `row` (a binary search: parts are few). */
function partOf(starts: Int32Array, row: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= row) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * `topRowsPerGroupOfKeys`'s pass over one part's rows (limit 2 has a loop of its own); false (the places left
 * part-filled) at the first key that is NaN or +Infinity.
 */
function keysPass(pass: KeysPass, limit: number): boolean {
  return limit === 2 ? bestTwoOfKeys(pass) : bestOfKeys(pass, limit);
}

/** The inputs and the places of `topRowsPerGroupOfKeys`'s pass. */
interface KeysPass {
  readonly groupOf: Int32Array;
  readonly groupBase: number;
  readonly rows: number;
  readonly values: Float64Array | Int32Array;
  readonly sign: number;
  readonly keys: Float64Array;
  readonly best: Int32Array;
  /** Added to a row's index where it is placed: the rows of the parts before this one (0 for one part). */
  readonly rowBase: number;
}

/** `topRowsPerGroupOfKeys`'s pass for limit 2: each group's two least keys and their rows, in order. */
function bestTwoOfKeys({ groupOf, groupBase, rows, values, sign, keys, best, rowBase }: KeysPass): boolean {
  for (let row = 0; row < rows; row++) {
    const at = (groupOf[row]! - groupBase) << 1;
    const k = sign * values[row]!;
    // Strictly before: on a tie the kept (earlier) row stays first. NaN and +Infinity never get past this test, so
    // they are looked for only here.
    if (!(k < keys[at + 1]!)) {
      if (!(k < Infinity)) return false;
      continue;
    }
    const first = keys[at]!;
    if (k < first) {
      keys[at + 1] = first;
      best[at + 1] = best[at]!;
      keys[at] = k;
      best[at] = rowBase + row;
    } else {
      keys[at + 1] = k;
      best[at + 1] = rowBase + row;
    }
  }
  return true;
}

/** `topRowsPerGroupOfKeys`'s pass for any limit: an insertion into the group's sorted places. */
function bestOfKeys({ groupOf, groupBase, rows, values, sign, keys, best, rowBase }: KeysPass, limit: number): boolean {
  const last = limit - 1;
  for (let row = 0; row < rows; row++) {
    const start = (groupOf[row]! - groupBase) * limit;
    const k = sign * values[row]!;
    if (!(k < keys[start + last]!)) {
      if (!(k < Infinity)) return false;
      continue;
    }
    let at = start + last;
    while (at > start && k < keys[at - 1]!) {
      keys[at] = keys[at - 1]!;
      best[at] = best[at - 1]!;
      at--;
    }
    keys[at] = k;
    best[at] = rowBase + row;
  }
  return true;
}

/** The rows held in `best`'s places (-1: empty), ascending. */
function placedRows(best: Int32Array, rows: number): Int32Array {
  const marks = new Int32Array(markWords(rows));
  let count = 0;
  for (let i = 0; i < best.length; i++) {
    const row = best[i]!;
    if (row >= 0) {
      mark(marks, row);
      count++;
    }
  }
  return markedRows(marks, 0, rows, count);
}

/** The kept rows of every group, ascending (marked, then read in row order: no sort). */
function keptRows(best: Int32Array, sizes: Int32Array, groups: number, limit: number, rows: number): Int32Array {
  const marks = new Int32Array(markWords(rows));
  let count = 0;
  for (let g = 0; g < groups; g++) {
    const start = g * limit;
    const size = sizes[g]!;
    for (let i = 0; i < size; i++) mark(marks, best[start + i]!);
    count += size;
  }
  return markedRows(marks, 0, rows, count);
}
