/**
 * The update pass of `HashAggregator` for its plainest states, fused: every sum of a column without nulls and the
 * per-group row count, updated in one loop over a chunk's group ids (read once, not once per aggregate). A
 * `groupBy(k).agg(mean(a), mean(b), mean(c))` was six passes (three sums, three counts) and is one. The states
 * are a group's lanes side by side (`StateBlock`), so one row's updates share a cache line.
 *
 * Two and three sums a row go four rows at a time (`sums-four-rows-at-a-time.ts`).
 */

import { addFewGroups, addFewGroupsByKey, FEW_GROUPS_MAX, fewGroupsServe } from './few-group-sums.js';
import { addRowsByKey, type KeyDirectory } from './sums-by-key-directory.js';
import { addThree, addTwo } from './sums-four-rows-at-a-time.js';

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
 * and `integerStates` false once a lane that summed float64 values took int32 ones (they choose the pass).
 *
 * @example
 * addChunk(block, [1, 2], [a, b], 0, groupIds, 0, 65_536, 100, true);
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
  integerStates: boolean,
): void {
  const { values: s, width } = states;
  if (fewGroups(states, lanes, values, countLane, from, to, groups, integerStates)) {
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
 * `addChunk` for rows of one int32 key whose groups the number table's directory holds (`byKey`), looked up in the
 * loop that adds (no group ids): the few-groups pass where it serves, else four rows at a time
 * (`sums-by-key-directory.ts`). Stops at (or up to 3 rows before) the first row whose key is outside the directory
 * or has no group yet and returns the first row it did not add (`to` when it added every one); the caller adds the
 * rest through group ids.
 *
 * @example
 * const at = addChunkByKey(block, [1, 2, 3], [v1, v2, v3], 0, { keys: id4, directory, base: 1 }, 0, 65_536, 100, true);
 */
export function addChunkByKey(
  states: FusedStates,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  byKey: KeyDirectory,
  from: number,
  to: number,
  groups: number,
  integerStates: boolean,
): number {
  const { values: s, width } = states;
  if (fewGroups(states, lanes, values, countLane, from, to, groups, integerStates)) {
    return addFewGroupsByKey(s, width, lanes, values, countLane, byKey, from, to, groups);
  }
  return addRowsByKey(s, width, lanes, values, countLane, byKey, from, to);
}

/**
 * True when the few-groups pass serves a chunk: few groups (and a chunk of at least 16 rows a group, so folding
 * the copies costs little), at least one exact lane to spread, and integer states with room for the chunk's sums to
 * stay exact in any order (`fewGroupsServe`).
 */
function fewGroups(
  states: FusedStates,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  from: number,
  to: number,
  groups: number,
  integerStates: boolean,
): boolean {
  if (!integerStates || groups > FEW_GROUPS_MAX || to - from < groups * 16) return false;
  if (countLane < 0 && !values.some((v) => v instanceof Int32Array)) return false;
  return fewGroupsServe(states.values, states.width, lanes, values, countLane, groups, to - from);
}

function countRows(s: Float64Array, width: number, lane: number, ids: Int32Array, rows: number): void {
  for (let i = 0; i < rows; i++) {
    const at = ids[i]! * width + lane;
    s[at] = s[at]! + 1;
  }
}

// One sum a row keeps its one-row-at-a-time loops (four rows at a time serve two and three sums), with and without
// the count, written out twice on purpose: a test of `counted` per row costs the loop what the fusion saves.

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
