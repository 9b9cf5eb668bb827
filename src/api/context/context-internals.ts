import { optionNames } from '../../common/check-options.js';
import type { ResolvedContextOptions } from '../../common/options.js';
import type { Checkpoints } from '../../checkpoint/checkpoints.js';
import type { PlanBuilder } from '../../plan/plan-builder.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { JobMetrics } from '../../scheduler/job-metrics.js';
import type { JobRequest } from '../../scheduler/dag-scheduler.js';
import type { StorageLevel } from './block-cache.js';

/** What datasets need from their Context: a narrow internal interface, so `RDD` never reaches into the scheduler. */
export interface ContextInternals {
  readonly options: ResolvedContextOptions;
  readonly plan: PlanBuilder;
  /** The Context's spill folder (shuffle outputs, evicted partitions, a shuffled join's buckets). */
  readonly spillDir: string;
  /** Runs a job; rejects with `ContextStoppedError` on a stopped context. */
  runJob(request: JobRequest): Promise<JobMetrics>;
  /** True when every partition of a persisted dataset is in the block cache now (in memory or spilled). */
  isFullyCached(node: PlanNode): boolean;
  /** Drops the cached blocks of a dataset (`unpersist`). */
  dropCached(node: PlanNode): void;
  /**
   * Forgets the map outputs of the shuffles the dataset's last stage reads (`unpersist({ shuffleOutputs: true })`):
   * the next job that needs them recomputes them from lineage. Returns the shared-memory bytes they held.
   */
  discardShuffleOutputs(node: PlanNode): number;
  /** Where the dataset's cached partitions go when evicted (`persist(level)`). */
  setStorageLevel(node: PlanNode, level: StorageLevel): void;
  /** A seed for an operation that was not given one (so its sampling still replays within this Context). */
  nextSeed(): number;
  /** Checkpoint marking and bookkeeping (`checkpoint()`, `localCheckpoint()`). */
  readonly checkpoints: Checkpoints;
  /**
   * Registers the cleanup of an output being written (remove its staging folder), which `kc.stop()` runs once no
   * task runs any more, whether or not the job's own error path already ran it: it must be idempotent. Returns a
   * function that unregisters it (call it when the write ended either way).
   */
  onStop(cleanup: () => void): () => void;
}

/** Captured values named for a shipped function: `rdd.filter((w) => !stop.has(w), { stop })`. */
export type Captures = Readonly<Record<string, unknown>>;

/** Per-function options. */
export interface FunctionOptions {
  /**
   * Set false when the function may give different results on a rerun (randomness, time); recomputation after a
   * failure then reruns every stage that consumed its output.
   * @default true
   */
  deterministic?: boolean;
}

/** The names of {@link FunctionOptions}; any other key is refused. */
export const FUNCTION_OPTIONS = optionNames<FunctionOptions>({ deterministic: true });

/** Options of `mapPartitions` and `mapPartitionsWithIndex`. */
export interface PartitionFunctionOptions extends FunctionOptions {
  /**
   * Set true when `fn` keeps every record's key, so the partitioner stays known (no shuffle for a later
   * `reduceByKey` with the same partitioning).
   * @default false
   */
  preservesPartitioning?: boolean;
}

/** The names of {@link PartitionFunctionOptions}; any other key is refused. */
export const PARTITION_FUNCTION_OPTIONS = optionNames<PartitionFunctionOptions>({
  deterministic: true,
  preservesPartitioning: true,
});
