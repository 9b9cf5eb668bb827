// The model of the fused sums pass that its tests compare with, bit for bit: one row at a time, in row order.
import type { SumValues } from '../../../src/executor/columnar/aggregates/fused-sums.js';

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
