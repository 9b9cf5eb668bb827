import { AppState, type StageState } from '../events/app-state.js';
import type { LoggedEventListener } from '../events/event-bus.js';
import { formatBytes, formatMs } from '../ui/html.js';

/** What `explainAnalyze` needs of a dataset: its plan text and an action that runs all of it. */
export interface Analyzable {
  explain(): string;
  count(): Promise<number>;
}

/**
 * DuckDB's `EXPLAIN ANALYZE` for a dataset: runs it (as `count()`, so every partition of every stage computes and
 * nothing is collected), then prints `explain()` followed by what each stage that ran did: tasks and attempts,
 * records and bytes in and out, summed task time and wall time. Counts come from the same events the event log
 * records. Stages whose shuffle output already existed (an earlier job computed it) do not run and are not listed.
 * Counts are per stage: the operators a stage fuses into one pipeline are not measured apart.
 *
 * @example
 * console.log(await kc.explainAnalyze(counts));
 * // == Analyzed (count: 1 job, 412 ms) ==
 * // stage 0: shuffle-map writes shuffle 0, [3] map <- [1] textFile: 2/2 tasks, 2 attempts, records 1000 -> 1000, …
 */
export async function explainAnalyze(
  subscribe: (listener: LoggedEventListener) => () => void,
  target: Analyzable,
): Promise<string> {
  const state = new AppState();
  const unsubscribe = subscribe((event) => state.apply(event));
  let rows: number;
  try {
    rows = await target.count();
  } finally {
    unsubscribe();
  }
  const jobs = [...state.jobs.values()];
  const wallMs = jobs.reduce((sum, job) => sum + (job.durationMs ?? 0), 0);
  const lines = [
    target.explain(),
    `== Analyzed (count: ${rows} records, ${jobs.length} job${jobs.length === 1 ? '' : 's'}, ${formatMs(wallMs)}) ==`,
  ];
  for (const job of jobs) for (const stage of state.stagesOf(job)) lines.push(stageLine(stage));
  return lines.join('\n');
}

function stageLine(stage: StageState): string {
  const kind = stage.writesShuffle !== null ? `shuffle-map writes shuffle ${stage.writesShuffle}` : stage.purpose;
  const reads =
    stage.readsShuffles.length === 0 ? '' : `, reads ${stage.readsShuffles.map((s) => `shuffle ${s}`).join(', ')}`;
  const attempts = stage.tasks.size;
  const t = stage.totals;
  return (
    `stage ${stage.stageId}: ${kind}${reads}, ${stage.chain}: ${stage.succeeded}/${stage.tasksTotal} tasks, ` +
    `${attempts} attempt${attempts === 1 ? '' : 's'} (${stage.failedAttempts} failed), ` +
    `records out ${t.recordsWritten}, bytes ${formatBytes(t.bytesRead)} -> ${formatBytes(t.bytesWritten)}, ` +
    `task time ${formatMs(t.executorMs)}, wall ${formatMs(stage.durationMs)}`
  );
}
