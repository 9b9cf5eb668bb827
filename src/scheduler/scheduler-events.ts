import type { TaskEndReason } from '../protocol/task.js';
import {
  failureInfo,
  type FailureInfo,
  type JobEndEvent,
  type JobStartEvent,
  type StageSubmittedEvent,
  type TaskAttemptRef,
  type TaskEndEvent,
} from '../events/event-schema.js';
import { describeChain, explainPlan } from '../plan/explain.js';
import { shuffleDependenciesOf } from '../plan/stage-graph.js';
import type { JobMetrics } from './job-metrics.js';
import type { JobRequest } from './dag-scheduler.js';
import type { StageRun } from './task-set.js';

/**
 * The plain events the scheduler emits, built here so the scheduling code keeps one line per event. Every builder
 * runs only when someone listens (the emitter is null otherwise): with observers off nothing here runs.
 */

/** A stage's task set starting. */
export function stageSubmitted(jobId: number, stage: StageRun, tasks: number): StageSubmittedEvent {
  const writesShuffle = stage.writesShuffle ?? null;
  // Helper stages (range-bound sampling, zipWithIndex counting) are labelled after their node with a suffix.
  const purpose = writesShuffle !== null ? 'shuffle-map' : stage.label === stage.node.label ? 'result' : 'helper';
  return {
    kind: 'stage-submitted',
    jobId,
    stageId: stage.stageId,
    label: stage.label,
    purpose,
    nodeId: stage.node.id,
    tasks,
    partitions: stage.node.numPartitions,
    writesShuffle,
    readsShuffles: shuffleDependenciesOf(stage.node).map((dependency) => dependency.shuffleId),
    chain: describeChain(stage.node),
  };
}

/** How an attempt ended, as the log records it. */
export function taskEnded(
  where: TaskAttemptRef,
  speculative: boolean,
  durationMs: number,
  reason: TaskEndReason,
): TaskEndEvent {
  const base = { kind: 'task-end', ...where, speculative, durationMs } as const;
  if (reason.kind === 'success') {
    const { recordsWritten, bytesRead, bytesWritten, durationMs: executorMs } = reason.metrics;
    const metrics = { recordsWritten, bytesRead, bytesWritten, executorMs };
    return { ...base, reason: 'success', metrics, failure: null };
  }
  return { ...base, reason: reason.kind, metrics: null, failure: failureOf(reason) };
}

function failureOf(reason: Exclude<TaskEndReason, { kind: 'success' }>): FailureInfo {
  switch (reason.kind) {
    case 'exception':
      return { name: reason.name, message: reason.message, code: reason.code ?? null, stack: reason.stack ?? null };
    case 'worker-lost':
    case 'out-of-memory':
    case 'fetch-failed':
      return { name: reason.kind, message: reason.message, code: null, stack: null };
    case 'timed-out':
      return { name: reason.kind, message: `no progress for ${reason.timeoutMs} ms`, code: null, stack: null };
    case 'killed':
      return { name: reason.kind, message: reason.reason, code: null, stack: null };
    default: {
      const never: never = reason;
      throw new Error(`unknown task end reason ${JSON.stringify(never)}`);
    }
  }
}

/** A job's start: what ran it, and the plan of its dataset. */
export function jobStarted(jobId: number, request: JobRequest): JobStartEvent {
  const { node } = request;
  return {
    kind: 'job-start',
    jobId,
    description: request.description ?? node.label,
    nodeId: node.id,
    label: node.label,
    partitions: request.partitions.length,
    plan: explainPlan(node),
  };
}

/** A job's end: a copy of its metrics (the Context still adds to them) and its error when it failed. */
export function jobEnded(metrics: JobMetrics, failure: unknown): JobEndEvent {
  return {
    kind: 'job-end',
    jobId: metrics.jobId,
    status: failure === null ? 'succeeded' : 'failed',
    durationMs: metrics.durationMs,
    metrics: { ...metrics, failures: { ...metrics.failures }, faultsInjected: { ...metrics.faultsInjected } },
    failure: failure === null ? null : failureInfo(failure),
  };
}
