/**
 * The statistics of the observers' overhead benchmarks: the median of paired ratios with a distribution-free
 * confidence interval, so a figure comes with how far it can be trusted on a shared machine.
 */

/** A quantile of `xs` by linear interpolation between the order statistics around it. */
export function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}

/** A median with the interval that holds the true median with at least the stated confidence. */
export interface MedianInterval {
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** The interval's confidence, e.g. 0.95; below it when there are too few samples for any interval (then NaN bounds). */
  readonly confidence: number;
}

/**
 * The median of `xs` and its confidence interval from order statistics: with n samples of any continuous
 * distribution, the number below the true median is Binomial(n, ½), so [x₍ₖ₎, x₍ₙ₋ₖ₊₁₎] (1-based, sorted) holds it
 * with probability 1 − 2·P(B < k). No assumption of normality: rounds on a shared machine have long right tails
 * (another process takes the cores for a while), and the interval is not pulled by them.
 *
 * @example
 * medianInterval([1.01, 0.99, 1.03, 1.00, 1.02, 0.98, 1.04, 1.01, 1.00]) // { median: 1.01, low: 0.99, high: 1.03, confidence: 0.961 }
 */
export function medianInterval(xs: readonly number[], confidence = 0.95): MedianInterval {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const median = quantile(sorted, 0.5);
  // P(B <= j) for B ~ Binomial(n, 1/2), accumulated term by term in logs (n is at most a few hundred rounds).
  let k = 0;
  let cumulative = 0;
  let logTerm = -n * Math.LN2; // log P(B = 0)
  for (let j = 0; j < n; j++) {
    const next = cumulative + Math.exp(logTerm);
    // [x(j+1), x(n-j)] has confidence 1 - 2 P(B <= j); keep the narrowest that still reaches `confidence`.
    if (1 - 2 * next < confidence) break;
    cumulative = next;
    k = j + 1;
    logTerm += Math.log((n - j) / (j + 1));
  }
  if (k === 0) return { median, low: Number.NaN, high: Number.NaN, confidence: 0 };
  return { median, low: sorted[k - 1]!, high: sorted[n - k]!, confidence: 1 - 2 * cumulative };
}

/** `a[i] op b[i]` for each round. */
export function pairwise(a: readonly number[], b: readonly number[], op: (x: number, y: number) => number): number[] {
  return a.map((x, i) => op(x, b[i]!));
}

/** `1.021 [0.995–1.046]`: a median with its interval, `digits` decimals. */
export function formatInterval(m: MedianInterval, digits = 3): string {
  if (Number.isNaN(m.low)) return `${m.median.toFixed(digits)} [too few rounds for an interval]`;
  return `${m.median.toFixed(digits)} [${m.low.toFixed(digits)}–${m.high.toFixed(digits)}]`;
}

/** A geometric mean of ratios with a bootstrap interval. */
export interface RatioInterval {
  readonly estimate: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The geometric mean of `ratios` (one per independent unit: a block of fresh Contexts) with a 95 % percentile
 * bootstrap interval: `resamples` draws of as many units with replacement, seeded by `random` so a report replays.
 * Resampling whole blocks keeps whatever differs between two sets of Contexts inside the interval (a cluster
 * bootstrap) instead of treating rounds of the same Contexts as independent.
 *
 * @example
 * bootstrapGeometricMean([0.99, 1.01, 1.0, 1.02], () => Math.random()) // { estimate: ~1.005, low: ~0.995, high: ~1.015 }
 */
export function bootstrapGeometricMean(
  ratios: readonly number[],
  random: () => number,
  resamples = 4000,
): RatioInterval {
  const logs = ratios.map(Math.log);
  const n = logs.length;
  const mean = (xs: readonly number[]): number => xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += logs[Math.floor(random() * n)]!;
    means[r] = sum / n;
  }
  means.sort();
  return {
    estimate: Math.exp(mean(logs)),
    low: Math.exp(quantile(Array.from(means), 0.025)),
    high: Math.exp(quantile(Array.from(means), 0.975)),
  };
}

/** `1.004 [0.991–1.017]`. */
export function formatRatioInterval(r: RatioInterval, digits = 3): string {
  return `${r.estimate.toFixed(digits)} [${r.low.toFixed(digits)}–${r.high.toFixed(digits)}]`;
}
