import type { FileWriteSpec, WriteSchema, WrittenSchema } from './file-formats.js';
import type { MessagePort } from 'node:worker_threads';
import type { Block } from './block.js';
import type { Aggregator, PartitionerSpec, PipelineNode } from './pipeline.js';
import type { ShippedFunction } from './shipped-function.js';
import type { InjectedFault } from '../common/faults.js';
import type { StateWrite } from './state.js';
import type { MapOutputRef, MapOutputTable } from './map-output.js';

/** Everything a worker needs to run one task attempt. Plain data: it crosses the thread boundary by postMessage. */
export interface TaskDescriptor {
  readonly taskId: number;
  readonly jobId: number;
  readonly stageId: number;
  readonly partition: number;
  /** 0 for the first attempt. */
  readonly attempt: number;
  readonly pipeline: PipelineNode;
  readonly output: TaskOutputSpec;
  /** Broadcast ids the pipeline's functions capture; the worker resolves them before running. */
  readonly broadcastIds: readonly number[];
  /** A comlink endpoint to the driver's broadcast registry; present when `broadcastIds` is not empty. */
  readonly controlPort?: MessagePort;
  /** An Int32 progress counter the executor advances as it processes records (the heartbeat), or null. */
  readonly progress: SharedArrayBuffer | null;
  /** A fault the executor must inject into this attempt (the `faults` option), or absent. */
  readonly fault?: InjectedFault | null;
  /**
   * The map output tables the pipeline's `shuffle-read` nodes name. The pool posts them with the task only when
   * they list few map outputs (backend/piscina-backend.ts); otherwise a worker thread fetches a table it has not
   * cached (`fetchMapOutputTable`), once per version.
   */
  readonly shuffleTables?: readonly MapOutputTable[];
  /**
   * Shuffles the driver released (or discarded) lately: a worker thread forgets the map output tables it holds of
   * them, so their shared memory can be freed (executor/shuffle/shuffle-input.ts). Absent when none was released.
   */
  readonly releasedShuffles?: ReleasedShuffles;
}

/**
 * The latest released shuffle ids, numbered in release order: `ids[i]` is release number `first + i`. A thread
 * remembers the number it has applied up to, so it forgets each release once (a shuffle discarded and then
 * recomputed under the same id keeps its new table).
 */
export interface ReleasedShuffles {
  readonly first: number;
  readonly ids: readonly number[];
}

/** What a task does with the records its pipeline yields. */
export type TaskOutputSpec =
  /** All records, as one block: `collect` and friends. */
  | { readonly kind: 'collect' }
  /** Partition by key into `partitioner.numPartitions` blocks, combining map-side when `mapSideCombine` is set. */
  | {
      readonly kind: 'shuffle-write';
      readonly shuffleId: number;
      readonly partitioner: PartitionerSpec;
      readonly mapSideCombine: Aggregator | null;
      /** The operation that asked for the shuffle, for messages about records that are not pairs. */
      readonly label: string;
      /** Where and when to spill this task's output blocks to files (DESIGN.md §6); absent or null: never. */
      readonly spill?: ShuffleSpillSpec | null;
      /**
       * Set for a one-pass sort (`ShuffleDependency.sortedRuns`): instead of routing records by `partitioner`, the
       * task sorts them by key into one run of `partitioner.numPartitions` segments and reports the segments' first
       * keys and a reservoir sample of `samplePerPartition` keys (seeded by `seed` and the partition, as the
       * `sample-keys` action).
       */
      readonly sortedRun?: { readonly ascending: boolean; readonly samplePerPartition: number; readonly seed: number };
    }
  /** Reduce the partition to one small structured-cloneable value. */
  | { readonly kind: 'partition-action'; readonly action: PartitionAction }
  /** Write one line per record (`String(record)`) to `attemptPath`; the driver commits it. */
  | { readonly kind: 'save-text'; readonly attemptPath: string; readonly compression: 'none' | 'gzip' }
  /**
   * Phase one of a streaming sink's two-phase commit (DESIGN.md §8): the sink module's `prepare` writes the
   * partition's records where no reader sees them and returns a handle; the driver commits all handles or none.
   */
  | {
      readonly kind: 'sink-prepare';
      readonly sink: SinkModuleRef;
      readonly queryId: string;
      readonly batchId: number;
      /** The sink's options (`writeStream.option(…)`), structured-cloneable. */
      readonly options: Readonly<Record<string, unknown>>;
    }
  /**
   * Write a columnar stage's rows to `attemptPath` as one file of `format`; the driver commits it. With
   * `partitionBy`, `attemptPath` becomes a directory of Hive folders (`col=value/`), each holding one such file.
   */
  | {
      readonly kind: 'save-columnar';
      readonly attemptPath: string;
      /**
       * Where the part file is published (`<output>/part-NNNNN.<ext>`): what an error about the file's contents
       * names, since the user never sees `attemptPath`, a staging file. With `partitionBy`, its Hive folders go
       * between the output and the file name.
       */
      readonly publishedPath: string;
      readonly format: FileWriteSpec;
      readonly partitionBy?: readonly string[];
      /** The dataset's settled schema, every batch cast to it before it is written (a partition written again). */
      readonly schema?: WriteSchema;
    };

/** A two-phase-commit sink exported by an ES module: workers import it once, as they do `kc.fn` modules. */
export interface SinkModuleRef {
  readonly moduleUrl: string;
  readonly exportName: string;
}

/**
 * Worker-side spilling of a map task's output: it is kept in shared memory while its size stays within
 * `bytesInMemoryMax`; a larger one is written to one file under `dir` (the packed layout, see
 * storage/map-outputs/). The driver sets `bytesInMemoryMax` so all in-memory shuffle output fits `memoryBytesMax`.
 */
export interface ShuffleSpillSpec {
  readonly dir: string;
  readonly bytesInMemoryMax: number;
}

/** Per-partition halves of actions; the driver combines the partition results. */
export type PartitionAction =
  | { readonly kind: 'count' }
  /** The first `n` records. */
  | { readonly kind: 'take'; readonly n: number }
  /** The `n` smallest records by `compareValues` of `keyFn(record)` (or of the record), in order. */
  | {
      readonly kind: 'take-ordered';
      readonly n: number;
      readonly keyFn: ShippedFunction | null;
      readonly descending: boolean;
    }
  /** `fn` folded over the partition from `zero` (`fold`, `reduce` with `zero` absent, `aggregate`'s seqOp). */
  | { readonly kind: 'fold'; readonly fn: ShippedFunction; readonly hasZero: boolean; readonly zero: unknown }
  | { readonly kind: 'foreach'; readonly fn: ShippedFunction }
  | { readonly kind: 'foreach-partition'; readonly fn: ShippedFunction }
  /** `[value, count]` pairs of the partition's distinct records. */
  | { readonly kind: 'count-by-value' }
  /** Values of pairs whose key equals `key`. */
  | { readonly kind: 'lookup'; readonly key: unknown }
  /** Up to `perPartition` keys sampled (seeded) from `[key, value]` pairs, plus the partition's record count. */
  | { readonly kind: 'sample-keys'; readonly perPartition: number; readonly seed: number };

/** Counters a task reports on success. */
export interface TaskMetrics {
  readonly recordsRead: number;
  readonly recordsWritten: number;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  readonly durationMs: number;
  /** Bytes of shuffle blocks read (part of `bytesRead`). */
  readonly shuffleReadBytes: number;
  /** Bytes of shuffle output written to spill files instead of shared memory. */
  readonly spillBytes: number;
  /**
   * Input records (CSV, JSON lines) that did not parse or fit the schema: kept with nulls (`PERMISSIVE`) or dropped
   * (`DROPMALFORMED`). Absent when none.
   */
  readonly malformedRecordsNulled?: number;
  readonly malformedRecordsDropped?: number;
  /** GC pauses the thread reported while the task ran (reported asynchronously: see `executor/worker/gc-time.ts`). */
  readonly gcMs: number;
  /** `worker_threads.threadId` of the thread that ran the task. */
  readonly threadId: number;
  /** Rows out of each columnar operator, scan first (empty for record pipelines, which are not counted apart). */
  readonly operatorRows: readonly OperatorRows[];
}

/** Rows one operator of a task's columnar pipeline output. */
export interface OperatorRows {
  readonly op: string;
  readonly rows: number;
}

/** A partition of a persisted dataset that a task computed on the way, to be registered in the block store. */
export interface CachedBlock {
  readonly datasetId: number;
  readonly partition: number;
  readonly block: Block;
}

/** The values one task attempt passed to `add` of accumulator `accumulatorId`, in order. */
export interface AccumulatorUpdate {
  readonly accumulatorId: number;
  readonly values: readonly unknown[];
}

/** What a successful task hands back. */
export type TaskValue =
  | { readonly kind: 'block'; readonly block: Block }
  /**
   * The map output, every reduce partition's block packed in one buffer or (over the spill bound) one file;
   * `faultedPartition`: the reduce partition an injected `lose-block` / `corrupt-block` fault hit, if any.
   */
  | { readonly kind: 'shuffle'; readonly output: MapOutputRef; readonly faultedPartition?: number | null }
  | { readonly kind: 'value'; readonly value: unknown }
  /** A written partition, and the columns it saw (`save-columnar`). */
  | { readonly kind: 'file'; readonly path: string; readonly rows: number; readonly schema?: WrittenSchema }
  /** A sink's prepared output, the records it took, and the state versions the task wrote on the way. */
  | {
      readonly kind: 'prepared';
      readonly handle: unknown;
      readonly rows: number;
      readonly stateWrites: readonly StateWrite[];
    };

/**
 * How a task attempt ended (Spark's `TaskEndReason`). Failures are values: the scheduler switches on `kind`
 * exhaustively and never parses messages.
 */
export type TaskEndReason =
  | {
      readonly kind: 'success';
      readonly value: TaskValue;
      readonly cached: readonly CachedBlock[];
      readonly metrics: TaskMetrics;
      /** Values each captured accumulator received, applied on the driver only if this attempt commits first. */
      readonly accumulatorUpdates?: readonly AccumulatorUpdate[];
    }
  /** The task threw: in user code (`userCode`) or in kindling reading its input. */
  | {
      readonly kind: 'exception';
      readonly name: string;
      readonly message: string;
      readonly stack: string | undefined;
      readonly code: string | undefined;
      readonly userCode: boolean;
    }
  /** The worker thread died under the task (exit, crash); not the user's fault. */
  /** `poolFailed`: no worker can run any task (start-up fails every time); retrying is pointless. */
  | { readonly kind: 'worker-lost'; readonly message: string; readonly poolFailed?: boolean }
  /** The worker thread hit its heap limit. */
  | { readonly kind: 'out-of-memory'; readonly message: string }
  /** No progress for `taskTimeoutMs`; the thread was terminated. */
  | { readonly kind: 'timed-out'; readonly timeoutMs: number }
  /** An input block was missing or corrupt: the map output of `shuffleId`/`mapPartition` must be recomputed. */
  | {
      readonly kind: 'fetch-failed';
      readonly shuffleId: number;
      readonly mapPartition: number;
      readonly message: string;
    }
  /** Cancelled by the scheduler (job aborted, speculative copy lost). */
  | { readonly kind: 'killed'; readonly reason: string };

/** Every `kind` of a {@link TaskEndReason} (the compiler checks the list is whole), for checks of untyped input. */
export const TASK_END_KINDS: readonly TaskEndReason['kind'][] = Object.keys({
  success: true,
  exception: true,
  'worker-lost': true,
  'out-of-memory': true,
  'timed-out': true,
  'fetch-failed': true,
  killed: true,
} satisfies Record<TaskEndReason['kind'], true>) as TaskEndReason['kind'][];
