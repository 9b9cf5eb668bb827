import type { TaskEndReason } from '../protocol/task.js';
import { JobFailedError, KindlingError, TaskError, type TaskLocation } from '../common/errors.js';

/** A failed attempt's end reason. */
export type FailureReason = Exclude<TaskEndReason, { kind: 'success' }>;

/**
 * One line saying why an attempt failed, for the job's error: the user's message, or what happened to the thread
 * and how to change it (the heap limit, the timeout).
 *
 * @example
 * describeFailure({ kind: 'timed-out', timeoutMs: 500 }); // 'no progress for 500 ms (taskTimeoutMs) …'
 */
export function describeFailure(reason: FailureReason, heapMbMax = 0): string {
  switch (reason.kind) {
    case 'exception':
      return reason.message;
    case 'worker-lost':
      return `the worker thread died: ${reason.message}`;
    case 'out-of-memory': {
      const limit = heapMbMax > 0 ? `the heap limit of ${heapMbMax} MiB (workerHeapMbMax)` : `Node's heap limit`;
      const example = heapMbMax > 0 ? ` (e.g. new Context({ workerHeapMbMax: ${2 * heapMbMax} }))` : '';
      return (
        `the worker thread ran out of heap memory at ${limit} (${reason.message}); raise the limit with the ` +
        `Context option workerHeapMbMax${example}, or make the task hold less (more partitions, no groupByKey of ` +
        `big groups)`
      );
    }
    case 'timed-out':
      return `no progress for ${reason.timeoutMs} ms (taskTimeoutMs); the thread was terminated`;
    case 'fetch-failed':
      return `shuffle ${reason.shuffleId} map output ${reason.mapPartition} was lost: ${reason.message}`;
    case 'killed':
      return `killed: ${reason.reason}`;
  }
}

/** The user's error, rebuilt on the driver with its worker stack, for the `cause` of `JobFailedError`. */
export function taskErrorOf(reason: FailureReason, location: TaskLocation): TaskError | undefined {
  if (reason.kind !== 'exception') return undefined;
  const error = new TaskError(reason.message, location, reason.stack);
  if (reason.code !== undefined) Object.defineProperty(error, 'code', { value: reason.code });
  return error;
}

/** Throws the `JobFailedError` for a partition that exhausted its attempts. */
export function failJob(
  stage: { readonly stageId: number; readonly label: string },
  location: TaskLocation,
  attempts: number,
  why: string,
  cause?: Error,
): never {
  throw new JobFailedError(
    `job failed: stage ${stage.stageId} (${stage.label}), partition ${location.partition} failed ${attempts} ` +
      `time${attempts === 1 ? '' : 's'}; last failure: ${why}`,
    location,
    cause === undefined ? undefined : { cause },
  );
}

/** Throws the `JobFailedError` for a pool that cannot run any task (code of the cause: `ERR_POOL_FAILED`). */
export function failPool(location: TaskLocation, message: string): never {
  throw new JobFailedError(`job failed: ${message}`, location, {
    cause: new KindlingError('ERR_POOL_FAILED', message),
  });
}
