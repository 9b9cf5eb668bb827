/** The quantiles a stage's summary shows: min, 25th percentile, median, 75th percentile, max. */
export const SUMMARY_QUANTILES: readonly number[] = [0, 0.25, 0.5, 0.75, 1];

/** One metric over a stage's successful attempts, at {@link SUMMARY_QUANTILES}. */
export interface MetricQuantiles {
  readonly name: string;
  readonly unit: 'ms' | 'bytes' | 'count';
  readonly quantiles: readonly number[];
}

/** What the stage page's summary table shows: the successful attempts counted and each metric's quantiles. */
export interface TaskSummary {
  readonly finished: number;
  readonly metrics: readonly MetricQuantiles[];
}

/** The metrics of a summary, in order: the task table fills each one's values by its index here. */
export const SUMMARY_METRICS: readonly { readonly name: string; readonly unit: MetricQuantiles['unit'] }[] = [
  { name: 'Duration', unit: 'ms' },
  { name: 'Records out', unit: 'count' },
  { name: 'Bytes in', unit: 'bytes' },
  { name: 'Bytes out', unit: 'bytes' },
  { name: 'Shuffle read', unit: 'bytes' },
  { name: 'Spill', unit: 'bytes' },
  { name: 'GC time', unit: 'ms' },
];

/**
 * The exact quantiles (nearest rank) of `finished` successful attempts, `fill(metric, into)` writing the values of
 * {@link SUMMARY_METRICS}[metric] into `into`. Computed when a page asks, and once when the live UI lets a stage's
 * rows go (app-state.ts, `TASK_ROWS_RETAINED_MAX`), so the page shows the same numbers after. Numbers in a typed
 * array, and no sort for a metric whose values are all equal (most counters of most stages): a stage of 10,000
 * tasks is summarized in about a millisecond, once per stage.
 *
 * @example
 * summarizeTasks(2, (metric, into) => into.set(metric === 0 ? [3, 1] : [0, 0])).metrics[0].quantiles; // [1, 1, 1, 3, 3]
 */
export function summarizeTasks(finished: number, fill: (metric: number, into: Float64Array) => void): TaskSummary {
  if (finished === 0) return { finished, metrics: [] };
  const values = new Float64Array(finished);
  return {
    finished,
    metrics: SUMMARY_METRICS.map(({ name, unit }, metric) => {
      fill(metric, values);
      return { name, unit, quantiles: quantilesOf(values) };
    }),
  };
}

function quantilesOf(values: Float64Array): number[] {
  let equal = true;
  for (let i = 1; i < values.length && equal; i++) equal = values[i] === values[0];
  if (!equal) values.sort();
  return SUMMARY_QUANTILES.map(
    (q) => values[Math.min(values.length - 1, Math.max(0, Math.ceil(q * values.length) - 1))]!,
  );
}
