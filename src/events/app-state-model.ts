import type { FailureInfo, JobMetricsRecord, StagePurpose } from './event-schema.js';
import type { TaskTable } from './task-table.js';

// The model the UI's pages read (app-state.ts folds events into it; task-facts-fold.ts folds task facts).

/** Sums over a stage's successful attempts. */
export interface StageTotals {
  recordsWritten: number;
  bytesRead: number;
  bytesWritten: number;
  executorMs: number;
  shuffleReadBytes: number;
  spillBytes: number;
  gcMs: number;
  /** Rows out of each operator of a columnar stage, summed over its tasks (empty for record stages). */
  readonly operatorRows: { readonly op: string; rows: number }[];
}

export interface StageState {
  readonly stageId: number;
  readonly jobId: number;
  readonly label: string;
  readonly purpose: StagePurpose;
  readonly nodeId: number;
  readonly tasksTotal: number;
  readonly partitions: number;
  readonly writesShuffle: number | null;
  readonly readsShuffles: readonly number[];
  readonly chain: string;
  readonly submittedMs: number;
  status: 'running' | 'succeeded' | 'failed';
  durationMs: number | null;
  /** Its task attempts (read them as `TaskRow`s with `values()` and `get`). */
  readonly tasks: TaskTable;
  succeeded: number;
  running: number;
  failedAttempts: number;
  readonly totals: StageTotals;
}

export interface JobState {
  readonly jobId: number;
  readonly description: string;
  readonly label: string;
  readonly partitions: number;
  readonly plan: string;
  readonly startMs: number;
  status: 'running' | 'succeeded' | 'failed';
  durationMs: number | null;
  readonly stageIds: number[];
  metrics: JobMetricsRecord | null;
  failure: FailureInfo | null;
}
