/**
 * Exact quantiles as Spark's `percentile` (and `median`, which is `percentile(x, 0.5)`): the value at position
 * q × (n − 1) of the sorted values, interpolated linearly between its two neighbours — so the median of 1, 2, 3, 4
 * is 2.5 (as Spark, DuckDB's `quantile_cont` and Polars' `median`).
 */

/**
 * Quantile `q` in [0, 1] of `sorted` (ascending, at least one value).
 *
 * @example
 * percentile(Float64Array.of(1, 2, 3, 4), 0.5); // 2.5
 */
export function percentile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const higher = Math.ceil(position);
  const low = sorted[lower]!;
  if (lower === higher) return low;
  // Spark's formula: (higher − position) × lowerValue + (position − lower) × higherValue.
  return (higher - position) * low + (position - lower) * sorted[higher]!;
}

/**
 * A counting sort of `count` rows by their group: `order[offsets[g] … offsets[g + 1])` are group g's rows, in
 * arrival order.
 *
 * @example
 * const { offsets, order } = rowsByGroup(groupOf, rows, groups);
 */
export function rowsByGroup(
  groupOf: Int32Array,
  count: number,
  groups: number,
): { readonly offsets: Int32Array; readonly order: Int32Array } {
  const offsets = new Int32Array(groups + 1);
  for (let k = 0; k < count; k++) {
    const g = groupOf[k]! + 1;
    offsets[g] = offsets[g]! + 1;
  }
  for (let g = 0; g < groups; g++) offsets[g + 1] = offsets[g + 1]! + offsets[g]!;
  const next = offsets.slice(0, groups);
  const order = new Int32Array(count);
  for (let k = 0; k < count; k++) order[next[groupOf[k]!]!++] = k;
  return { offsets, order };
}
