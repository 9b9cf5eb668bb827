import type { Block } from '../protocol/block.js';
import type { AccumulatorUpdate, CachedBlock, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import type { FaultsOption } from '../common/faults.js';
import type { Clock } from '../common/clock.js';
import type { TaskBackend } from '../backend/task-backend.js';
import type { PlanNode, ShuffleDependency } from '../plan/plan-node.js';
import { partitionerSpec } from '../plan/partitioner.js';
import { determineBounds, sampleSizePerPartition, type KeySample } from '../plan/range-bounds.js';
import { shuffleDependenciesOf, unresolvedZipNodes } from '../plan/stage-graph.js';
import { MapOutputTracker } from './map-output-tracker.js';
import { newJobMetrics, type JobMetrics } from './job-metrics.js';
import { runTaskSet, type CommittedAttempt, type StageRun, type TaskSetHost } from './task-set.js';

/** Rounds of recomputation one lost map output may need when other tasks keep reporting the same shuffle. */
const RECOVERY_ROUNDS_MAX = 4;

/** The block store as the scheduler sees it: cached partitions by dataset and partition. */
export interface BlockCache {
  get(datasetId: number, partition: number): Block | undefined;
  put(cached: CachedBlock): void;
  /** Every partition of a persisted dataset is cached: lineage below it need not run. */
  isFullyCached(node: PlanNode): boolean;
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
}

/** One job: compute `partitions` of `node` and hand each partition's task value to `onResult`, once. */
export interface JobRequest {
  readonly node: PlanNode;
  readonly partitions: readonly number[];
  /** The output step of the task computing `partition` (its attempt, for attempt-private paths). */
  output(partition: number, attempt: number): TaskOutputSpec;
  onResult(partition: number, value: TaskValue): void;
}

/**
 * Turns jobs into stages cut at shuffle dependencies and runs them parents first (Spark's `DAGScheduler`). Shuffle
 * outputs are kept and reused by later jobs; a shuffle some jobs share runs once. All scheduling state lives on
 * this one event loop; the backend only runs tasks.
 */
export class DagScheduler {
  readonly tracker = new MapOutputTracker();
  private readonly inFlightShuffles = new Map<number, Promise<void>>();
  private readonly shuffles = new Map<number, ShuffleDependency>();
  private nextJobId = 0;
  private nextStageId = 0;
  private nextTaskId = 0;
  /** Fault rules for the jobs that start from now on (`kc.setFaults`). */
  faults: FaultsOption | null;
  /** Applies accumulator updates of committed attempts (set by the Context); null drops them. */
  onAccumulatorUpdates: ((updates: readonly AccumulatorUpdate[]) => void) | null = null;
  /** Map outputs whose accumulator updates were applied: a recomputed map output never applies them again. */
  private readonly appliedMapOutputs = new Set<string>();
  /** Next attempt number per map partition of each shuffle: recomputations continue the count. */
  private readonly mapAttempts = new Map<number, Map<number, number>>();

  private readonly backend: TaskBackend;
  private readonly cache: BlockCache;
  private readonly options: SchedulerOptions;
  private readonly clock: Clock;
  private readonly onProgress: (progress: StageProgress) => void;

  constructor(
    backend: TaskBackend,
    cache: BlockCache,
    options: SchedulerOptions,
    clock: Clock,
    onProgress: (progress: StageProgress) => void = () => {},
  ) {
    this.backend = backend;
    this.cache = cache;
    this.options = options;
    this.clock = clock;
    this.onProgress = onProgress;
    this.faults = options.faults ?? null;
  }

  /** Runs a job to the end; rejects with `JobFailedError` when a task fails `taskAttemptsMax` times. */
  async runJob(request: JobRequest): Promise<JobMetrics> {
    const metrics = newJobMetrics(this.nextJobId++);
    const startedMs = this.clock.nowMs();
    const abort = new AbortController();
    try {
      await Promise.all(
        this.parentShuffles(request.node).map((dependency) => this.ensureShuffle(dependency, metrics, abort)),
      );
      await this.resolveZipOffsets(request.node, metrics, abort);
      await runTaskSet(
        this.taskSetHost(metrics, abort),
        this.newStage(request.node, request.node.label),
        request.partitions,
        (partition, attempt) => request.output(partition, attempt),
        (partition, value, committed) => {
          this.applyAccumulators(committed, metrics);
          request.onResult(partition, value);
        },
      );
      return metrics;
    } catch (error: unknown) {
      abort.abort(error);
      throw error;
    } finally {
      metrics.durationMs = this.clock.nowMs() - startedMs;
    }
  }

  private parentShuffles(node: PlanNode): ShuffleDependency[] {
    const dependencies = shuffleDependenciesOf(node, (n) => this.cache.isFullyCached(n));
    for (const dependency of dependencies) this.shuffles.set(dependency.shuffleId, dependency);
    return dependencies;
  }

  /** Makes every map output of a shuffle available, running only the missing map partitions (shared by jobs). */
  private ensureShuffle(dependency: ShuffleDependency, metrics: JobMetrics, abort: AbortController): Promise<void> {
    const { shuffleId } = dependency;
    this.tracker.register(shuffleId, dependency.parent.numPartitions);
    if (this.tracker.missing(shuffleId).length === 0) return Promise.resolve();
    const running = this.inFlightShuffles.get(shuffleId);
    if (running !== undefined) return running;
    const work = (async () => {
      await Promise.all(
        this.parentShuffles(dependency.parent).map((parent) => this.ensureShuffle(parent, metrics, abort)),
      );
      if (dependency.partitioner.kind === 'range' && dependency.partitioner.bounds === null) {
        dependency.partitioner.bounds = await this.sampleRangeBounds(dependency, metrics, abort);
      }
      await this.resolveZipOffsets(dependency.parent, metrics, abort);
      const spec = partitionerSpec(dependency.partitioner);
      await runTaskSet(
        this.taskSetHost(metrics, abort),
        {
          ...this.newStage(dependency.parent, `${dependency.label} (map side)`),
          attempts: this.mapAttemptsOf(shuffleId),
        },
        this.tracker.missing(shuffleId),
        () => ({
          kind: 'shuffle-write',
          shuffleId,
          partitioner: spec,
          mapSideCombine: dependency.mapSideCombine,
          label: dependency.label,
        }),
        (partition, value, committed) => {
          if (value.kind !== 'shuffle' || !this.tracker.commit(shuffleId, partition, value.blocks)) {
            metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
            return;
          }
          const key = `${shuffleId}/${partition}`;
          if (this.appliedMapOutputs.has(key)) metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
          else this.applyAccumulators(committed, metrics);
          this.appliedMapOutputs.add(key);
          if (committed.lostBlock !== null) this.tracker.dropBlock(shuffleId, partition, committed.lostBlock);
        },
      );
    })();
    this.inFlightShuffles.set(shuffleId, work);
    return work.finally(() => this.inFlightShuffles.delete(shuffleId));
  }

  /** Spark's `RangePartitioner` sampling: a job over the shuffle's parent that returns a key sample per partition. */
  private async sampleRangeBounds(
    dependency: ShuffleDependency,
    metrics: JobMetrics,
    abort: AbortController,
  ): Promise<unknown[]> {
    const parent = dependency.parent;
    const perPartition = sampleSizePerPartition(dependency.partitioner.numPartitions, parent.numPartitions);
    const samples: KeySample[] = new Array(parent.numPartitions);
    await runTaskSet(
      this.taskSetHost(metrics, abort),
      this.newStage(parent, `${dependency.label} (sampling keys)`),
      Array.from({ length: parent.numPartitions }, (_, i) => i),
      () => ({ kind: 'partition-action', action: { kind: 'sample-keys', perPartition, seed: this.options.seed } }),
      (partition, value, committed) => {
        // Sampling re-evaluates the parent for the engine's sake: its accumulator updates would count twice.
        metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
        if (value.kind === 'value') samples[partition] = value.value as KeySample;
      },
    );
    return determineBounds(samples, dependency.partitioner.numPartitions);
  }

  /** Counts the parent partitions of pending `zipWithIndex` nodes in a stage, to know each partition's first index. */
  private async resolveZipOffsets(node: PlanNode, metrics: JobMetrics, abort: AbortController): Promise<void> {
    for (const zip of unresolvedZipNodes(node)) {
      const parent = zip.parent;
      await Promise.all(
        this.parentShuffles(parent).map((dependency) => this.ensureShuffle(dependency, metrics, abort)),
      );
      const counts: number[] = new Array(parent.numPartitions).fill(0);
      await runTaskSet(
        this.taskSetHost(metrics, abort),
        this.newStage(parent, `${zip.label} (counting partitions)`),
        Array.from({ length: parent.numPartitions }, (_, i) => i),
        () => ({ kind: 'partition-action', action: { kind: 'count' } }),
        (partition, value, committed) => {
          metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
          if (value.kind === 'value') counts[partition] = value.value as number;
        },
      );
      let start = 0;
      zip.zipStarts = counts.map((count) => {
        const first = start;
        start += count;
        return first;
      });
    }
  }

  /**
   * Re-runs the lost map outputs of a shuffle after a fetch failure (Spark's stage resubmission, limited to the
   * missing map partitions), then returns. An output another task already had recomputed is not recomputed again.
   */
  private async recoverShuffle(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly block: Block } | { readonly reducePartition: number },
    metrics: JobMetrics,
    abort: AbortController,
  ): Promise<void> {
    if (this.tracker.markLostIfSeen(shuffleId, mapPartition, seen)) {
      metrics.stageResubmissions++;
      metrics.recomputedPartitions++;
    }
    const dependency = this.shuffles.get(shuffleId);
    if (dependency === undefined) return;
    // A recomputation already in flight may have started before this loss was known: run again until complete.
    for (let round = 0; round < RECOVERY_ROUNDS_MAX && this.tracker.missing(shuffleId).length > 0; round++) {
      await this.ensureShuffle(dependency, metrics, abort);
    }
  }

  private applyAccumulators(committed: CommittedAttempt, metrics: JobMetrics): void {
    if (committed.accumulatorUpdates.length === 0) return;
    if (this.onAccumulatorUpdates === null) {
      metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
      return;
    }
    this.onAccumulatorUpdates(committed.accumulatorUpdates);
    metrics.accumulatorUpdatesApplied += committed.accumulatorUpdates.length;
  }

  private mapAttemptsOf(shuffleId: number): Map<number, number> {
    let attempts = this.mapAttempts.get(shuffleId);
    if (attempts === undefined) {
      attempts = new Map();
      this.mapAttempts.set(shuffleId, attempts);
    }
    return attempts;
  }

  private newStage(node: PlanNode, label: string): StageRun {
    return { stageId: this.nextStageId++, node, label };
  }

  private taskSetHost(metrics: JobMetrics, abort: AbortController): TaskSetHost {
    return {
      backend: this.backend,
      clock: this.clock,
      options: this.options,
      metrics,
      abort,
      nextTaskId: () => this.nextTaskId++,
      faults: () => this.faults,
      pipelineInputs: {
        shuffleBlocks: (shuffleId, reducePartition) => this.tracker.blocksFor(shuffleId, reducePartition),
        cachedBlock: (datasetId, partition) => this.cache.get(datasetId, partition),
      },
      putCached: (cached) => this.cache.put(cached),
      onProgress: this.onProgress,
      recoverShuffle: (shuffleId, mapPartition, seen) =>
        this.recoverShuffle(shuffleId, mapPartition, seen, metrics, abort),
    };
  }
}
