import type { ShippedFunction } from '../protocol/shipped-function.js';
import { isBroadcastMarker } from '../protocol/shipped-function.js';
import type { CachedBlock, TaskDescriptor, TaskEndReason, TaskOutputSpec, TaskValue } from '../protocol/task.js';
import { shippedFunctionsOf, shippedFunctionsOfOutput } from '../protocol/functions-of.js';
import type { Clock } from '../common/clock.js';
import { InputError, JobFailedError, TaskError, type ErrorCode, type TaskLocation } from '../common/errors.js';
import type { TaskBackend } from '../backend/task-backend.js';
import { buildPipeline, type PipelineInputs } from '../plan/build-pipeline.js';
import type { PlanNode } from '../plan/plan-node.js';
import type { JobMetrics } from './job-metrics.js';
import { watchProgress } from './progress-watch.js';

/** A stage as it runs: an id for messages and the event log, and the node whose partitions it computes. */
export interface StageRun {
  readonly stageId: number;
  readonly node: PlanNode;
  readonly label: string;
}

/** What a task set needs from the DAG scheduler. */
export interface TaskSetHost {
  readonly backend: TaskBackend;
  readonly clock: Clock;
  readonly options: { readonly taskAttemptsMax: number; readonly taskTimeoutMs: number };
  readonly metrics: JobMetrics;
  /** Aborted when the job fails: running attempts are killed, none start. */
  readonly abort: AbortController;
  nextTaskId(): number;
  readonly pipelineInputs: PipelineInputs;
  putCached(cached: CachedBlock): void;
  onProgress(progress: { stageId: number; label: string; total: number; done: number; running: number }): void;
  /** Recomputes a lost map output from lineage. */
  recoverShuffle(shuffleId: number, mapPartition: number): Promise<void>;
}

/**
 * Worker losses tolerated per task beyond `taskAttemptsMax`: a dead thread is not the user's fault (Spark does not
 * count executor loss against a task), but an always-crashing task must still end.
 */
const WORKER_LOSSES_MAX = 8;
/** Times one task may find its shuffle input lost and wait for it to be recomputed. */
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
  onSuccess: (partition: number, value: TaskValue) => void,
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
        const value = await runPartition(host, stage, partition, outputFor, progress, report);
        if (value === null) continue;
        onSuccess(partition, value);
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
): Promise<TaskValue | null> {
  const failures: Failures = { counted: 0, workerLost: 0, fetchFailed: 0 };
  for (let attempt = 0; ; attempt++) {
    if (host.abort.signal.aborted) return null;
    const task = describeTask(host, stage, partition, attempt, outputFor(partition, attempt));
    host.metrics.taskAttempts++;
    progress.running++;
    report();
    const attemptAbort = new AbortController();
    const stopWatch = watchProgress(task.progress, host.options.taskTimeoutMs, host.clock, () =>
      attemptAbort.abort('timed-out'),
    );
    let reason: TaskEndReason = await host.backend.run(task, attemptAbort.signal);
    stopWatch();
    progress.running--;
    if (reason.kind === 'killed' && attemptAbort.signal.reason === 'timed-out') {
      reason = { kind: 'timed-out', timeoutMs: host.options.taskTimeoutMs };
    }
    if (reason.kind === 'success') {
      host.metrics.tasksSucceeded++;
      host.metrics.recordsWritten += reason.metrics.recordsWritten;
      host.metrics.bytesRead += reason.metrics.bytesRead;
      host.metrics.bytesWritten += reason.metrics.bytesWritten;
      for (const cached of reason.cached) host.putCached(cached);
      return reason.value;
    }
    host.metrics.failures[reason.kind]++;
    const location: TaskLocation = { stageId: stage.stageId, partition, attempt };
    switch (reason.kind) {
      case 'killed':
        if (host.abort.signal.aborted) return null;
        break;
      case 'worker-lost':
        failures.workerLost++;
        if (failures.workerLost >= WORKER_LOSSES_MAX) fail(stage, location, failures.workerLost, describe(reason));
        break;
      case 'fetch-failed':
        failures.fetchFailed++;
        if (failures.fetchFailed >= FETCH_FAILURES_MAX) fail(stage, location, failures.fetchFailed, describe(reason));
        await host.recoverShuffle(reason.shuffleId, reason.mapPartition);
        break;
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
          fail(stage, location, failures.counted, describe(reason), taskError(reason, location));
        }
        break;
    }
  }
}

function describeTask(
  host: TaskSetHost,
  stage: StageRun,
  partition: number,
  attempt: number,
  output: TaskOutputSpec,
): TaskDescriptor {
  const pipeline = buildPipeline(stage.node, partition, host.pipelineInputs);
  const functions = [...shippedFunctionsOf(pipeline), ...shippedFunctionsOfOutput(output)];
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
  };
}

function broadcastIdsIn(functions: readonly ShippedFunction[]): number[] {
  const ids = new Set<number>();
  for (const fn of functions) {
    if (fn.kind !== 'source') continue;
    for (const value of Object.values(fn.captures)) if (isBroadcastMarker(value)) ids.add(value.kindlingBroadcastId);
  }
  return [...ids];
}

function describe(reason: Exclude<TaskEndReason, { kind: 'success' }>): string {
  switch (reason.kind) {
    case 'exception':
      return reason.message;
    case 'worker-lost':
      return `the worker thread died: ${reason.message}`;
    case 'out-of-memory':
      return `the worker thread ran out of heap memory (${reason.message}); raise the limit with the Context option workerHeapMbMax`;
    case 'timed-out':
      return `no progress for ${reason.timeoutMs} ms (taskTimeoutMs); the thread was terminated`;
    case 'fetch-failed':
      return `shuffle ${reason.shuffleId} map output ${reason.mapPartition} was lost: ${reason.message}`;
    case 'killed':
      return `killed: ${reason.reason}`;
  }
}

function taskError(reason: Exclude<TaskEndReason, { kind: 'success' }>, location: TaskLocation): TaskError | undefined {
  if (reason.kind !== 'exception') return undefined;
  const error = new TaskError(reason.message, location, reason.stack);
  if (reason.code !== undefined) Object.defineProperty(error, 'code', { value: reason.code });
  return error;
}

function fail(stage: StageRun, location: TaskLocation, attempts: number, why: string, cause?: Error): never {
  throw new JobFailedError(
    `job failed: stage ${stage.stageId} (${stage.label}), partition ${location.partition} failed ${attempts} ` +
      `time${attempts === 1 ? '' : 's'}; last failure: ${why}`,
    location,
    cause === undefined ? undefined : { cause },
  );
}
