/**
 * The update pass of `HashAggregator`'s min and max states, two at a time: both lanes of a row updated in one loop
 * over a chunk's group ids, where one pass per aggregate read the ids twice and fetched each group's states twice.
 * db-benchmark's q7 (`max(v1)`, `min(v2)` over 100 k groups, states out of the core's cache) paid two cache misses
 * a row for what is one. Each lane still takes its rows in order with `accumulate`'s comparison, so the states are
 * the ones two passes give.
 */
import type { SumValues } from './fused-sums.js';

/**
 * Updates lane `laneA` of group `ids[i - from]` with `a[i]` (its max when `maxA`, else its min) and lane `laneB`
 * with `b[i]` likewise, for rows `from … to - 1`, as `accumulate` does for a column without nulls (NaN is the
 * largest number: a max that meets one stays NaN, a min drops its NaN starting state for any value). `s` holds group g's lane l at `g * width + l`.
 *
 * @example
 * updateTwoExtremes(block.values, block.width, 1, true, v1, 0, false, v2, groupIds, 0, 65_536);
 */
export function updateTwoExtremes(
  s: Float64Array,
  width: number,
  laneA: number,
  maxA: boolean,
  a: SumValues,
  laneB: number,
  maxB: boolean,
  b: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  // The last 1–3 rows after the four-rows loop has returned (`sums-four-rows-at-a-time.ts` says why not in it).
  const at = updateFourRows(s, width, laneA, maxA, a, laneB, maxB, b, ids, from, to);
  for (let i = at; i < to; i++) updateRow(s, width, laneA, maxA, a, laneB, maxB, b, ids, from, i);
}

/**
 * `updateTwoExtremes` four rows an iteration, one row after the other (as `moments.ts` updates corr: the arrays'
 * kinds are checked and their lengths read once an iteration, not once a row); returns the first row it did not
 * update.
 */
function updateFourRows(
  s: Float64Array,
  width: number,
  laneA: number,
  maxA: boolean,
  a: SumValues,
  laneB: number,
  maxB: boolean,
  b: SumValues,
  ids: Int32Array,
  from: number,
  to: number,
): number {
  let i = from;
  for (; i + 3 < to; i += 4) {
    updateRow(s, width, laneA, maxA, a, laneB, maxB, b, ids, from, i);
    updateRow(s, width, laneA, maxA, a, laneB, maxB, b, ids, from, i + 1);
    updateRow(s, width, laneA, maxA, a, laneB, maxB, b, ids, from, i + 2);
    updateRow(s, width, laneA, maxA, a, laneB, maxB, b, ids, from, i + 3);
  }
  return i;
}

/** Row `i`'s update of both lanes of its group (inlined into the loops above). */
function updateRow(
  s: Float64Array,
  width: number,
  laneA: number,
  maxA: boolean,
  a: SumValues,
  laneB: number,
  maxB: boolean,
  b: SumValues,
  ids: Int32Array,
  from: number,
  i: number,
): void {
  const at = ids[i - from]! * width;
  const ma = s[at + laneA]!;
  const va = a[i]!;
  if (maxA ? ma === ma && (va > ma || va !== va) : va < ma || ma !== ma) s[at + laneA] = va;
  const mb = s[at + laneB]!;
  const vb = b[i]!;
  if (maxB ? mb === mb && (vb > mb || vb !== vb) : vb < mb || mb !== mb) s[at + laneB] = vb;
}
