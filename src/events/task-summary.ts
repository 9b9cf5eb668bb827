import type { TaskRow } from './task-table.js';

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

const METRICS: readonly { name: string; unit: MetricQuantiles['unit']; value: (t: TaskRow) => number }[] = [
  { name: 'Duration', unit: 'ms', value: (t) => t.durationMs ?? 0 },
  { name: 'Records out', unit: 'count', value: (t) => t.metrics!.recordsWritten },
  { name: 'Bytes in', unit: 'bytes', value: (t) => t.metrics!.bytesRead },
  { name: 'Bytes out', unit: 'bytes', value: (t) => t.metrics!.bytesWritten },
  { name: 'Shuffle read', unit: 'bytes', value: (t) => t.metrics!.shuffleReadBytes },
  { name: 'Spill', unit: 'bytes', value: (t) => t.metrics!.spillBytes },
  { name: 'GC time', unit: 'ms', value: (t) => t.metrics!.gcMs },
];

/** Value at quantile `q` of sorted numbers (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/**
 * The exact quantiles of a stage's successful attempts: computed when a page asks, and once more when the live UI
 * stops keeping the stage's rows (app-state.ts, `TASK_ROWS_RETAINED_MAX`), so the page shows the same numbers after.
 *
 * @example
 * summarizeTasks(stage.tasks.values()).metrics[0]; // { name: 'Duration', unit: 'ms', quantiles: [0.4, …, 9.1] }
 */
export function summarizeTasks(tasks: Iterable<TaskRow>): TaskSummary {
  const done: TaskRow[] = [];
  for (const t of tasks) if (t.reason === 'success' && t.metrics !== null) done.push(t);
  return {
    finished: done.length,
    metrics:
      done.length === 0
        ? []
        : METRICS.map(({ name, unit, value }) => {
            const sorted = done.map(value).sort((a, b) => a - b);
            return { name, unit, quantiles: SUMMARY_QUANTILES.map((q) => quantile(sorted, q)) };
          }),
  };
}
