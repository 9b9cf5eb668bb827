// The model of the fused sums pass that its tests compare with, bit for bit: one row at a time, in row order.
import type { SumValues } from '../../../src/executor/columnar/aggregates/fused-sums.js';
import type { Rng } from '../random-rows.js';

/**
 * `before` with `values[c][i]` added to lane `lanes[c]` of group `ids[i - from]` (and 1 to lane `countLane` unless
 * it is -1) for rows `from … to - 1`, one row at a time, as `addChunk` promises its sums come out.
 *
 * @example
 * const expected = rowOrderSums(before, 3, [0, 1, 2], [v1, v2, v3], -1, ids, 0, 1000);
 */
export function rowOrderSums(
  before: Float64Array,
  width: number,
  lanes: readonly number[],
  values: readonly SumValues[],
  countLane: number,
  ids: Int32Array,
  from: number,
  to: number,
): Float64Array {
  const expected = before.slice();
  for (let i = from; i < to; i++) {
    const at = ids[i - from]! * width;
    if (countLane >= 0) expected[at + countLane] = expected[at + countLane]! + 1;
    lanes.forEach((lane, c) => (expected[at + lane] = expected[at + lane]! + values[c]![i]!));
  }
  return expected;
}

/** An int32 value for a sum: now and then either end of the int32 range, else a small one of either sign. */
export function int32Value(rng: Rng): number {
  const pick = rng.nextInt(10);
  if (pick === 0) return -(2 ** 31);
  if (pick === 1) return 2 ** 31 - 1;
  return rng.nextInt(2000) - 1000;
}

/** A float64 value for a sum: now and then NaN, -0 or an infinity, else a fraction of either sign. */
export function float64Value(rng: Rng): number {
  const pick = rng.nextInt(60);
  if (pick === 0) return NaN;
  if (pick === 1) return -0;
  if (pick === 2) return rng.nextInt(2) === 0 ? Infinity : -Infinity;
  return (rng.nextInt(2_000_000) - 1_000_000) / 7;
}

/** A random lane layout of the fused sums and its columns (as `addChunk` takes them), for rows `from … to - 1`. */
export interface SumLayout {
  readonly width: number;
  readonly countLane: number;
  readonly lanes: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly values: readonly SumValues[];
}

/**
 * A lane layout of 1 to 6 lanes (a count lane or none, int32 and float64 columns in any order, ascending lanes) over
 * 1 to 5000 rows starting at row 0 to 29.
 */
export function randomSumLayout(rng: Rng): SumLayout {
  const width = 1 + rng.nextInt(6);
  const laneOrder = Array.from({ length: width }, (_, l) => l).sort(() => rng.nextInt(3) - 1);
  const counted = rng.nextInt(2) === 0;
  const countLane = counted ? laneOrder[0]! : -1;
  const sumLanes = laneOrder.slice(counted ? 1 : 0, (counted ? 1 : 0) + rng.nextInt(width - (counted ? 1 : 0) + 1));
  const lanes = [...sumLanes].sort((a, b) => a - b);
  const from = rng.nextInt(30);
  const to = from + 1 + rng.nextInt(5000);
  const values: SumValues[] = lanes.map(() => {
    const int = rng.nextInt(2) === 0;
    const column = int ? new Int32Array(to) : new Float64Array(to);
    for (let i = 0; i < to; i++) column[i] = int ? int32Value(rng) : float64Value(rng);
    return column;
  });
  return { width, countLane, lanes, from, to, values };
}

/** States of earlier chunks for `groups` groups: integers in the exact lanes (as their sums are), any double in the others. */
export function earlierStates(rng: Rng, groups: number, layout: SumLayout): Float64Array {
  const { width, lanes, countLane, values } = layout;
  const before = new Float64Array(groups * width);
  for (let g = 0; g < groups; g++) {
    for (let l = 0; l < width; l++) {
      const c = lanes.indexOf(l);
      const exact = l === countLane || (c >= 0 && values[c] instanceof Int32Array);
      before[g * width + l] = exact ? rng.nextInt(1_000_000) : float64Value(rng);
    }
  }
  return before;
}
