// Two-pass models of the moment aggregates (variance, standard deviation, corr), shared by their tests.

/** Two-pass moments (an independent model of the one-pass, merged states). */
export function varianceModel(xs: readonly number[], population: boolean): number | null {
  const n = xs.length;
  if (n === 0 || (!population && n === 1)) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const m2 = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return m2 / (population ? n : n - 1);
}

/** Pearson correlation by definition (two passes), null when it divides by zero. */
export function corrModel(pairs: readonly (readonly [number, number])[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const mx = pairs.reduce((a, [x]) => a + x, 0) / n;
  const my = pairs.reduce((a, [, y]) => a + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxx * syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}
