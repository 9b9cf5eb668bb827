import type { StreamingBatchProgressEvent } from '../events/event-schema.js';
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
  /**
   * With event-time windows (`reduceByKeyAndWindow`): the watermark the batch ran with, the latest event time of
   * the committed batches so far (ms since the epoch; null: none yet), and the records the batch dropped as late
   * (Spark's `eventTime` and `numRowsDroppedByWatermark`).
   */
  readonly eventTime?: {
    readonly watermarkMs: number | null;
    readonly eventTimeMaxMs: number | null;
    readonly lateRowsDropped: number;
  };
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

/** The event log's record of a batch (`streaming-batch-progress`): its progress, and the jobs that ran it. */
export function progressEvent(
  progress: StreamingQueryProgress,
  jobIds: readonly number[],
): StreamingBatchProgressEvent {
  return {
    kind: 'streaming-batch-progress',
    queryId: progress.id,
    name: progress.name,
    batchId: progress.batchId,
    numInputRows: progress.numInputRows,
    inputRowsPerSecond: progress.inputRowsPerSecond,
    processedRowsPerSecond: progress.processedRowsPerSecond,
    batchDurationMs: progress.durationMs.total,
    stateRows: progress.stateOperators.reduce((sum, state) => sum + state.numRowsTotal, 0),
    jobIds,
  };
}
