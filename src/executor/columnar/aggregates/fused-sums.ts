/**
 * The update pass of `HashAggregator` for its plainest states, fused: every sum of a column without nulls and the
 * per-group row count, updated in one loop over a chunk's group ids (read once, not once per aggregate). A
 * `groupBy(k).agg(mean(a), mean(b), mean(c))` was six passes (three sums, three counts) and is one. The states
 * are a group's lanes side by side (`StateBlock`), so one row's updates share a cache line.
 *
 * Three sums (db-benchmark q4, q5) go four rows at a time: when the four rows have four different groups, all
 * their states are read before any is written, and the core overlaps the four groups' cache misses (100 k groups
 * of three sums are 2.4 MB, past a core's L2). Written one row at a time, each row's loads waited behind the last
 * row's stores. Kernel micro-benchmark (76 chunks of 64K rows, 100 k random groups, int32, int32, float64): 7.8–8.3
 * → 5.8–7.0 ns a row, 8.2–9.0 → 6.1–7.1 with the count.
 */

import { addFewGroups, EXACT_ROWS_MAX, FEW_GROUPS_MAX } from './few-group-sums.js';

/** A column's numbers, added up as they are (int32 or float64). */
export type SumValues = Float64Array | Int32Array;

/** Where the fused states live: group g's lane l is `values[g * width + l]`. */
export interface FusedStates {
  readonly values: Float64Array;
  readonly width: number;
}

/** Lanes a loop updates at most: the loop keeps its arrays in registers. */
const RUN_LANES_MAX = 3;

/**
 * Adds `values[c][i]` to lane `lanes[c]` of group `ids[i - from]` for every column `c` and row `i` in
 * `from … to - 1`, and 1 to lane `countLane` when it is not -1. Each group's additions happen in row order, as
 * separate passes would do them, so the sums are bit-identical (counts and int32 sums, exact in any order, may
 * take the few-groups pass: `few-group-sums.ts`). Lanes are ascending; adjacent ones (the count's lane just before
 * the first sum's, as `HashAggregator` lays them out) are updated by one loop. `groups` is the group count so far
 * and `rowsTotal` the rows the aggregation has added, this chunk's included (they choose the pass).
 *
 * @example
 * addChunk(block, [1, 2], [a, b], 0, groupIds, 0, 65_536, 100, 65_536);
 */
export function addChunk(
  states: FusedStates,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  ids: Int32Array,
  from: number,
  to: number,
  groups: number,
  rowsTotal: number,
): void {
  const { values: s, width } = states;
  if (fewGroups(values, countLane, from, to, groups, rowsTotal)) {
    addFewGroups(s, width, lanes, values, countLane, ids, from, to, groups);
    return;
  }
  let counted = countLane >= 0;
  if (counted && lanes[0] !== countLane + 1) {
    countRows(s, width, countLane, ids, to - from);
    counted = false;
  }
  for (let c = 0; c < lanes.length;) {
    let run = 1;
    while (run < RUN_LANES_MAX && c + run < lanes.length && lanes[c + run] === lanes[c]! + run) run++;
    // With the count, the run starts one lane early: the count's.
    const base = counted ? lanes[c]! - 1 : lanes[c]!;
    if (run === 3) addThree(s, width, base, counted, values[c]!, values[c + 1]!, values[c + 2]!, ids, from, to);
    else if (run === 2) addTwo(s, width, base, counted, values[c]!, values[c + 1]!, ids, from, to);
    else addOne(s, width, base, counted, values[c]!, ids, from, to);
    counted = false;
    c += run;
  }
  if (counted) countRows(s, width, countLane, ids, to - from);
}

/**
 * True when the few-groups pass serves a chunk: few groups (and a chunk of at least 16 rows a group, so folding
 * the copies costs little), sums that stay exact (`EXACT_ROWS_MAX`), and at least one exact lane to spread.
 */
function fewGroups(
  values: readonly SumValues[],
  countLane: number,
  from: number,
  to: number,
  groups: number,
  rowsTotal: number,
): boolean {
  if (groups > FEW_GROUPS_MAX || to - from < groups * 16 || rowsTotal > EXACT_ROWS_MAX) return false;
  return countLane >= 0 || values.some((v) => v instanceof Int32Array);
}

function countRows(s: Float64Array, width: number, lane: number, ids: Int32Array, rows: number): void {
  for (let i = 0; i < rows; i++) {
    const at = ids[i]! * width + lane;
    s[at] = s[at]! + 1;
  }
}

// Each width has a loop with and one without the count, written out twice on purpose: a test of `counted` per row
// costs the loop what the fusion saves. Offsets from `at` are constants, so each access is one address mode.

function addOne(
  s: Float64Array,
  width: number,
  base: number,
  counted: boolean,
  v0: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  if (!counted) {
    for (let i = from; i < to; i++) {
      const at = ids[i - from]! * width + base;
      s[at] = s[at]! + v0[i]!;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + 1;
    s[at + 1] = s[at + 1]! + v0[i]!;
  }
}

function addTwo(
  s: Float64Array,
  width: number,
  base: number,
  counted: boolean,
  v0: SumValues,
  v1: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  if (!counted) {
    for (let i = from; i < to; i++) {
      const at = ids[i - from]! * width + base;
      s[at] = s[at]! + v0[i]!;
      s[at + 1] = s[at + 1]! + v1[i]!;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + 1;
    s[at + 1] = s[at + 1]! + v0[i]!;
    s[at + 2] = s[at + 2]! + v1[i]!;
  }
}

function addThree(
  s: Float64Array,
  width: number,
  base: number,
  counted: boolean,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  if (counted) {
    addThreeCounted(s, width, base, v0, v1, v2, ids, from, to);
    return;
  }
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = ids[i - from]! * width + base;
    const b = ids[i + 1 - from]! * width + base;
    const c = ids[i + 2 - from]! * width + base;
    const d = ids[i + 3 - from]! * width + base;
    if (!fourApart(a, b, c, d)) {
      addThreeEach(s, width, base, v0, v1, v2, ids, from, i, i + 4);
      continue;
    }
    const a0 = s[a]!,
      a1 = s[a + 1]!,
      a2 = s[a + 2]!;
    const b0 = s[b]!,
      b1 = s[b + 1]!,
      b2 = s[b + 2]!;
    const c0 = s[c]!,
      c1 = s[c + 1]!,
      c2 = s[c + 2]!;
    const d0 = s[d]!,
      d1 = s[d + 1]!,
      d2 = s[d + 2]!;
    s[a] = a0 + v0[i]!;
    s[a + 1] = a1 + v1[i]!;
    s[a + 2] = a2 + v2[i]!;
    s[b] = b0 + v0[i + 1]!;
    s[b + 1] = b1 + v1[i + 1]!;
    s[b + 2] = b2 + v2[i + 1]!;
    s[c] = c0 + v0[i + 2]!;
    s[c + 1] = c1 + v1[i + 2]!;
    s[c + 2] = c2 + v2[i + 2]!;
    s[d] = d0 + v0[i + 3]!;
    s[d + 1] = d1 + v1[i + 3]!;
    s[d + 2] = d2 + v2[i + 3]!;
  }
  addThreeEach(s, width, base, v0, v1, v2, ids, from, i, to);
}

/** `addThree` without the count, one row at a time: rows `start … end - 1`, whose ids start at `ids[start - from]`. */
function addThreeEach(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + v0[i]!;
    s[at + 1] = s[at + 1]! + v1[i]!;
    s[at + 2] = s[at + 2]! + v2[i]!;
  }
}

/** `addThree` with the count in lane `base`, four rows at a time as there. */
function addThreeCounted(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  let i = from;
  for (; i + 3 < to; i += 4) {
    const a = ids[i - from]! * width + base;
    const b = ids[i + 1 - from]! * width + base;
    const c = ids[i + 2 - from]! * width + base;
    const d = ids[i + 3 - from]! * width + base;
    if (!fourApart(a, b, c, d)) {
      addThreeCountedEach(s, width, base, v0, v1, v2, ids, from, i, i + 4);
      continue;
    }
    const a0 = s[a]!,
      a1 = s[a + 1]!,
      a2 = s[a + 2]!,
      a3 = s[a + 3]!;
    const b0 = s[b]!,
      b1 = s[b + 1]!,
      b2 = s[b + 2]!,
      b3 = s[b + 3]!;
    const c0 = s[c]!,
      c1 = s[c + 1]!,
      c2 = s[c + 2]!,
      c3 = s[c + 3]!;
    const d0 = s[d]!,
      d1 = s[d + 1]!,
      d2 = s[d + 2]!,
      d3 = s[d + 3]!;
    s[a] = a0 + 1;
    s[a + 1] = a1 + v0[i]!;
    s[a + 2] = a2 + v1[i]!;
    s[a + 3] = a3 + v2[i]!;
    s[b] = b0 + 1;
    s[b + 1] = b1 + v0[i + 1]!;
    s[b + 2] = b2 + v1[i + 1]!;
    s[b + 3] = b3 + v2[i + 1]!;
    s[c] = c0 + 1;
    s[c + 1] = c1 + v0[i + 2]!;
    s[c + 2] = c2 + v1[i + 2]!;
    s[c + 3] = c3 + v2[i + 2]!;
    s[d] = d0 + 1;
    s[d + 1] = d1 + v0[i + 3]!;
    s[d + 2] = d2 + v1[i + 3]!;
    s[d + 3] = d3 + v2[i + 3]!;
  }
  addThreeCountedEach(s, width, base, v0, v1, v2, ids, from, i, to);
}

/** `addThreeCounted` one row at a time, as `addThreeEach`. */
function addThreeCountedEach(
  s: Float64Array,
  width: number,
  base: number,
  v0: SumValues,
  v1: SumValues,
  v2: SumValues,
  ids: Int32Array,
  from: number,
  start: number,
  end: number,
): void {
  for (let i = start; i < end; i++) {
    const at = ids[i - from]! * width + base;
    s[at] = s[at]! + 1;
    s[at + 1] = s[at + 1]! + v0[i]!;
    s[at + 2] = s[at + 2]! + v1[i]!;
    s[at + 3] = s[at + 3]! + v2[i]!;
  }
}

/**
 * True when four rows' first lanes differ, so they belong to four groups whose lanes do not overlap (a run is at
 * most `width` lanes): each group then gets one addition from the four rows, and reading all their states before
 * writing any changes no sum. Rows of one group among the four go one at a time, in row order.
 */
function fourApart(a: number, b: number, c: number, d: number): boolean {
  return a !== b && a !== c && a !== d && b !== c && b !== d && c !== d;
}
