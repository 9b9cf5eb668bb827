/**
 * The smaller of two numbers with NaN the largest number, as Spark, DuckDB and Polars order doubles: NaN only
 * when both are NaN (`Math.min` returns NaN when either is). `max` needs no such function: NaN being the largest,
 * `Math.max`'s "NaN wins" is already the answer. Otherwise as `Math.min` (so `-0` is below `0`).
 *
 * @example
 * minOfNumbers(1, NaN); // 1
 * minOfNumbers(NaN, NaN); // NaN
 */
export function minOfNumbers(a: number, b: number): number {
  if (b !== b) return a;
  if (a !== a) return b;
  return Math.min(a, b);
}
