/**
 * What the group aggregates share: state arrays that grow with the groups (their inputs: `numeric-inputs.ts`).
 */

/** A float64 array of at least `n` entries holding `old`'s (doubling, so growth is amortized). */
export function grownFloat64(old: Float64Array, n: number): Float64Array {
  if (n <= old.length) return old;
  const next = new Float64Array(Math.max(n, old.length * 2));
  next.set(old);
  return next;
}

/** An int32 array of at least `n` entries holding `old`'s, new entries `fill`. */
export function grownInt32(old: Int32Array, n: number, fill = 0): Int32Array {
  if (n <= old.length) return old;
  const next = new Int32Array(Math.max(n, old.length * 2));
  if (fill !== 0) next.fill(fill, old.length);
  next.set(old);
  return next;
}
