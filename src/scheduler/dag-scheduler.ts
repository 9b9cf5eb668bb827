import type { BlockRef } from '../protocol/block.js';
import type { MapOutputRef } from '../protocol/map-output.js';
import type { AccumulatorUpdate, CachedBlock, ShuffleSpillSpec, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import type { FaultsOption } from '../common/faults.js';
import type { Clock } from '../common/clock.js';
import { JobFailedError } from '../common/errors.js';
import type { ResolvedSpeculation } from '../common/options.js';
import type { TaskBackend } from '../backend/task-backend.js';
import type { PlanNode, ShuffleDependency } from '../plan/plan-node.js';
import { partitionerSpec } from '../plan/partitioner.js';
import { determineBounds, sampleSizePerPartition, type KeySample } from '../plan/range-bounds.js';
import { shuffleDependenciesOf, unresolvedZipNodes } from '../plan/stage-graph.js';
import { MapOutputTracker } from './map-output-tracker.js';
import { ContextCleaner } from './context-cleaner.js';
import { countsText, newJobMetrics, type JobMetrics, type RerunCause } from './job-metrics.js';
import { RoundsWithoutProgress } from './rounds-without-progress.js';
import { indeterminateShuffles, ShuffleGenerations, type ReadGenerations } from './shuffle-generations.js';
import { runTaskSet, type CommittedAttempt, type StageRun, type TaskSetHost } from './task-set.js';
import type { EventListener } from '../events/event-schema.js';
import type { TaskFactSink } from '../events/event-bus.js';
import { jobEnded, jobStarted } from './scheduler-events.js';

/**
 * Rounds in a row of recomputing a shuffle's missing map outputs that leave no fewer missing (outputs lost again,
 * or discarded by an upstream indeterminate stage's rerun meanwhile), before the scheduler stops trying.
 */
const RECOVERY_ROUNDS_WITHOUT_PROGRESS_MAX = 4;
/**
 * Reruns in a row of a job's result stage that leave no fewer partitions without a current result (each rerun
 * recomputes the partitions whose results read shuffle outputs an indeterminate stage's rerun discarded). Every
 * such rerun follows a fault that forced the indeterminate rerun (a reader found a block of a generation already
 * read corrupt), so this bounds the rounds by the faults, not by their timing. Why 8, not Spark's 4 consecutive
 * stage attempts: in a two-partition result stage each such fault makes the other partition's held result stale,
 * and with faults at p = 0.5 per task (a seeded search over the chaos job shapes) 4 in a row came about once in
 * 300 runs.
 */
const RESULT_ROUNDS_WITHOUT_PROGRESS_MAX = 8;

/** The block store as the scheduler sees it: cached partitions by dataset and partition. */
export interface BlockCache {
  get(datasetId: number, partition: number): BlockRef | undefined;
  put(cached: CachedBlock): void;
  /** Every partition of a persisted dataset is cached: lineage below it need not run. */
  isFullyCached(node: PlanNode): boolean;
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
 * this one event loop; the backend only runs tasks.
 */
export class DagScheduler {
  readonly tracker = new MapOutputTracker();
  private readonly inFlightShuffles = new Map<number, Promise<void>>();
  /**
   * The dependency of each shuffle, held weakly: the datasets downstream of a shuffle keep it alive, and when none
   * does the cleaner releases its outputs (a strong map here would keep every shuffle of the Context forever).
   */
  private readonly shuffles = new Map<number, WeakRef<ShuffleDependency>>();
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
  spill: { readonly dir: string; readonly memoryBytesMax: number; readonly shuffleMemoryBytesMax: number } | null =
    null;
  /** Where job, stage and task events go (set by the Context while anyone listens); null builds no event. */
  events: EventListener | null = null;
  /** Where task starts and successful ends go as numbers (set with `events`); null builds nothing. */
  taskFacts: TaskFactSink | null = null;
  /** Map outputs whose accumulator updates were applied: a recomputed map output never applies them again. */
  private readonly appliedMapOutputs = new Set<string>();
  /** Next attempt number per map partition of each shuffle: recomputations continue the count. */
  private readonly mapAttempts = new Map<number, Map<number, number>>();
  /** Generations of shuffle outputs and their readers, for indeterminate stages. */
  private readonly generations = new ShuffleGenerations();
  /** The shuffle generations each cached partition (`datasetId/partition`) was computed from, when it read any. */
  private readonly cachedReads = new Map<string, ReadGenerations>();
  /** The abort controllers of the jobs running now, for `abortJobs`. */
  private readonly runningJobs = new Set<AbortController>();
  /** Why a shuffle's next map stage run recomputes outputs: what the task that lost them found. */
  private readonly lossCauses = new Map<number, RerunCause>();

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
    this.runningJobs.add(abort);
    const events = this.events;
    events?.(jobStarted(metrics.jobId, request));
    let failure: unknown = null;
    try {
      for (const shuffleId of indeterminateShuffles(request.node)) this.generations.markIndeterminate(shuffleId);
      const results = await this.runResultStage(request, metrics, abort);
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

  /**
   * Runs the job's result stage until every partition has a result that read only current shuffle outputs: a
   * result computed from outputs an indeterminate stage's rerun discarded is dropped, and its partition reruns.
   */
  private async runResultStage(
    request: JobRequest,
    metrics: JobMetrics,
    abort: AbortController,
  ): Promise<Map<number, CommittedAttempt>> {
    const results = new Map<number, CommittedAttempt>();
    // Attempt numbers continue across reruns: attempt-private output paths never repeat within the job.
    const attempts = new Map<number, number>();
    let pending = [...new Set(request.partitions)];
    let stageId = -1;
    const rounds = new RoundsWithoutProgress(RESULT_ROUNDS_WITHOUT_PROGRESS_MAX, pending.length);
    for (let run = 0; pending.length > 0; run++) {
      if (rounds.exhausted) {
        throw new JobFailedError(
          `job failed: stage ${stageId} (${request.node.label}) ran ${run} times, the last ${rounds.stalledRounds} ` +
            `without adding a result: partitions [${pending.join(', ')}] read shuffle outputs that a rerun of an ` +
            `indeterminate stage discarded each time; this job's indeterminate reruns were forced by tasks finding ` +
            `${countsText(metrics.indeterminateRerunCauses)} (faults injected in this job: ` +
            `${countsText(metrics.faultsInjected)})`,
          { stageId, partition: pending[0]!, attempt: attempts.get(pending[0]!) ?? 0 },
        );
      }
      if (run > 0) metrics.consumerStageReruns++;
      await Promise.all(
        this.parentShuffles(request.node).map((dependency) => this.ensureShuffle(dependency, metrics, abort)),
      );
      await this.resolveZipOffsets(request.node, metrics, abort);
      const stage = { ...this.newStage(request.node, request.node.label), attempts };
      stageId = stage.stageId;
      await runTaskSet(
        this.taskSetHost(metrics, abort),
        stage,
        pending,
        (partition, attempt) => request.output(partition, attempt),
        (partition, _value, committed) => {
          if (this.generations.isCurrent(committed.reads)) results.set(partition, committed);
          else this.dropStale(committed, metrics);
        },
      );
      for (const [partition, committed] of results) {
        if (this.generations.isCurrent(committed.reads)) continue;
        results.delete(partition);
        this.dropStale(committed, metrics);
      }
      pending = [...new Set(request.partitions)].filter((partition) => !results.has(partition));
      rounds.record(pending.length);
    }
    return results;
  }

  private dropStale(committed: CommittedAttempt, metrics: JobMetrics): void {
    metrics.staleResultsDropped++;
    metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
  }

  /**
   * Before an indeterminate shuffle recomputes map outputs: if any consumer read (or is reading) its current
   * outputs, recomputing only the missing ones would let consumers mix two runs, so every output of it and of every
   * shuffle computed from it is discarded (Spark's rollback of an `INDETERMINATE` stage). Consumers that read them
   * rerun: a downstream shuffle's outputs are gone, and results that read them are dropped when checked.
   */
  private rollBackIfIndeterminate(shuffleId: number, metrics: JobMetrics): void {
    const cause = this.lossCauses.get(shuffleId) ?? 'lost-block';
    this.lossCauses.delete(shuffleId);
    if (!this.generations.isIndeterminate(shuffleId) || !this.generations.isConsumed(shuffleId)) return;
    metrics.indeterminateStageReruns++;
    metrics.indeterminateRerunCauses[cause]++;
    const downstream = this.generations.discard(shuffleId);
    metrics.recomputedPartitions += this.tracker.discardAll(shuffleId);
    for (const child of downstream) if (this.tracker.discardAll(child) > 0) metrics.consumerStageReruns++;
  }

  private parentShuffles(node: PlanNode): ShuffleDependency[] {
    const dependencies = shuffleDependenciesOf(node, (n) => this.cache.isFullyCached(n));
    for (const dependency of dependencies) {
      if (this.shuffles.get(dependency.shuffleId)?.deref() !== dependency) {
        this.shuffles.set(dependency.shuffleId, new WeakRef(dependency));
      }
      this.cleaner.registerShuffle(dependency);
    }
    return dependencies;
  }

  /** Makes every map output of a shuffle available, running only the missing map partitions (shared by jobs). */
  private ensureShuffle(dependency: ShuffleDependency, metrics: JobMetrics, abort: AbortController): Promise<void> {
    const { shuffleId } = dependency;
    this.tracker.register(shuffleId, dependency.parent.numPartitions);
    if (this.tracker.missing(shuffleId).length === 0) return Promise.resolve();
    const running = this.inFlightShuffles.get(shuffleId);
    if (running !== undefined) return running;
    // More than one round when outputs this run committed were discarded meanwhile (an upstream indeterminate
    // stage reran), or a map output was lost while the stage ran. A block lost after its map task committed is
    // left for its reader to find, as a fetch failure; but an indeterminate shuffle is made whole first: its
    // readers only read a complete generation (see `shuffleBlocks`), and refilling a hole before anyone read the
    // generation costs one map task, where a reader finding it would force a rerun of every map task and reader.
    const toRun = (first: boolean) =>
      first || this.generations.isIndeterminate(shuffleId)
        ? this.tracker.missing(shuffleId)
        : this.tracker.notRun(shuffleId);
    const work = (async () => {
      const rounds = new RoundsWithoutProgress(RECOVERY_ROUNDS_WITHOUT_PROGRESS_MAX, toRun(true).length);
      for (let first = true; !rounds.exhausted && toRun(first).length > 0; first = false) {
        // Outputs that lost a block are recomputed whole.
        if (!first) metrics.recomputedPartitions += toRun(false).length - this.tracker.notRun(shuffleId).length;
        await this.runMapStage(dependency, metrics, abort);
        rounds.record(toRun(false).length);
      }
    })();
    this.inFlightShuffles.set(shuffleId, work);
    return work.finally(() => this.inFlightShuffles.delete(shuffleId));
  }

  /** One run of a shuffle's map stage over its missing map partitions. */
  private async runMapStage(dependency: ShuffleDependency, metrics: JobMetrics, abort: AbortController): Promise<void> {
    const { shuffleId } = dependency;
    const parents = this.parentShuffles(dependency.parent);
    for (const parent of parents) this.generations.link(parent.shuffleId, shuffleId);
    await Promise.all(parents.map((parent) => this.ensureShuffle(parent, metrics, abort)));
    if (dependency.partitioner.kind === 'range' && dependency.partitioner.bounds === null) {
      dependency.partitioner.bounds = await this.sampleRangeBounds(dependency, metrics, abort);
    }
    await this.resolveZipOffsets(dependency.parent, metrics, abort);
    this.rollBackIfIndeterminate(shuffleId, metrics);
    const spec = partitionerSpec(dependency.partitioner);
    await runTaskSet(
      this.taskSetHost(metrics, abort),
      {
        ...this.newStage(dependency.parent, `${dependency.label} (map side)`),
        attempts: this.mapAttemptsOf(shuffleId),
        writesShuffle: shuffleId,
      },
      this.tracker.missing(shuffleId),
      () => ({
        kind: 'shuffle-write',
        shuffleId,
        partitioner: spec,
        mapSideCombine: dependency.mapSideCombine,
        label: dependency.label,
        spill: this.shuffleSpill(),
      }),
      (partition, value, committed) => {
        if (!this.generations.isCurrent(committed.reads)) return this.dropStale(committed, metrics);
        if (value.kind !== 'shuffle' || !this.tracker.commit(shuffleId, partition, value.output)) {
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
   * Forgets a shuffle whose dependency was garbage collected (the cleaner calls this): no job can run or read it
   * again, so its outputs, statuses and bookkeeping go. Returns false, keeping it, while its map stage is still in
   * flight (cannot happen for an unreachable dependency: the running stage holds it).
   */
  releaseShuffle(shuffleId: number): boolean {
    if (this.inFlightShuffles.has(shuffleId)) return false;
    const outputs = this.tracker.unregister(shuffleId);
    this.shuffles.delete(shuffleId);
    this.mapAttempts.delete(shuffleId);
    this.lossCauses.delete(shuffleId);
    for (const key of this.appliedMapOutputs) if (key.startsWith(`${shuffleId}/`)) this.appliedMapOutputs.delete(key);
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

  /**
   * Re-runs the lost map outputs of a shuffle after a fetch failure (Spark's stage resubmission, limited to the
   * missing map partitions), then returns. An output another task already had recomputed is not recomputed again.
   */
  private async recoverShuffle(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly output: MapOutputRef } | { readonly reducePartition: number },
    metrics: JobMetrics,
    abort: AbortController,
  ): Promise<void> {
    if (this.tracker.markLostIfSeen(shuffleId, mapPartition, seen)) {
      metrics.stageResubmissions++;
      metrics.recomputedPartitions++;
      this.lossCauses.set(shuffleId, 'output' in seen ? 'corrupt-block' : 'lost-block');
    }
    // Map outputs with a block the driver already knows is lost would fail their readers next: recompute them in
    // the same round rather than one fetch failure at a time (each counts against the reader's stageAttemptsMax).
    const holed = this.tracker.markHoledLost(shuffleId);
    metrics.recomputedPartitions += holed;
    if (holed > 0 && !this.lossCauses.has(shuffleId)) this.lossCauses.set(shuffleId, 'lost-block');
    const dependency = this.shuffles.get(shuffleId)?.deref();
    if (dependency === undefined) return;
    // A recomputation already in flight may have started before this loss was known: run again until complete.
    const missing = () => this.tracker.missing(shuffleId).length;
    const rounds = new RoundsWithoutProgress(RECOVERY_ROUNDS_WITHOUT_PROGRESS_MAX, missing());
    while (!rounds.exhausted && missing() > 0) {
      await this.ensureShuffle(dependency, metrics, abort);
      rounds.record(missing());
    }
  }

  /**
   * The spill rule of a map task launched now (DESIGN.md §6). At most 2 attempts per thread run at once (the task
   * set's in-flight bound), each keeping at most `shuffleMemoryBytesMax / (4 × threads)` bytes of output in memory:
   * half the shuffle budget in all. A task may keep that much only while the map outputs in memory are within the
   * other half, and they plus cached partitions within `memoryBytesMax`; otherwise it spills every non-empty block.
   * So in-memory shuffle output stays within `shuffleMemoryBytesMax`, checked at launch, without the driver moving
   * blocks a reader may hold.
   */
  private shuffleSpill(): ShuffleSpillSpec | null {
    if (this.spill === null) return null;
    const { dir, memoryBytesMax, shuffleMemoryBytesMax } = this.spill;
    const inFlightMax = 2 * Math.max(1, this.backend.parallelism);
    const perTaskBytes = Math.floor(shuffleMemoryBytesMax / (2 * inFlightMax));
    const inFlightBytes = inFlightMax * perTaskBytes;
    const shuffleBytes = this.tracker.bytesUsed();
    const fits =
      shuffleBytes + inFlightBytes <= shuffleMemoryBytesMax &&
      shuffleBytes + (this.cache.bytesUsed ?? 0) + inFlightBytes <= memoryBytesMax;
    return { dir, bytesInMemoryMax: fits ? perTaskBytes : 0 };
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
      events: this.events,
      taskFacts: this.taskFacts,
      pipelineInputs: {
        // A reader of an indeterminate shuffle reads only a complete generation (otherwise its task fails to build
        // as a fetch failure, whose recovery waits until the generation is whole): had it read part of one whose
        // missing rest was computed after, the rest could differ from what it assumed, so every map output and
        // every reader would have to rerun.
        shuffleTable: (shuffleId, reducePartition) =>
          this.generations.isIndeterminate(shuffleId)
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
      },
      putCached: (cached, reads) => {
        this.cache.put(cached);
        const key = `${cached.datasetId}/${cached.partition}`;
        if (reads.size > 0) this.cachedReads.set(key, reads);
        else this.cachedReads.delete(key);
      },
      onProgress: this.onProgress,
      recoverShuffle: (shuffleId, mapPartition, seen) =>
        this.recoverShuffle(shuffleId, mapPartition, seen, metrics, abort),
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
