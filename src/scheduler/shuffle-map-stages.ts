import type { MapOutputRef } from '../protocol/map-output.js';
import { assert } from '../common/assert.js';
import type { ShuffleSpillSpec } from '../protocol/task.js';
import type { PlanNode, ShuffleDependency } from '../plan/plan-node.js';
import { partitionerSpec } from '../plan/partitioner.js';
import { determineBounds, sampleSizePerPartition, type KeySample } from '../plan/range-bounds.js';
import { shuffleDependenciesOf } from '../plan/stage-graph.js';
import type { MapOutputTracker } from './map-output-tracker.js';
import type { JobMetrics, RerunCause } from './job-metrics.js';
import { RoundsWithoutProgress } from './rounds-without-progress.js';
import type { ShuffleGenerations } from './shuffle-generations.js';
import { runTaskSet, type CommittedAttempt, type StageRun, type TaskSetHost } from './task-set.js';

/** Range bounds from the samples the map tasks of a one-pass sort reported with their outputs, in map order. */
function boundsOfSortedRuns(outputs: readonly MapOutputRef[], numPartitions: number): unknown[] {
  const samples = outputs.map((output, m) => {
    assert(output.sortedRun !== undefined, `map output ${m} of a sorted shuffle is a sorted run`);
    return output.sortedRun.sample;
  });
  return determineBounds(samples, numPartitions);
}

/**
 * Rounds in a row of recomputing a shuffle's missing map outputs that leave no fewer missing (outputs lost again,
 * or discarded by an upstream indeterminate stage's rerun meanwhile), before the scheduler stops trying.
 */
const RECOVERY_ROUNDS_WITHOUT_PROGRESS_MAX = 4;

/** What the map stages need of the scheduler that runs them (the `DagScheduler`). */
export interface MapStageHost {
  readonly seed: number;
  taskSetHost(metrics: JobMetrics, abort: AbortController): TaskSetHost;
  newStage(node: PlanNode, label: string): StageRun;
  /** Every partition of a persisted dataset is cached: lineage below it need not run. */
  isFullyCached(node: PlanNode): boolean;
  /** A shuffle a job reads: the cleaner watches its dependency, to release its outputs once it is collected. */
  registerShuffle(dependency: ShuffleDependency): void;
  applyAccumulators(committed: CommittedAttempt, metrics: JobMetrics): void;
  /** A committed attempt that read shuffle outputs an indeterminate stage's rerun discarded: nothing of it is used. */
  dropStale(committed: CommittedAttempt, metrics: JobMetrics): void;
  /** The spill rule of a map task launched now. */
  shuffleSpill(): ShuffleSpillSpec | null;
  /** Resolves the `zipWithIndex` offsets a stage over `node` needs before it runs. */
  resolveZipOffsets(node: PlanNode, metrics: JobMetrics, abort: AbortController): Promise<void>;
}

/**
 * The shuffle map stages of a scheduler (Spark's `ShuffleMapStage` submission and resubmission): makes every map
 * output of a shuffle available before its readers run, running only the missing map partitions (a shuffle several
 * jobs need runs once), and after a fetch failure recomputes the lost outputs, discarding every output of an
 * indeterminate shuffle first when someone already read it. Owned by the scheduler's event loop, like all its state.
 */
export class ShuffleMapStages {
  private readonly tracker: MapOutputTracker;
  private readonly generations: ShuffleGenerations;
  private readonly host: MapStageHost;
  private readonly inFlightShuffles = new Map<number, Promise<void>>();
  /**
   * The dependency of each shuffle, held weakly: the datasets downstream of a shuffle keep it alive, and when none
   * does the cleaner releases its outputs (a strong map here would keep every shuffle of the Context forever).
   */
  private readonly shuffles = new Map<number, WeakRef<ShuffleDependency>>();
  /** Map outputs whose accumulator updates were applied: a recomputed map output never applies them again. */
  private readonly appliedMapOutputs = new Set<string>();
  /** Next attempt number per map partition of each shuffle: recomputations continue the count. */
  private readonly mapAttempts = new Map<number, Map<number, number>>();
  /** Why a shuffle's next map stage run recomputes outputs: what the task that lost them found. */
  private readonly lossCauses = new Map<number, RerunCause>();

  constructor(tracker: MapOutputTracker, generations: ShuffleGenerations, host: MapStageHost) {
    this.tracker = tracker;
    this.generations = generations;
    this.host = host;
  }

  /**
   * Forgets the bookkeeping of a released shuffle; returns false, keeping it, while its map stage is still in
   * flight (see `DagScheduler.releaseShuffle`).
   */
  forget(shuffleId: number): boolean {
    if (this.inFlightShuffles.has(shuffleId)) return false;
    this.shuffles.delete(shuffleId);
    this.mapAttempts.delete(shuffleId);
    this.lossCauses.delete(shuffleId);
    for (const key of this.appliedMapOutputs) if (key.startsWith(`${shuffleId}/`)) this.appliedMapOutputs.delete(key);
    return true;
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

  /** The shuffles the last stage of `node` reads (registered with the cleaner). */
  parentShuffles(node: PlanNode): ShuffleDependency[] {
    const dependencies = shuffleDependenciesOf(node, (n) => this.host.isFullyCached(n));
    for (const dependency of dependencies) {
      if (this.shuffles.get(dependency.shuffleId)?.deref() !== dependency) {
        this.shuffles.set(dependency.shuffleId, new WeakRef(dependency));
      }
      this.host.registerShuffle(dependency);
    }
    return dependencies;
  }

  /** Makes every shuffle the last stage of `node` reads available: what a stage that reads them waits for first. */
  async ensureParentShuffles(node: PlanNode, metrics: JobMetrics, abort: AbortController): Promise<void> {
    await Promise.all(this.parentShuffles(node).map((dependency) => this.ensureShuffle(dependency, metrics, abort)));
  }

  /** Makes every map output of a shuffle available, running only the missing map partitions (shared by jobs). */
  ensureShuffle(dependency: ShuffleDependency, metrics: JobMetrics, abort: AbortController): Promise<void> {
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
    const { partitioner } = dependency;
    // A one-pass sort samples in its map tasks (bounds picked below); any other range shuffle samples first.
    if (partitioner.kind === 'range' && partitioner.bounds === null && dependency.sortedRuns !== true) {
      partitioner.bounds = await this.sampleRangeBounds(dependency, metrics, abort);
    }
    await this.host.resolveZipOffsets(dependency.parent, metrics, abort);
    this.rollBackIfIndeterminate(shuffleId, metrics);
    const sortedRun = dependency.sortedRuns === true ? this.sortedRunSpec(dependency) : undefined;
    // A sorted run's map task only needs the partition count (its segments): the bounds come after it.
    const spec =
      sortedRun !== undefined && partitioner.kind === 'range'
        ? {
            kind: 'range' as const,
            numPartitions: partitioner.numPartitions,
            bounds: [],
            ascending: partitioner.ascending,
          }
        : partitionerSpec(partitioner);
    await runTaskSet(
      this.host.taskSetHost(metrics, abort),
      {
        ...this.host.newStage(dependency.parent, `${dependency.label} (map side)`),
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
        spill: this.host.shuffleSpill(),
        ...(sortedRun === undefined ? {} : { sortedRun }),
      }),
      (partition, value, committed) => {
        if (!this.generations.isCurrent(committed.reads)) return this.host.dropStale(committed, metrics);
        if (value.kind !== 'shuffle' || !this.tracker.commit(shuffleId, partition, value.output)) {
          metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
          return;
        }
        const key = `${shuffleId}/${partition}`;
        if (this.appliedMapOutputs.has(key)) metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
        else this.host.applyAccumulators(committed, metrics);
        this.appliedMapOutputs.add(key);
        if (committed.lostBlock !== null) this.tracker.dropBlock(shuffleId, partition, committed.lostBlock);
      },
    );
    // Every map output ran (a lost block does not lose the sample the driver holds): the bounds can be picked.
    if (partitioner.kind === 'range' && partitioner.bounds === null && this.tracker.notRun(shuffleId).length === 0) {
      partitioner.bounds = boundsOfSortedRuns(this.tracker.presentOutputs(shuffleId), partitioner.numPartitions);
    }
  }

  /**
   * The map tasks' part of a one-pass sort: each samples its keys as the `sample-keys` job would (same size, same
   * seed), so the bounds are the ones that job would pick.
   */
  private sortedRunSpec(dependency: ShuffleDependency): {
    ascending: boolean;
    samplePerPartition: number;
    seed: number;
  } {
    const { partitioner, parent } = dependency;
    return {
      ascending: partitioner.kind === 'range' ? partitioner.ascending : true,
      samplePerPartition: sampleSizePerPartition(partitioner.numPartitions, parent.numPartitions),
      seed: this.host.seed,
    };
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
      this.host.taskSetHost(metrics, abort),
      this.host.newStage(parent, `${dependency.label} (sampling keys)`),
      Array.from({ length: parent.numPartitions }, (_, i) => i),
      () => ({ kind: 'partition-action', action: { kind: 'sample-keys', perPartition, seed: this.host.seed } }),
      (partition, value, committed) => {
        // Sampling re-evaluates the parent for the engine's sake: its accumulator updates would count twice.
        metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
        if (value.kind === 'value') samples[partition] = value.value as KeySample;
      },
    );
    return determineBounds(samples, dependency.partitioner.numPartitions);
  }

  /**
   * Re-runs the lost map outputs of a shuffle after a fetch failure (Spark's stage resubmission, limited to the
   * missing map partitions), then returns. An output another task already had recomputed is not recomputed again.
   */
  async recoverShuffle(
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

  private mapAttemptsOf(shuffleId: number): Map<number, number> {
    let attempts = this.mapAttempts.get(shuffleId);
    if (attempts === undefined) {
      attempts = new Map();
      this.mapAttempts.set(shuffleId, attempts);
    }
    return attempts;
  }
}
