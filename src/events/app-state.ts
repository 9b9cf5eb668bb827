import type {
  AppStartEvent,
  CheckpointWrittenEvent,
  EventEnvelope,
  FaultInjectedEvent,
  FetchFailedEvent,
  LoggedEvent,
  StorageStatusEvent,
  StreamingBatchProgressEvent,
} from './event-schema.js';
import type { JobState, StageState } from './app-state-model.js';
import { TaskTable } from './task-table.js';
import { FACT_COLUMNS, FACT_TIME_MS, type TaskFacts } from './task-facts.js';
import { addSucceeded, foldTaskFacts } from './task-facts-fold.js';

export type { JobState, StageState, StageTotals } from './app-state-model.js';
export type { TaskRow } from './task-table.js';

/** Jobs the state keeps (Spark's `spark.ui.retainedJobs`): older ones and their stages are forgotten. */
export const JOBS_RETAINED_MAX = 1000;

/**
 * Task attempts whose rows the state keeps (Spark's `spark.ui.retainedTasks`), 128 bytes each: past it, the rows
 * of the oldest finished stages are let go, and their pages show the summary and counts taken at that moment.
 * Without it 1,000 retained jobs of 10,000 tasks would hold 1.3 GB of rows.
 */
export const TASK_ROWS_RETAINED_MAX = 100_000;

/** Options of an {@link AppState}. */
export interface AppStateOptions {
  /** @default TASK_ROWS_RETAINED_MAX */
  readonly taskRowsRetainedMax?: number;
}

/**
 * What an application did, folded from its events: the model every UI page and `explainAnalyze` read. The same
 * fold serves the live UI (events as they happen) and the history view (events read from a log), so both show
 * the same numbers. Kinds it does not know are skipped.
 *
 * @example
 * const state = new AppState();
 * for (const event of readEventLogs('logs')[0].events) state.apply(event);
 */
export class AppState {
  app: AppStartEvent | null = null;
  ended = false;
  lastEventMs = 0;
  /** Events applied so far: a page shows it, and the live UI tells pages when it moved on. */
  version = 0;
  readonly jobs = new Map<number, JobState>();
  readonly stages = new Map<number, StageState>();
  readonly faults: (EventEnvelope & FaultInjectedEvent)[] = [];
  readonly fetchFailures: (EventEnvelope & FetchFailedEvent)[] = [];
  speculativeLaunches = 0;
  readonly checkpoints: (EventEnvelope & CheckpointWrittenEvent)[] = [];
  readonly batches: (EventEnvelope & StreamingBatchProgressEvent)[] = [];
  /** The block store after the latest job, null before the first one (or in a log older than the event). */
  storage: (EventEnvelope & StorageStatusEvent) | null = null;
  /** Shuffle bytes every task of the application spilled (kept when old jobs are forgotten). */
  spillBytes = 0;
  readonly #taskRowsRetainedMax: number;
  /** Rows held by stages whose rows are kept. */
  #taskRowsRetained = 0;
  /** Finished stages whose rows are kept, oldest first: the order their rows are let go in. */
  readonly #finishedStageIds: number[] = [];

  constructor(options: AppStateOptions = {}) {
    this.#taskRowsRetainedMax = options.taskRowsRetainedMax ?? TASK_ROWS_RETAINED_MAX;
  }

  apply(event: LoggedEvent): void {
    this.lastEventMs = event.timeMs;
    this.version++;
    switch (event.kind) {
      case 'app-start':
        this.app = event;
        return;
      case 'app-end':
        this.ended = true;
        return;
      case 'job-start':
        this.jobs.set(event.jobId, {
          jobId: event.jobId,
          description: event.description,
          label: event.label,
          partitions: event.partitions,
          plan: event.plan,
          startMs: event.timeMs,
          status: 'running',
          durationMs: null,
          stageIds: [],
          metrics: null,
          failure: null,
        });
        this.#forgetOldJobs();
        return;
      case 'job-end': {
        const job = this.jobs.get(event.jobId);
        if (job === undefined) return;
        job.status = event.status;
        job.durationMs = event.durationMs;
        job.metrics = event.metrics;
        job.failure = event.failure;
        return;
      }
      case 'stage-submitted':
        this.stages.set(event.stageId, {
          stageId: event.stageId,
          jobId: event.jobId,
          label: event.label,
          purpose: event.purpose,
          nodeId: event.nodeId,
          tasksTotal: event.tasks,
          partitions: event.partitions,
          writesShuffle: event.writesShuffle,
          readsShuffles: event.readsShuffles,
          chain: event.chain,
          submittedMs: event.timeMs,
          status: 'running',
          durationMs: null,
          tasks: new TaskTable(event.tasks),
          succeeded: 0,
          running: 0,
          failedAttempts: 0,
          totals: {
            recordsWritten: 0,
            bytesRead: 0,
            bytesWritten: 0,
            executorMs: 0,
            shuffleReadBytes: 0,
            spillBytes: 0,
            gcMs: 0,
            operatorRows: [],
          },
        });
        this.jobs.get(event.jobId)?.stageIds.push(event.stageId);
        return;
      case 'stage-completed': {
        const stage = this.stages.get(event.stageId);
        if (stage === undefined) return;
        stage.status = event.status;
        stage.durationMs = event.durationMs;
        this.#finishedStageIds.push(stage.stageId);
        // Stages of forgotten jobs leave ids behind here while the rows kept stay under the bound.
        if (this.#finishedStageIds.length > 2 * this.stages.size + 64) {
          const kept = this.#finishedStageIds.filter((id) => this.stages.get(id)?.tasks.rowsDropped === false);
          this.#finishedStageIds.splice(0, this.#finishedStageIds.length, ...kept);
        }
        this.#dropOldRows();
        return;
      }
      case 'task-start': {
        const stage = this.stages.get(event.stageId);
        if (stage !== undefined && stage.tasks.start(event)) {
          stage.running++;
          this.#taskRowsRetained++;
        }
        return;
      }
      case 'task-end': {
        const stage = this.stages.get(event.stageId);
        if (stage === undefined || !stage.tasks.end(event)) return;
        stage.running--;
        const metrics = event.metrics;
        if (event.reason !== 'success' || metrics === null) {
          stage.failedAttempts++;
          return;
        }
        // Fields added in a minor revision of version 1: an older log lacks them.
        addSucceeded(
          this,
          stage,
          metrics.recordsWritten,
          metrics.bytesRead,
          metrics.bytesWritten,
          metrics.executorMs,
          metrics.shuffleReadBytes ?? 0,
          metrics.spillBytes ?? 0,
          metrics.gcMs ?? 0,
        );
        if (metrics.operatorRows !== undefined) addOperatorRows(stage.totals.operatorRows, metrics.operatorRows);
        return;
      }
      case 'fault-injected':
        this.faults.push(event);
        this.stages.get(event.stageId)?.tasks.fault(event.taskId, event.fault);
        return;
      case 'fetch-failed':
        this.fetchFailures.push(event);
        return;
      case 'speculative-launch':
        this.speculativeLaunches++;
        return;
      case 'checkpoint-written':
        this.checkpoints.push(event);
        return;
      case 'streaming-batch-progress':
        this.batches.push(event);
        return;
      case 'storage-status':
        this.storage = event;
        return;
      default:
        // A kind from a later schema minor version: nothing here depends on it.
        return;
    }
  }

  /**
   * Applies a batch of task facts (task-facts.ts) exactly as {@link apply} applies the events they stand for, with
   * no event object built (task-facts-fold.ts).
   */
  applyTaskFacts(facts: TaskFacts): void {
    if (facts.count === 0) return;
    this.version += facts.count;
    this.lastEventMs = facts.cells[(facts.count - 1) * FACT_COLUMNS + FACT_TIME_MS]!;
    this.#taskRowsRetained += foldTaskFacts(this, facts);
  }

  /** Stages of a job in submission order. */
  stagesOf(job: JobState): StageState[] {
    return job.stageIds.flatMap((id) => this.stages.get(id) ?? []);
  }

  #forgetOldJobs(): void {
    if (this.jobs.size <= JOBS_RETAINED_MAX) return;
    const oldest = this.jobs.keys().next().value as number;
    for (const stageId of this.jobs.get(oldest)!.stageIds) {
      const tasks = this.stages.get(stageId)?.tasks;
      if (tasks !== undefined && !tasks.rowsDropped) this.#taskRowsRetained -= tasks.size;
      this.stages.delete(stageId);
    }
    this.jobs.delete(oldest);
  }

  /** Lets the rows of the oldest finished stages go while more than the bound are kept. */
  #dropOldRows(): void {
    while (this.#taskRowsRetained > this.#taskRowsRetainedMax && this.#finishedStageIds.length > 0) {
      const tasks = this.stages.get(this.#finishedStageIds.shift()!)?.tasks;
      if (tasks === undefined || tasks.rowsDropped) continue;
      this.#taskRowsRetained -= tasks.size;
      tasks.dropRows();
    }
  }
}

/** Adds a task's per-operator rows to its stage's, operator by operator (every task of a stage runs the same ones). */
function addOperatorRows(
  totals: { readonly op: string; rows: number }[],
  task: readonly { readonly op: string; readonly rows: number }[],
): void {
  for (let i = 0; i < task.length; i++) {
    const { op, rows } = task[i]!;
    if (totals[i] === undefined) totals[i] = { op, rows: 0 };
    if (totals[i]!.op === op) totals[i]!.rows += rows;
  }
}
