import type { StageState } from '../../events/app-state.js';
import type { LoggedEventListener } from '../../events/event-bus.js';
import { describeValue } from '../../common/describe-value.js';
import { PlanError } from '../../common/errors.js';
import { formatBytes, formatMs } from '../../ui/html.js';

/** What `explainAnalyze` needs of a dataset: its plan text and an action that runs all of it. */
export interface Analyzable {
  explain(): string;
  count(): Promise<number>;
  /** A Dataset's rows: counted through them, its plan runs as `explain()` shows it. */
  toRDD?(): { count(): Promise<number> };
}

/**
 * Counts every row through the whole plan: an RDD's `count()`, a Dataset's rows (its own `count()` is a global count
 * aggregate that reads only the columns its filters use, another plan than the one `explain()` shows).
 */
function countAll(target: Analyzable): Promise<number> {
  return target.toRDD === undefined ? target.count() : target.toRDD().count();
}

/**
 * DuckDB's `EXPLAIN ANALYZE` for a dataset: runs it (counting its rows, so every partition of every stage computes and
 * nothing is collected), then prints `explain()` followed by what each stage that ran did: tasks and attempts,
 * records and bytes in and out, summed task time and wall time. Counts come from the same events the event log
 * records. Stages whose shuffle output already existed (an earlier job computed it) do not run and are not listed.
 * Counts are per stage; a columnar (Dataset) stage also lists the rows out of each of its operators (`rows scan 6
 * -> final-aggregate 3`), while the functions a record (RDD) stage fuses into one pipeline are not counted apart.
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
  const { result, report } = await analyzeAction(subscribe, target, countAll, (rows) => `count: ${rows} records`);
  void result;
  return report;
}

/** What `kc.analyze` returns: the action's own result, and the analyzed plan of the jobs it ran. */
export interface Analyzed<T> {
  readonly result: T;
  readonly report: string;
}

/**
 * Runs any action on a dataset (`(ds) => ds.collect()`, `take`, `saveAsTextFile` …) and returns its result with
 * the analysis `explainAnalyze` prints: the plan, then every stage of every job the action ran (an action such as
 * `take` or `sortBy` may run several). The header names each job as the event log does (`collect at app.js:9:3`).
 *
 * @example
 * const { result, report } = await kc.analyze(words, (ds) => ds.collect());
 */
export async function analyzeAction<D extends Analyzable, T>(
  subscribe: (listener: LoggedEventListener) => () => void,
  target: D,
  action: (dataset: D) => Promise<T>,
  headline?: (result: T) => string,
): Promise<Analyzed<T>> {
  if (typeof action !== 'function') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `analyze(): action must be a function of the dataset, such as (ds) => ds.collect(), found ${describeValue(action)}`,
    );
  }
  // The application state (the UI's model of a run) loads at the first analysis, not with every Context (issue 11).
  const { AppState } = await import('../../events/app-state.js');
  const state = new AppState();
  const unsubscribe = subscribe((event) => state.apply(event));
  let result: T;
  try {
    result = await action(target);
  } finally {
    unsubscribe();
  }
  const jobs = [...state.jobs.values()];
  const wallMs = jobs.reduce((sum, job) => sum + (job.durationMs ?? 0), 0);
  const what = headline?.(result) ?? (jobs.length === 0 ? 'no job ran' : jobs.map((job) => job.description).join('; '));
  const lines = [
    target.explain(),
    `== Analyzed (${what}, ${jobs.length} job${jobs.length === 1 ? '' : 's'}, ${formatMs(wallMs)}) ==`,
  ];
  for (const job of jobs) for (const stage of state.stagesOf(job)) lines.push(stageLine(stage));
  return { result, report: lines.join('\n') };
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
    `records out ${t.recordsWritten}, bytes ${formatBytes(t.bytesRead)} -> ${formatBytes(t.bytesWritten)}` +
    (t.shuffleReadBytes > 0 ? `, shuffle read ${formatBytes(t.shuffleReadBytes)}` : '') +
    (t.spillBytes > 0 ? `, spilled ${formatBytes(t.spillBytes)}` : '') +
    (t.operatorRows.length === 0 ? '' : `, rows ${t.operatorRows.map((o) => `${o.op} ${o.rows}`).join(' -> ')}`) +
    `, task time ${formatMs(t.executorMs)}, wall ${formatMs(stage.durationMs)}`
  );
}
