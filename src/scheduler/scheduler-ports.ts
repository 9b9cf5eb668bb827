import type { BlockRef } from '../protocol/block.js';
import type { CachedBlock } from '../protocol/task.js';
import type { FaultsOption } from '../common/faults.js';
import type { ResolvedSpeculation } from '../common/options.js';
import type { PlanNode } from '../plan/plan-node.js';

// What the scheduler needs from the rest of the engine and gives back to it, besides jobs: the block store's cached
// partitions, its options, and where stage progress goes.

/** The block store as the scheduler sees it: cached partitions by dataset and partition. */
export interface BlockCache {
  get(datasetId: number, partition: number): BlockRef | undefined;
  put(cached: CachedBlock): void;
  /** Every partition of a persisted dataset is cached: lineage below it need not run. */
  isFullyCached(node: PlanNode): boolean;
  /** The shared string dictionaries of a persisted dataset's columnar partitions (storage/shared-dictionary.ts). */
  sharedDictionaries?(datasetId: number): SharedArrayBuffer;
  /** Bytes of shared memory cached partitions hold, counted with shuffle outputs against the budget. */
  readonly bytesUsed?: number;
}

/** Live progress of a stage, for the console progress bar. */
export interface StageProgress {
  readonly stageId: number;
  readonly label: string;
  readonly total: number;
  readonly done: number;
  readonly running: number;
}

/** Resolved scheduling options. */
export interface SchedulerOptions {
  readonly taskAttemptsMax: number;
  readonly taskTimeoutMs: number;
  /** Seed of the key sampling behind range partitioners. */
  readonly seed: number;
  /** Fetch failures tolerated per task. @default 4 */
  readonly stageAttemptsMax?: number;
  /** For messages about out-of-memory failures. */
  readonly workerHeapMbMax?: number;
  /** The fault rules of the `faults` option. @default null */
  readonly faults?: FaultsOption | null;
  /** Speculative copies of slow tasks. @default null (off) */
  readonly speculation?: ResolvedSpeculation | null;
}
