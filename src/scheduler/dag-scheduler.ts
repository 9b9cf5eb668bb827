import type { MapOutputRef } from '../protocol/map-output.js';
import type { AccumulatorUpdate, ShuffleSpillSpec, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import type { FaultsOption } from '../common/faults.js';
import type { Clock } from '../common/clock.js';
import type { TaskBackend } from '../backend/task-backend.js';
import type { PlanNode } from '../plan/plan-node.js';
import { shuffleDependenciesOf } from '../plan/stage-graph.js';
import { MapOutputTracker } from './map-output-tracker.js';
import { ContextCleaner } from './context-cleaner.js';
import { newJobMetrics, type JobMetrics } from './job-metrics.js';
import { indeterminateShuffles, ShuffleGenerations, type ReadGenerations } from './shuffle-generations.js';
import type { CommittedAttempt, StageRun, TaskSetHost } from './task-set.js';
import type { EventListener } from '../events/event-schema.js';
import type { TaskFactSink } from '../events/event-bus.js';
import { jobEnded, jobStarted } from './scheduler-events.js';
import { ShuffleMapStages } from './shuffle-map-stages.js';
import { shuffleSpillRule, type ShuffleSpillBudget } from './shuffle-spill-rule.js';
import { runResultStage, type ResultStageHost } from './result-stage.js';
import { resolveZipOffsets } from './zip-offsets.js';
import type { BlockCache, SchedulerOptions, StageProgress } from './scheduler-ports.js';

export type { BlockCache, SchedulerOptions, StageProgress } from './scheduler-ports.js';

/**
 * One job: compute `partitions` of `node` and hand each partition's task value to `onResult`, once.
 *
 * `onResult` is called only when the job succeeds, after every task ended, once per partition, with the value of
 * the attempt that committed it (first committer wins, speculative copies included). Results are held back until
 * then because a rerun of an indeterminate stage can invalidate results already computed (DESIGN.md §5): those are
 * recomputed, and the action never sees values of two runs. A failed job calls `onResult` for no partition.
 */
export interface JobRequest {
  readonly node: PlanNode;
  readonly partitions: readonly number[];
  /** The output step of the task computing `partition` (its attempt, for attempt-private paths). */
  output(partition: number, attempt: number): TaskOutputSpec;
  onResult(partition: number, value: TaskValue): void;
  /** What ran the job, for the event log and UI (`count at app.js:12:7`). @default the node's label */
  readonly description?: string;
}

/**
 * Turns jobs into stages cut at shuffle dependencies and runs them parents first (Spark's `DAGScheduler`). Shuffle
 * outputs are kept and reused by later jobs; a shuffle some jobs share runs once. All scheduling state lives on
 * this one event loop; the backend only runs tasks. The stages themselves run in shuffle-map-stages.ts,
 * result-stage.ts and zip-offsets.ts; this class holds the state they share and the job's lifecycle.
 */
export class DagScheduler {
  readonly tracker = new MapOutputTracker();
  /** Releases the outputs of shuffles whose dependency was garbage collected (Spark's `ContextCleaner`). */
  readonly cleaner = new ContextCleaner((shuffleId) => this.releaseShuffle(shuffleId));
  /** Called with the outputs of a released or discarded shuffle, so spilled ones are deleted (set by the Context). */
  onOutputsReleased: ((outputs: readonly MapOutputRef[]) => void) | null = null;
  private nextJobId = 0;
  private nextStageId = 0;
  private nextTaskId = 0;
  /** Fault rules for the jobs that start from now on (`kc.setFaults`). */
  faults: FaultsOption | null;
  /** Applies accumulator updates of committed attempts (set by the Context); null drops them. */
  onAccumulatorUpdates: ((updates: readonly AccumulatorUpdate[]) => void) | null = null;
  /** Where map tasks spill and the byte budget of shuffle outputs plus cached partitions (set by the Context). */
  spill: ShuffleSpillBudget | null = null;
  /** Where job, stage and task events go (set by the Context while anyone listens); null builds no event. */
  events: EventListener | null = null;
  /** Where task starts and successful ends go as numbers (set with `events`); null builds nothing. */
  taskFacts: TaskFactSink | null = null;
  /** Generations of shuffle outputs and their readers, for indeterminate stages. */
  private readonly generations = new ShuffleGenerations();
  /** The shuffle generations each cached partition (`datasetId/partition`) was computed from, when it read any. */
  private readonly cachedReads = new Map<string, ReadGenerations>();
  /** The abort controllers of the jobs running now, for `abortJobs`. */
  private readonly runningJobs = new Set<AbortController>();

  private readonly backend: TaskBackend;
  private readonly cache: BlockCache;
  private readonly options: SchedulerOptions;
  private readonly clock: Clock;
  private readonly onProgress: (progress: StageProgress) => void;
  /** The shuffle map stages jobs need, and their recovery after fetch failures. */
  private readonly mapStages: ShuffleMapStages;
  /** What the result stage and the `zipWithIndex` counting stages need of this scheduler. */
  private readonly stageHost: ResultStageHost;

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
    this.mapStages = new ShuffleMapStages(this.tracker, this.generations, {
      seed: options.seed,
      taskSetHost: (metrics, abort) => this.taskSetHost(metrics, abort),
      newStage: (node, label) => this.newStage(node, label),
      isFullyCached: (node) => cache.isFullyCached(node),
      registerShuffle: (dependency) => this.cleaner.registerShuffle(dependency),
      applyAccumulators: (committed, metrics) => this.applyAccumulators(committed, metrics),
      dropStale: (committed, metrics) => this.dropStale(committed, metrics),
      shuffleSpill: () => this.shuffleSpill(),
      resolveZipOffsets: (node, metrics, abort) => resolveZipOffsets(this.stageHost, node, metrics, abort),
    });
    this.stageHost = {
      mapStages: this.mapStages,
      generations: this.generations,
      taskSetHost: (metrics, abort) => this.taskSetHost(metrics, abort),
      newStage: (node, label) => this.newStage(node, label),
      dropStale: (committed, metrics) => this.dropStale(committed, metrics),
    };
  }

  /** Runs a job to the end; rejects with `JobFailedError` when a task fails `taskAttemptsMax` times. */
  async runJob(request: JobRequest): Promise<JobMetrics> {
    const metrics = newJobMetrics(this.nextJobId++);
    const startedMs = this.clock.nowMs();
    const abort = new AbortController();
    this.runningJobs.add(abort);
    const events = this.events;
    events?.(jobStarted(metrics.jobId, request));
    let failure: unknown = null;
    try {
      for (const shuffleId of indeterminateShuffles(request.node)) this.generations.markIndeterminate(shuffleId);
      const results = await runResultStage(this.stageHost, request, metrics, abort);
      for (const partition of request.partitions) {
        const committed = results.get(partition)!;
        this.applyAccumulators(committed, metrics);
        request.onResult(partition, committed.value);
      }
      return metrics;
    } catch (error: unknown) {
      abort.abort(error);
      failure = error;
      throw error;
    } finally {
      this.runningJobs.delete(abort);
      metrics.durationMs = this.clock.nowMs() - startedMs;
      events?.(jobEnded(metrics, failure));
    }
  }

  /**
   * Aborts every running job (`kc.stop()`): no new task attempt starts, and each job rejects with `reason` (or the
   * failure of a task that ended meanwhile) once the attempts it started have ended.
   */
  abortJobs(reason: unknown): void {
    for (const abort of this.runningJobs) abort.abort(reason);
  }

  private dropStale(committed: CommittedAttempt, metrics: JobMetrics): void {
    metrics.staleResultsDropped++;
    metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
  }

  /**
   * Forgets a shuffle whose dependency was garbage collected (the cleaner calls this): no job can run or read it
   * again, so its outputs, statuses and bookkeeping go. Returns false, keeping it, while its map stage is still in
   * flight (cannot happen for an unreachable dependency: the running stage holds it).
   */
  releaseShuffle(shuffleId: number): boolean {
    if (!this.mapStages.forget(shuffleId)) return false;
    const outputs = this.tracker.unregister(shuffleId);
    this.onOutputsReleased?.(outputs);
    this.backend.shuffleReleased(shuffleId);
    return true;
  }

  /**
   * Forgets every map output of the shuffles `node`'s last stage reads (`unpersist({ shuffleOutputs: true })`), as
   * if their blocks were lost: the next job that needs them recomputes them from lineage, with the usual rollback
   * of an indeterminate shuffle whose outputs someone read. Returns the bytes of shared memory they held.
   */
  discardShuffleOutputs(node: PlanNode): number {
    let bytes = 0;
    for (const dependency of shuffleDependenciesOf(node, (n) => this.cache.isFullyCached(n))) {
      const before = this.tracker.bytesUsed();
      const outputs = this.tracker.presentOutputs(dependency.shuffleId);
      this.tracker.discardAll(dependency.shuffleId);
      bytes += before - this.tracker.bytesUsed();
      this.onOutputsReleased?.(outputs);
      this.backend.shuffleReleased(dependency.shuffleId);
    }
    return bytes;
  }

  /** The spill rule of a map task launched now (see `shuffleSpillRule`). */
  private shuffleSpill(): ShuffleSpillSpec | null {
    if (this.spill === null) return null;
    return shuffleSpillRule(this.spill, this.backend.parallelism, this.tracker.bytesUsed(), this.cache.bytesUsed ?? 0);
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
      events: this.events,
      taskFacts: this.taskFacts,
      pipelineInputs: {
        // A reader of an indeterminate shuffle reads only a complete generation (otherwise its task fails to build
        // as a fetch failure, whose recovery waits until the generation is whole): had it read part of one whose
        // missing rest was computed after, the rest could differ from what it assumed, so every map output and
        // every reader would have to rerun.
        // So does a reader of sorted runs (`complete`), whose rows lie in other partitions' segments.
        shuffleTable: (shuffleId, reducePartition, complete) =>
          complete === true || this.generations.isIndeterminate(shuffleId)
            ? this.tracker.completeTableFor(shuffleId, reducePartition)
            : this.tracker.tableFor(shuffleId, reducePartition),
        // A cached partition computed from shuffle outputs discarded since (an indeterminate stage reran) is
        // computed again: reading it would mix two runs.
        cachedBlock: (datasetId, partition) => {
          const reads = this.cachedReads.get(`${datasetId}/${partition}`);
          return reads === undefined || this.generations.isCurrent(reads)
            ? this.cache.get(datasetId, partition)
            : undefined;
        },
        sharedDictionaries: (datasetId) => this.cache.sharedDictionaries?.(datasetId),
      },
      putCached: (cached, reads) => {
        this.cache.put(cached);
        const key = `${cached.datasetId}/${cached.partition}`;
        if (reads.size > 0) this.cachedReads.set(key, reads);
        else this.cachedReads.delete(key);
      },
      onProgress: this.onProgress,
      recoverShuffle: (shuffleId, mapPartition, seen) =>
        this.mapStages.recoverShuffle(shuffleId, mapPartition, seen, metrics, abort),
      attemptStarted: (taskId, shufflesRead, cachedRead) => {
        const reads = new Map(this.generations.attemptStarted(taskId, shufflesRead));
        // A cached partition stands for the shuffle outputs it was computed from.
        for (const [datasetId, partition] of cachedRead) {
          for (const [shuffleId, generation] of this.cachedReads.get(`${datasetId}/${partition}`) ?? []) {
            if (!reads.has(shuffleId)) reads.set(shuffleId, generation);
          }
        }
        return reads;
      },
      attemptEnded: (taskId, reads, succeeded) => this.generations.attemptEnded(taskId, reads, succeeded),
    };
  }
}
