import type { Block } from '../protocol/block.js';
import type { CachedBlock, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import type { Clock } from '../common/clock.js';
import type { TaskBackend } from '../backend/task-backend.js';
import type { PlanNode, ShuffleDependency } from '../plan/plan-node.js';
import { partitionerSpec } from '../plan/partitioner.js';
import { determineBounds, sampleSizePerPartition, type KeySample } from '../plan/range-bounds.js';
import { shuffleDependenciesOf, unresolvedZipNodes } from '../plan/stage-graph.js';
import { MapOutputTracker } from './map-output-tracker.js';
import { newJobMetrics, type JobMetrics } from './job-metrics.js';
import { runTaskSet, type StageRun, type TaskSetHost } from './task-set.js';

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
        (partition, value) => request.onResult(partition, value),
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
        this.newStage(dependency.parent, `${dependency.label} (map side)`),
        this.tracker.missing(shuffleId),
        () => ({
          kind: 'shuffle-write',
          shuffleId,
          partitioner: spec,
          mapSideCombine: dependency.mapSideCombine,
          label: dependency.label,
        }),
        (partition, value) => {
          if (value.kind === 'shuffle') this.tracker.commit(shuffleId, partition, value.blocks);
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
      (partition, value) => {
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
        (partition, value) => {
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

  /** Re-runs lost map outputs of a shuffle (after a fetch failure), then returns. */
  private recoverShuffle(shuffleId: number, mapPartition: number, metrics: JobMetrics, abort: AbortController) {
    this.tracker.markLost(shuffleId, mapPartition);
    const dependency = this.shuffles.get(shuffleId);
    return dependency === undefined ? Promise.resolve() : this.ensureShuffle(dependency, metrics, abort);
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
      pipelineInputs: {
        shuffleBlocks: (shuffleId, reducePartition) => this.tracker.blocksFor(shuffleId, reducePartition),
        cachedBlock: (datasetId, partition) => this.cache.get(datasetId, partition),
      },
      putCached: (cached) => this.cache.put(cached),
      onProgress: this.onProgress,
      recoverShuffle: (shuffleId, mapPartition) => this.recoverShuffle(shuffleId, mapPartition, metrics, abort),
    };
  }
}
