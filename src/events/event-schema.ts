/**
 * The event log schema, version 1 (DESIGN.md §9). Every line of an event log file is one JSON object: the common
 * fields of {@link EventEnvelope} plus the fields of one event kind. Readers switch on `kind` and must skip kinds
 * they do not know (a later minor addition adds kinds, never changes a field's meaning); a change of meaning bumps
 * {@link EVENT_LOG_VERSION}, and a reader refuses a version it does not know.
 *
 * The scheduler emits the plain {@link KindlingEvent} objects (no envelope) through one {@link EventListener}; the
 * Context stamps the envelope and fans them out to the log writer, the live UI and `explainAnalyze`.
 *
 * @example
 * {"v":1,"seq":7,"timeMs":1764617400123,"kind":"task-end","jobId":0,"stageId":1,"taskId":5,"partition":1,
 *  "attempt":0,"speculative":false,"durationMs":12.5,"reason":"success","metrics":{...},"failure":null}
 *
 * The order of fields within a line carries no meaning. The same schema as data, which the reader checks each line
 * against, is `event-fields.ts`.
 */

/** The version of the line format; written in every line as `v`. */
export const EVENT_LOG_VERSION = 1;

/** Fields of every logged line. */
export interface EventEnvelope {
  /** {@link EVENT_LOG_VERSION} of the writer. */
  readonly v: number;
  /** Order of the event within its application, from 0, without gaps (a gap means lost lines). */
  readonly seq: number;
  /** Wall-clock time of the event, in ms since the epoch. */
  readonly timeMs: number;
}

/**
 * The envelope's fields as placeholders (0) in an event built before it is emitted: the bus overwrites them in
 * place, so the object keeps the shape it was built with (task events, built once per attempt, come with them).
 */
export type EnvelopeSlots = { -readonly [K in keyof EventEnvelope]: EventEnvelope[K] };

/** A user-visible failure: message, stack and stable code when there is one. Strings are data, never markup. */
export interface FailureInfo {
  readonly name: string;
  readonly message: string;
  readonly code: string | null;
  readonly stack: string | null;
}

/** The application (one Context) started. */
export interface AppStartEvent {
  readonly kind: 'app-start';
  readonly appId: string;
  /** The resolved Context options (functions and fault rules as their JSON form). */
  readonly options: Readonly<Record<string, unknown>>;
  readonly versions: { readonly kindling: string; readonly node: string; readonly v8: string };
  readonly threads: number;
  readonly pid: number;
}

/** The application ended (`kc.stop()`); a log without it belongs to a running or crashed application. */
export interface AppEndEvent {
  readonly kind: 'app-end';
  readonly appId: string;
}

/** A job (one action, or one of the small jobs `take` runs) was submitted. */
export interface JobStartEvent {
  readonly kind: 'job-start';
  readonly jobId: number;
  /** What ran it, as Spark's job description: `count at app.js:12:7` (the action and the user's call site). */
  readonly description: string;
  /** Plan node id and label of the dataset the action ran on. */
  readonly nodeId: number;
  readonly label: string;
  readonly partitions: number;
  /** The dataset's `explain()` text when the job started: lineage (with sources' files) and planned stages. */
  readonly plan: string;
}

/** Counters of a finished job: the fields of `JobMetrics`, numbers or records of numbers. */
export type JobMetricsRecord = Readonly<Record<string, number | Readonly<Record<string, number>>>>;

export interface JobEndEvent {
  readonly kind: 'job-end';
  readonly jobId: number;
  readonly status: 'succeeded' | 'failed';
  readonly durationMs: number;
  readonly metrics: JobMetricsRecord;
  readonly failure: FailureInfo | null;
}

/** What a stage's tasks produce. */
export type StagePurpose = 'result' | 'shuffle-map' | 'helper';

/** A stage's task set started (a stage that reruns after a fetch failure is submitted again with a new id). */
export interface StageSubmittedEvent {
  readonly kind: 'stage-submitted';
  readonly jobId: number;
  readonly stageId: number;
  readonly label: string;
  readonly purpose: StagePurpose;
  /** Plan node whose partitions the stage computes. */
  readonly nodeId: number;
  /** Tasks to run now (missing partitions only, when outputs exist) and partitions of the node. */
  readonly tasks: number;
  readonly partitions: number;
  /** The shuffle its map tasks write (null for other stages): links the stage to the stages that read it. */
  readonly writesShuffle: number | null;
  readonly readsShuffles: readonly number[];
  /** The stage's fused chain as `explain()` shows it, e.g. `[3] map <- [1] textFile`. */
  readonly chain: string;
}

export interface StageCompletedEvent {
  readonly kind: 'stage-completed';
  readonly jobId: number;
  readonly stageId: number;
  readonly status: 'succeeded' | 'failed';
  readonly durationMs: number;
}

/**
 * Counters a successful task reports. `recordsWritten`: records the task output (shuffle rows, collected or saved
 * records, the records a `count` counted). The fields after `executorMs` were added in a minor revision of
 * version 1: a log written before them lacks them, and readers take a missing one as 0. The writer also leaves out
 * {@link TASK_COUNTERS_OMITTED_WHEN_ZERO} when they are 0 (most tasks neither read a shuffle, spill nor see a GC),
 * which that rule already covers; `readEventLogs` hands them on as 0.
 */
export interface TaskMetricsRecord {
  readonly recordsWritten: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Time the task's code ran on its thread (the driver-side `durationMs` adds queueing and transfer). */
  readonly executorMs: number;
  /** Bytes of shuffle blocks the task read (part of `bytesRead`). */
  readonly shuffleReadBytes: number;
  /** Bytes of shuffle output the task wrote to disk instead of shared memory (memoryBytesMax was reached). */
  readonly spillBytes: number;
  /**
   * Garbage-collection pauses its thread reported while the task ran. Node reports a collection after it ends,
   * asynchronously: one at the very end of a task may be counted in the thread's next task.
   */
  readonly gcMs: number;
  /** The worker thread that ran it (`worker_threads.threadId`; 0 for the calling thread with `threads: 0`). */
  readonly threadId: number;
  /**
   * Rows out of each operator of a columnar (Dataset) stage, the scan first: absent for record (RDD) stages, whose
   * fused functions are not counted apart.
   */
  readonly operatorRows?: readonly { readonly op: string; readonly rows: number }[];
}

/**
 * The task counters a log line may leave out when they are 0: all added within version 1, so every reader of
 * version 1 already takes them as 0 when absent.
 */
export const TASK_COUNTERS_OMITTED_WHEN_ZERO = ['shuffleReadBytes', 'spillBytes', 'gcMs'] as const;

/** Which task attempt an event is about. */
export interface TaskAttemptRef {
  readonly jobId: number;
  readonly stageId: number;
  readonly taskId: number;
  readonly partition: number;
  readonly attempt: number;
}

export interface TaskStartEvent extends TaskAttemptRef {
  readonly kind: 'task-start';
  readonly speculative: boolean;
}

/** How an attempt ended: the kinds of `TaskEndReason`. */
export type TaskEndKind =
  'success' | 'exception' | 'worker-lost' | 'out-of-memory' | 'timed-out' | 'fetch-failed' | 'killed';

export interface TaskEndEvent extends TaskAttemptRef {
  readonly kind: 'task-end';
  readonly speculative: boolean;
  /** Launch to end, on the driver. */
  readonly durationMs: number;
  readonly reason: TaskEndKind;
  /** Null unless the attempt succeeded. */
  readonly metrics: TaskMetricsRecord | null;
  /** Null when the attempt succeeded. */
  readonly failure: FailureInfo | null;
}

/** The `faults` option made this attempt fail on purpose. */
export interface FaultInjectedEvent extends TaskAttemptRef {
  readonly kind: 'fault-injected';
  readonly fault: string;
}

/** A task found a shuffle output missing or corrupt; the map output is recomputed from lineage (resubmission). */
export interface FetchFailedEvent {
  readonly kind: 'fetch-failed';
  readonly jobId: number;
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly shuffleId: number;
  readonly mapPartition: number;
  readonly message: string;
}

/** A slow task got a speculative copy. */
export interface SpeculationEvent {
  readonly kind: 'speculative-launch';
  readonly jobId: number;
  readonly stageId: number;
  readonly partition: number;
}

/** A checkpoint was written (its manifest committed). */
export interface CheckpointWrittenEvent {
  readonly kind: 'checkpoint-written';
  readonly nodeId: number;
  readonly checkpointKind: 'reliable' | 'local';
  /** The directory of a reliable checkpoint; null for a local one. */
  readonly dir: string | null;
  readonly partitions: number;
  /** Rows and bytes of its part files (minor addition: absent in older logs). */
  readonly rows?: number | null;
  readonly bytes?: number | null;
}

/** What one persisted dataset holds now (`rdd.persist()`): partitions and bytes in memory and in spill files. */
export interface CachedDatasetStatus {
  readonly datasetId: number;
  readonly label: string;
  readonly level: 'MEMORY_ONLY' | 'MEMORY_AND_DISK';
  readonly memoryPartitions: number;
  readonly memoryBytes: number;
  readonly diskPartitions: number;
  readonly diskBytes: number;
}

/**
 * The block store after a job (minor addition to version 1): cached datasets, and the shared memory used by
 * cached partitions and by shuffle outputs against `memoryBytesMax`.
 */
export interface StorageStatusEvent {
  readonly kind: 'storage-status';
  /** The job after which it was taken. */
  readonly jobId: number;
  readonly memoryBytesMax: number;
  readonly cachedBytesInMemory: number;
  readonly shuffleBytesInMemory: number;
  readonly datasets: readonly CachedDatasetStatus[];
}

/**
 * One micro-batch of a streaming query finished: the fields of `query.lastProgress`. Defined for the streaming
 * engine (DESIGN.md §8): every committed batch of every query emits one.
 */
export interface StreamingBatchProgressEvent {
  readonly kind: 'streaming-batch-progress';
  readonly queryId: string;
  readonly name: string | null;
  readonly batchId: number;
  readonly numInputRows: number;
  readonly inputRowsPerSecond: number;
  readonly processedRowsPerSecond: number;
  readonly batchDurationMs: number;
  /** Rows in the state store after the batch, summed over operators. */
  readonly stateRows: number;
  /** The batch's jobs, to link to their pages. */
  readonly jobIds: readonly number[];
}

/** Every event kind of schema version 1. */
export type KindlingEvent =
  | AppStartEvent
  | AppEndEvent
  | JobStartEvent
  | JobEndEvent
  | StageSubmittedEvent
  | StageCompletedEvent
  | TaskStartEvent
  | TaskEndEvent
  | FaultInjectedEvent
  | FetchFailedEvent
  | SpeculationEvent
  | CheckpointWrittenEvent
  | StreamingBatchProgressEvent
  | StorageStatusEvent;

/** One line of the log: the envelope and an event. */
export type LoggedEvent = EventEnvelope & KindlingEvent;

/**
 * The one interface through which the engine reports what it does. Called synchronously on the scheduler's event
 * loop: a listener must only record the event (no I/O, no throwing); the log writer buffers it.
 */
export type EventListener = (event: KindlingEvent) => void;

/** A thrown value as {@link FailureInfo}. */
export function failureInfo(error: unknown): FailureInfo {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      code: typeof code === 'string' ? code : null,
      stack: error.stack ?? null,
    };
  }
  return { name: 'Error', message: String(error), code: null, stack: null };
}
