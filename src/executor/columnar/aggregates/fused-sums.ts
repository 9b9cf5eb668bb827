/**
 * The update pass of `HashAggregator` for its plainest states, fused: every sum of a column without nulls and the
 * per-group row count, updated in one loop over a chunk's group ids (read once, not once per aggregate). A
 * `groupBy(k).agg(mean(a), mean(b), mean(c))` was six passes (three sums, three counts) and is one.
 */

/** A column's numbers, added up as they are (int32 or float64). */
export type SumValues = Float64Array | Int32Array;

/**
 * Adds `values[c][i]` to `sums[c][ids[i - from]]` for every column `c` and row `i` in `from … to - 1`, and 1 to
 * `counts[ids[i - from]]` when `counts` is not null. Each group's additions happen in row order, as separate
 * passes would do them, so the sums are bit-identical.
 *
 * @example
 * addChunk([sumsOfA, sumsOfB], [a, b], rowCounts, groupIds, 0, 65_536);
 */
export function addChunk(
  sums: readonly Float64Array[],
  values: readonly SumValues[],
  counts: Float64Array | null,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  if (sums.length === 0) {
    if (counts !== null) countRows(counts, ids, to - from);
    return;
  }
  // Three columns a loop at most: the loop keeps its arrays in registers. Each width has a loop with and one
  // without the counts, written out twice on purpose: a test of `counts` per row, or counting rows nobody reads
  // (sums only), costs the loop what the fusion saves.
  for (let c = 0; c < sums.length; c += 3) {
    const withCounts = c === 0 ? counts : null;
    const left = sums.length - c;
    if (left >= 3) addThree(sums, values, c, withCounts, ids, from, to);
    else if (left === 2) addTwo(sums[c]!, values[c]!, sums[c + 1]!, values[c + 1]!, withCounts, ids, from, to);
    else addOne(sums[c]!, values[c]!, withCounts, ids, from, to);
  }
}

function countRows(counts: Float64Array, ids: Int32Array, rows: number): void {
  for (let i = 0; i < rows; i++) {
    const g = ids[i]!;
    counts[g] = counts[g]! + 1;
  }
}

function addOne(
  s0: Float64Array,
  v0: SumValues,
  counts: Float64Array | null,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  if (counts === null) {
    for (let i = from; i < to; i++) {
      const g = ids[i - from]!;
      s0[g] = s0[g]! + v0[i]!;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const g = ids[i - from]!;
    s0[g] = s0[g]! + v0[i]!;
    counts[g] = counts[g]! + 1;
  }
}

function addTwo(
  s0: Float64Array,
  v0: SumValues,
  s1: Float64Array,
  v1: SumValues,
  counts: Float64Array | null,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  if (counts === null) {
    for (let i = from; i < to; i++) {
      const g = ids[i - from]!;
      s0[g] = s0[g]! + v0[i]!;
      s1[g] = s1[g]! + v1[i]!;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const g = ids[i - from]!;
    s0[g] = s0[g]! + v0[i]!;
    s1[g] = s1[g]! + v1[i]!;
    counts[g] = counts[g]! + 1;
  }
}

function addThree(
  sums: readonly Float64Array[],
  values: readonly SumValues[],
  c: number,
  counts: Float64Array | null,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  const s0 = sums[c]!;
  const s1 = sums[c + 1]!;
  const s2 = sums[c + 2]!;
  const v0 = values[c]!;
  const v1 = values[c + 1]!;
  const v2 = values[c + 2]!;
  if (counts === null) {
    for (let i = from; i < to; i++) {
      const g = ids[i - from]!;
      s0[g] = s0[g]! + v0[i]!;
      s1[g] = s1[g]! + v1[i]!;
      s2[g] = s2[g]! + v2[i]!;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    const g = ids[i - from]!;
    s0[g] = s0[g]! + v0[i]!;
    s1[g] = s1[g]! + v1[i]!;
    s2[g] = s2[g]! + v2[i]!;
    counts[g] = counts[g]! + 1;
  }
}
