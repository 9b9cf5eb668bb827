import type { Block } from '../protocol/block.js';
import type { PipelineNode } from '../protocol/pipeline.js';
import type { ShippedFunction } from '../protocol/shipped-function.js';
import { isAccumulatorMarker, isBroadcastMarker } from '../protocol/shipped-function.js';
import type {
  AccumulatorUpdate,
  CachedBlock,
  TaskDescriptor,
  TaskEndReason,
  TaskOutputSpec,
  TaskValue,
} from '../protocol/task.js';
import { shippedFunctionsOf, shippedFunctionsOfOutput } from '../protocol/functions-of.js';
import type { Clock } from '../common/clock.js';
import { InputError, type ErrorCode, type TaskLocation } from '../common/errors.js';
import { chooseFault, faultBlockIndex, type FaultsOption, type InjectedFault } from '../common/faults.js';
import type { TaskBackend } from '../backend/task-backend.js';
import { buildPipeline, type PipelineInputs } from '../plan/build-pipeline.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { JobMetrics } from './job-metrics.js';
import { MapOutputMissingError } from './map-output-tracker.js';
import { watchProgress } from './progress-watch.js';
import { describeFailure, failJob, failPool, taskErrorOf } from './task-failure.js';

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
  };
  readonly metrics: JobMetrics;
  /** Aborted when the job fails: running attempts are killed, none start. */
  readonly abort: AbortController;
  nextTaskId(): number;
  /** The fault rules in force (the `faults` option), or null. */
  faults(): FaultsOption | null;
  readonly pipelineInputs: PipelineInputs;
  putCached(cached: CachedBlock): void;
  onProgress(progress: { stageId: number; label: string; total: number; done: number; running: number }): void;
  /**
   * Recomputes a lost map output from lineage. `seen` is the corrupt block the task read, or the reduce partition
   * whose block was missing; an output already replaced since is not recomputed again.
   */
  recoverShuffle(
    shuffleId: number,
    mapPartition: number,
    seen: { readonly block: Block } | { readonly reducePartition: number },
  ): Promise<void>;
}

/** The attempt of a partition that succeeded first: its value, and what the driver must do with its side effects. */
export interface CommittedAttempt {
  readonly value: TaskValue;
  readonly accumulatorUpdates: readonly AccumulatorUpdate[];
  /** The reduce partition whose output block an injected `lose-block` fault drops, or null. */
  readonly lostBlock: number | null;
}

/**
 * Worker losses tolerated per task beyond `taskAttemptsMax`: a dead thread is not the user's fault (Spark does not
 * count executor loss against a task), but an always-crashing task must still end.
 */
const WORKER_LOSSES_MAX = 8;
/** Default of the fetch failures one task may meet (`stageAttemptsMax`), as Spark's stage attempts. */
const FETCH_FAILURES_MAX = 4;
/** Attempts per pool thread a task set keeps in flight. */
const IN_FLIGHT_PER_THREAD = 2;

/**
 * Runs the tasks of one stage for the given partitions (Spark's `TaskSetManager`): each partition is retried until
 * it succeeds or exhausts its attempts, and the first success of each partition is the one that counts.
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
  const progress = { stageId: stage.stageId, label: stage.label, total: partitions.length, done: 0, running: 0 };
  const report = () => host.onProgress({ ...progress });
  report();
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
        const committed = await runPartition(host, stage, partition, outputFor, progress, report);
        if (committed === null) continue;
        onSuccess(partition, committed.value, committed);
        progress.done++;
        report();
      } catch (error: unknown) {
        // No new attempts start after a failure; attempts already running finish on their own (terminating their
        // threads would cost more than it saves and can crash a worker mid-start-up). We return once all ended,
        // so no attempt of a failed job is still writing when the caller cleans up.
        firstFailure ??= { error };
        host.abort.abort(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(inFlightMax, partitions.length) }, lane));
  if (firstFailure !== null) throw (firstFailure as { error: unknown }).error;
  if (host.abort.signal.aborted) throw host.abort.signal.reason;
}

/** Failure counters of one partition's attempts. */
interface Failures {
  counted: number;
  workerLost: number;
  fetchFailed: number;
}

async function runPartition(
  host: TaskSetHost,
  stage: StageRun,
  partition: number,
  outputFor: (partition: number, attempt: number) => TaskOutputSpec,
  progress: { running: number },
  report: () => void,
): Promise<CommittedAttempt | null> {
  const failures: Failures = { counted: 0, workerLost: 0, fetchFailed: 0 };
  const metrics = host.metrics;
  for (let attempt = stage.attempts?.get(partition) ?? 0; ; attempt++) {
    if (host.abort.signal.aborted) return null;
    stage.attempts?.set(partition, attempt + 1);
    const launchedMs = host.clock.nowMs();
    const launched = launch(host, stage, partition, attempt, outputFor(partition, attempt));
    let reason: TaskEndReason;
    let task: TaskDescriptor | null = null;
    if (launched instanceof MapOutputMissingError) {
      // The driver already knows an input block is gone: the task would fail to fetch it, so it is not run.
      reason = { kind: 'fetch-failed', ...launched, message: launched.message };
    } else {
      task = launched;
      const fault = task.fault ?? null;
      if (fault !== null && fault.kind !== 'lose-block' && fault.kind !== 'corrupt-block') {
        metrics.faultsInjected[fault.kind]++;
      }
      metrics.taskAttempts++;
      progress.running++;
      report();
      const attemptAbort = new AbortController();
      const stopWatch = watchProgress(task.progress, host.options.taskTimeoutMs, host.clock, () =>
        attemptAbort.abort('timed-out'),
      );
      reason = await host.backend.run(task, attemptAbort.signal);
      stopWatch();
      progress.running--;
      if (reason.kind === 'killed' && attemptAbort.signal.reason === 'timed-out') {
        reason = { kind: 'timed-out', timeoutMs: host.options.taskTimeoutMs };
      }
      if (reason.kind === 'success') {
        metrics.tasksSucceeded++;
        if (failures.counted + failures.workerLost + failures.fetchFailed > 0) metrics.tasksRetried++;
        metrics.recordsWritten += reason.metrics.recordsWritten;
        metrics.bytesRead += reason.metrics.bytesRead;
        metrics.bytesWritten += reason.metrics.bytesWritten;
        for (const cached of reason.cached) host.putCached(cached);
        return {
          value: reason.value,
          accumulatorUpdates: reason.accumulatorUpdates ?? [],
          lostBlock: blockFault(fault, reason.value, metrics),
        };
      }
      metrics.timeLostMs += host.clock.nowMs() - launchedMs;
    }
    metrics.failures[reason.kind]++;
    const location: TaskLocation = { stageId: stage.stageId, partition, attempt };
    const why = () =>
      describeFailure(reason as Exclude<TaskEndReason, { kind: 'success' }>, host.options.workerHeapMbMax);
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
            : blockRead(task!.pipeline, reason.shuffleId, reason.mapPartition);
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
        if (failures.counted >= host.options.taskAttemptsMax) {
          failJob(stage, location, failures.counted, why(), taskErrorOf(reason, location));
        }
        break;
    }
  }
}

/** The attempt's descriptor, with its fault chosen, or the missing input block that makes running it pointless. */
function launch(
  host: TaskSetHost,
  stage: StageRun,
  partition: number,
  attempt: number,
  output: TaskOutputSpec,
): TaskDescriptor | MapOutputMissingError {
  let pipeline: PipelineNode;
  try {
    pipeline = buildPipeline(stage.node, partition, host.pipelineInputs);
  } catch (error: unknown) {
    if (error instanceof MapOutputMissingError) return error;
    throw error;
  }
  const functions = [...shippedFunctionsOf(pipeline), ...shippedFunctionsOfOutput(output)];
  let fault: InjectedFault | null = chooseFault(host.faults(), {
    stageId: stage.stageId,
    partition,
    attempt,
    writesShuffle: output.kind === 'shuffle-write',
  });
  const timeoutMs = host.options.taskTimeoutMs;
  // A hang with no timeout to end it would hang the job: the rule cannot apply.
  if (fault?.kind === 'hang' && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) fault = null;
  return {
    taskId: host.nextTaskId(),
    jobId: host.metrics.jobId,
    stageId: stage.stageId,
    partition,
    attempt,
    pipeline,
    output,
    broadcastIds: broadcastIdsIn(functions),
    progress: new SharedArrayBuffer(4),
    fault,
  };
}

/** Counts a block fault that hit a block; returns the reduce partition a `lose-block` drops. */
function blockFault(fault: InjectedFault | null, value: TaskValue, metrics: JobMetrics): number | null {
  if (fault === null || (fault.kind !== 'lose-block' && fault.kind !== 'corrupt-block') || value.kind !== 'shuffle') {
    return null;
  }
  const index = faultBlockIndex(
    fault,
    value.blocks.map((block) => block.rows),
  );
  if (index === null) return null;
  metrics.faultsInjected[fault.kind]++;
  return fault.kind === 'lose-block' ? index : null;
}

/** The block of `mapPartition` that a task's pipeline read from shuffle `shuffleId`. */
function blockRead(node: PipelineNode, shuffleId: number, mapPartition: number): { block: Block } | undefined {
  if (node.kind === 'shuffle-read') {
    const block = node.shuffleId === shuffleId ? node.blocks[mapPartition] : undefined;
    return block === undefined ? undefined : { block };
  }
  // Walk every child, whatever the node kind: new kinds with inputs are searched too.
  const children: PipelineNode[] = [];
  const fields = node as unknown as Record<string, unknown>;
  for (const key of ['input', 'left', 'right']) {
    const child = fields[key];
    if (typeof child === 'object' && child !== null && 'kind' in child) children.push(child as PipelineNode);
  }
  if (Array.isArray(fields['inputs'])) children.push(...(fields['inputs'] as PipelineNode[]));
  for (const child of children) {
    const found = blockRead(child, shuffleId, mapPartition);
    if (found !== undefined) return found;
  }
  return undefined;
}

function broadcastIdsIn(functions: readonly ShippedFunction[]): number[] {
  const ids = new Set<number>();
  for (const fn of functions) {
    if (fn.kind !== 'source') continue;
    for (const value of Object.values(fn.captures)) {
      // Accumulator markers look like broadcast markers but need no fetch: the executor makes them task-local.
      if (isBroadcastMarker(value) && !isAccumulatorMarker(value)) ids.add(value.kindlingBroadcastId);
    }
  }
  return [...ids];
}
