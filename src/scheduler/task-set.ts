import type { MapOutputRef } from '../protocol/map-output.js';
import type { AccumulatorUpdate, CachedBlock, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import type { Clock } from '../common/clock.js';
import { InputError, type ErrorCode, type TaskLocation } from '../common/errors.js';
import type { FaultsOption } from '../common/faults.js';
import type { ResolvedSpeculation } from '../common/options.js';
import type { TaskBackend } from '../backend/task-backend.js';
import type { PipelineInputs } from '../plan/build-pipeline.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { EventListener } from '../events/event-schema.js';
import type { TaskFactSink } from '../events/event-bus.js';
import type { JobMetrics } from './job-metrics.js';
import type { ReadGenerations } from './shuffle-generations.js';
import { MapOutputMissingError } from './map-output-tracker.js';
import { outputRead } from './task-launch.js';
import { describeFailure, failJob, failPool, taskErrorOf, type FailureReason } from './task-failure.js';
import { runAttempt, TaskSetRun, type AttemptOutcome, type PartitionRun } from './task-attempt.js';
import { stageSubmitted } from './scheduler-events.js';

/** A stage as it runs: an id for messages and the event log, and the node whose partitions it computes. */
export interface StageRun {
  readonly stageId: number;
  readonly node: PlanNode;
  readonly label: string;
  /**
   * The next attempt number of each partition, when attempts continue across stage runs: a map partition
   * recomputed after its output was lost is a later attempt of the same task, not a first one again.
   */
  readonly attempts?: Map<number, number>;
  /** The shuffle a map stage's tasks write, for the event log's stage graph. */
  readonly writesShuffle?: number;
}

/** What a task set needs from the DAG scheduler. */
export interface TaskSetHost {
  readonly backend: TaskBackend;
  readonly clock: Clock;
  readonly options: {
    readonly taskAttemptsMax: number;
    readonly taskTimeoutMs: number;
    /** Fetch failures tolerated per task (each one recomputes lost map outputs). @default 4 */
    readonly stageAttemptsMax?: number;
    /** For the out-of-memory message. */
    readonly workerHeapMbMax?: number;
    /** Speculative copies of slow tasks; null (the default) launches none. */
    readonly speculation?: ResolvedSpeculation | null;
  };
  readonly metrics: JobMetrics;
  /** Aborted when the job fails: running attempts are killed, none start. */
  readonly abort: AbortController;
  nextTaskId(): number;
  /** The fault rules in force (the `faults` option), or null. */
  faults(): FaultsOption | null;
  readonly pipelineInputs: PipelineInputs;
  /** Keeps a partition a task cached; `reads` are the shuffle generations it was computed from. */
  putCached(cached: CachedBlock, reads: ReadGenerations): void;
  onProgress(progress: { stageId: number; label: string; total: number; done: number; running: number }): void;
  /**
   * Recomputes a lost map output from lineage. `seen` is the corrupt block the task read, or the reduce partition
   * whose block was missing; an output already replaced since is not recomputed again.
   */
  recoverShuffle(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly output: MapOutputRef } | { readonly reducePartition: number },
  ): Promise<void>;
  /**
   * An attempt reading these shuffles and cached partitions was handed to the backend: returns the shuffle
   * generations its result depends on (those of cached partitions included).
   */
  attemptStarted(
    taskId: number,
    shufflesRead: ReadonlySet<number>,
    cachedRead: readonly (readonly [number, number])[],
  ): ReadGenerations;
  /** That attempt ended (succeeded or not). */
  attemptEnded(taskId: number, reads: ReadGenerations, succeeded: boolean): void;
  /** Where stage and task events go; null (the default) when nobody listens, and then none is built. */
  readonly events?: EventListener | null;
  /** Where task starts and successful ends go as numbers, set and null with `events` (events/task-facts.ts). */
  readonly taskFacts?: TaskFactSink | null;
}

/** The attempt of a partition that succeeded first: its value, and what the driver must do with its side effects. */
export interface CommittedAttempt {
  readonly value: TaskValue;
  readonly accumulatorUpdates: readonly AccumulatorUpdate[];
  /** The reduce partition whose output block an injected `lose-block` fault drops, or null. */
  readonly lostBlock: number | null;
  /** The shuffle generations the attempt read: a result that read a discarded generation must not be used. */
  readonly reads: ReadGenerations;
}

/**
 * Worker losses tolerated per task beyond `taskAttemptsMax`: a dead thread is not the user's fault (Spark does not
 * count executor loss against a task), but an always-crashing task must still end.
 */
const WORKER_LOSSES_MAX = 8;
/** Default of the fetch failures one task may meet (`stageAttemptsMax`), as Spark's stage attempts. */
const FETCH_FAILURES_MAX = 4;
/**
 * Out-of-memory failures of one task after which its job fails, even with attempts left (`taskAttemptsMax`): a
 * worker thread runs one task at a time in its own heap, so a task that exhausted its heap does so again on any
 * thread, unlike a task in a JVM executor whose heap other tasks share. The one retry covers what a thread held
 * from its earlier tasks (broadcast values, shuffle tables). Each attempt fills the heap before it fails (~10 s at
 * the 2 GiB default limit): four of them made a job take minutes to report what the first one showed. Injected
 * `oom` faults are not counted here: they fail one chosen attempt, not every one.
 */
const OUT_OF_MEMORY_FAILURES_MAX = 2;
/** Attempts per pool thread a task set keeps in flight. */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Runs the tasks of one stage for the given partitions (Spark's `TaskSetManager`): each partition is retried until
 * it succeeds or exhausts its attempts, and the first success of each partition is the one that counts. With
 * `speculation`, a straggler gets one copy; whichever attempt succeeds first is the partition's only result, the
 * other is terminated (or, before its first heartbeat, left to finish and dropped). Returns once every attempt it
 * started ended, so nothing of it is still writing when the caller commits or cleans up.
 */
export async function runTaskSet(
  host: TaskSetHost,
  stage: StageRun,
  partitions: readonly number[],
  outputFor: (partition: number, attempt: number) => TaskOutputSpec,
  onSuccess: (partition: number, value: TaskValue, committed: CommittedAttempt) => void,
): Promise<void> {
  if (partitions.length === 0) return;
  host.metrics.stagesRun++;
  const events = host.events ?? null;
  const submittedMs = host.clock.nowMs();
  events?.(stageSubmitted(host.metrics.jobId, stage, partitions.length));
  const run = new TaskSetRun(host, stage, partitions.length, outputFor);
  // At most this many attempts of the stage are handed to the backend at once: enough to keep every thread fed
  // while the driver turns a finished task around, few enough that nothing waits in the pool's own queue (where the
  // scheduler could no longer decide what runs next, and cancelling means terminating a thread).
  const inFlightMax = Math.max(1, host.backend.parallelism * IN_FLIGHT_PER_THREAD);
  let next = 0;
  let firstFailure: { error: unknown } | null = null;
  const lane = async () => {
    while (next < partitions.length && firstFailure === null && !host.abort.signal.aborted) {
      const partition = partitions[next++]!;
      try {
        const state = run.partitionRun(partition);
        const primary = runPartition(run, state);
        run.track(primary);
        const committed = await Promise.race([primary, state.copyWon]);
        if (committed === null) continue;
        onSuccess(partition, committed.value, committed);
        run.progress.done++;
        run.report();
      } catch (error: unknown) {
        // No new attempts start after a failure; attempts already running finish on their own (terminating their
        // threads would cost more than it saves and can crash a worker mid-start-up). We return once all ended,
        // so no attempt of a failed job is still writing when the caller cleans up.
        firstFailure ??= { error };
        host.abort.abort(error);
      }
    }
  };
  const stopSpeculation = run.watchStragglers();
  try {
    await Promise.all(Array.from({ length: Math.min(inFlightMax, partitions.length) }, lane));
  } finally {
    stopSpeculation();
    // Losing attempts that were not terminated, and copies that lost: wait for them (they only drop results).
    while (run.pending.size > 0) await Promise.all([...run.pending]);
    const status = firstFailure === null && !host.abort.signal.aborted ? 'succeeded' : 'failed';
    const durationMs = host.clock.nowMs() - submittedMs;
    events?.({ kind: 'stage-completed', jobId: host.metrics.jobId, stageId: stage.stageId, status, durationMs });
  }
  if (firstFailure !== null) throw (firstFailure as { error: unknown }).error;
  if (host.abort.signal.aborted) throw host.abort.signal.reason;
}

/** Failure counters of one partition's attempts. */
interface Failures {
  counted: number;
  workerLost: number;
  fetchFailed: number;
  /** Out-of-memory failures that no fault injected. */
  outOfMemory: number;
}

/** The original attempts of a partition: retried until one succeeds, the partition is won by a copy, or too many fail. */
async function runPartition(run: TaskSetRun, state: PartitionRun): Promise<CommittedAttempt | null> {
  const { host, stage } = run;
  const partition = state.partition;
  const failures: Failures = { counted: 0, workerLost: 0, fetchFailed: 0, outOfMemory: 0 };
  const metrics = host.metrics;
  for (;;) {
    if (host.abort.signal.aborted || state.resolved) return null;
    const outcome: AttemptOutcome = await runAttempt(run, state, false);
    if (state.resolved) {
      run.dropLoser(outcome);
      return null;
    }
    const { reason, launched, attempt } = outcome;
    if (reason.kind === 'success') {
      if (failures.counted + failures.workerLost + failures.fetchFailed > 0) metrics.tasksRetried++;
      run.resolve(state, outcome);
      return outcome.committed!;
    }
    metrics.failures[reason.kind]++;
    const location: TaskLocation = { stageId: stage.stageId, partition, attempt };
    const why = () => describeFailure(reason, host.options.workerHeapMbMax);
    switch (reason.kind) {
      case 'killed':
        if (host.abort.signal.aborted) return null;
        break;
      case 'worker-lost':
        if (reason.poolFailed === true) failPool(location, reason.message);
        failures.workerLost++;
        if (failures.workerLost >= WORKER_LOSSES_MAX) failJob(stage, location, failures.workerLost, why());
        break;
      case 'fetch-failed': {
        failures.fetchFailed++;
        const bound = host.options.stageAttemptsMax ?? FETCH_FAILURES_MAX;
        if (failures.fetchFailed >= bound) failJob(stage, location, failures.fetchFailed, why());
        const seen =
          launched instanceof MapOutputMissingError
            ? { reducePartition: launched.reducePartition }
            : outputRead(launched.task, reason.shuffleId, reason.mapPartition);
        const { shuffleId, mapPartition, message } = reason;
        const [jobId, stageId] = [metrics.jobId, stage.stageId];
        host.events?.({ kind: 'fetch-failed', jobId, stageId, partition, attempt, shuffleId, mapPartition, message });
        await host.recoverShuffle(reason.shuffleId, reason.mapPartition, seen ?? { reducePartition: -1 });
        break;
      }
      case 'exception':
      case 'out-of-memory':
      case 'timed-out':
        failures.counted++;
        if (reason.kind === 'exception' && !reason.userCode && reason.code?.startsWith('ERR_INPUT')) {
          // Bad input fails the same way on every attempt: report it now, as the input error it is.
          throw new InputError(
            reason.code as ErrorCode,
            `${reason.message} (stage ${stage.stageId}, partition ${partition})`,
          );
        }
        if (reason.kind === 'out-of-memory' && !injectedOom(launched)) failures.outOfMemory++;
        if (
          failures.counted >= host.options.taskAttemptsMax ||
          failures.outOfMemory >= OUT_OF_MEMORY_FAILURES_MAX ||
          failsEveryAttempt(reason)
        ) {
          failJob(stage, location, failures.counted, why(), taskErrorOf(reason, location));
        }
        break;
    }
  }
}

/**
 * Codes of task failures that data and options decide, so every attempt fails alike: one join key whose build rows
 * alone are over `joinBuildBytesMax`; an int64 sum outside the int64 range; a column of another type than the
 * plan's, a column the plan names that the data lacks, an operation the columnar kernels do not take. The job fails
 * at the first, instead of after `taskAttemptsMax` attempts that each redo the task's work (its spill included).
 * Bad input (`ERR_INPUT_*`) is reported as an `InputError` above.
 */
const FAILS_EVERY_ATTEMPT: ReadonlySet<string> = new Set([
  'ERR_COLUMNAR_JOIN_KEY_TOO_FREQUENT',
  'ERR_COLUMNAR_OVERFLOW',
  'ERR_COLUMNAR_TYPE',
  'ERR_COLUMNAR_UNKNOWN_COLUMN',
  'ERR_COLUMNAR_UNSUPPORTED',
]);

/** Whether the attempt was handed an injected `oom` fault (the `faults` option), which ends it whatever its data. */
function injectedOom(launched: AttemptOutcome['launched']): boolean {
  return !(launched instanceof MapOutputMissingError) && launched.task.fault?.kind === 'oom';
}

function failsEveryAttempt(reason: FailureReason): boolean {
  return reason.kind === 'exception' && !reason.userCode && FAILS_EVERY_ATTEMPT.has(reason.code ?? '');
}
