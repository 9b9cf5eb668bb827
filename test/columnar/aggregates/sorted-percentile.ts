// The definition the selection-based quantiles are checked against, shared by their tests.

/**
 * Quantile `q` by definition: sort (a typed array's order: NaN last, -0 before 0), then Spark's interpolation
 * between the values at floor and ceil of q × (n − 1).
 *
 * @example
 * sortedPercentile([4, 1, 3, 2], 0.5); // 2.5
 */
export function sortedPercentile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const higher = Math.ceil(position);
  if (lower === higher) return sorted[lower]!;
  return (higher - position) * sorted[lower]! + (position - lower) * sorted[higher]!;
}
