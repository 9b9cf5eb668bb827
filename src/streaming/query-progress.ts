import type { StateMetrics } from './state-coordinator.js';

/** One batch's progress (Spark's `StreamingQueryProgress`): `query.lastProgress`, `query.recentProgress`. */
export interface StreamingQueryProgress {
  readonly id: string;
  readonly name: string | null;
  readonly batchId: number;
  /** When the batch was planned (ISO 8601), its logical time. */
  readonly timestamp: string;
  readonly numInputRows: number;
  /** Input rows per second of wall time between the previous batch's start and this one's. */
  readonly inputRowsPerSecond: number;
  /** Input rows per second of this batch's own duration. */
  readonly processedRowsPerSecond: number;
  /** Milliseconds per phase: planning offsets, writing the offset log, running the tasks (compute and prepare), recording handles, committing the sink, writing the commit log, cleanup; and the total. */
  readonly durationMs: {
    readonly getOffsets: number;
    readonly walCommit: number;
    readonly runBatch: number;
    readonly recordHandles: number;
    readonly commitSink: number;
    readonly commitLog: number;
    readonly cleanup: number;
    readonly total: number;
  };
  readonly stateOperators: readonly StateMetrics[];
  readonly sink: { readonly description: string; readonly numOutputRows: number };
  /** True when the batch was an uncommitted batch of an earlier run, rerun with its recorded offsets. */
  readonly recovered: boolean;
}

/** What a query is doing now (Spark's `StreamingQueryStatus`). */
export interface StreamingQueryStatus {
  readonly message: string;
  readonly isDataAvailable: boolean;
  readonly isTriggerActive: boolean;
}

/** How many progress reports `recentProgress` keeps. */
export const RECENT_PROGRESS_MAX = 100;
