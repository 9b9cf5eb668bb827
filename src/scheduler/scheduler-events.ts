import type { TaskEndReason, TaskMetrics } from '../protocol/task.js';
import {
  EVENT_LOG_VERSION,
  failureInfo,
  type EnvelopeSlots,
  type FailureInfo,
  type JobEndEvent,
  type JobStartEvent,
  type StageSubmittedEvent,
  type TaskAttemptRef,
  type TaskEndEvent,
  type TaskMetricsRecord,
  type TaskStartEvent,
  type EventListener,
} from '../events/event-schema.js';
import type { TaskFactSink } from '../events/event-bus.js';
import { toMicroseconds } from '../events/task-facts.js';
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

/**
 * How an attempt ended, as the log records it. One object literal of a fixed shape, no spreads, with the envelope's
 * slots the bus fills: a job of n tasks builds n of these on the scheduler's loop.
 */
export function taskEnded(
  where: TaskAttemptRef,
  speculative: boolean,
  durationMs: number,
  reason: TaskEndReason,
): TaskEndEvent & EnvelopeSlots {
  const success = reason.kind === 'success';
  return {
    v: EVENT_LOG_VERSION,
    seq: 0,
    timeMs: 0,
    kind: 'task-end',
    jobId: where.jobId,
    stageId: where.stageId,
    taskId: where.taskId,
    partition: where.partition,
    attempt: where.attempt,
    speculative,
    durationMs: toMicroseconds(durationMs),
    reason: reason.kind,
    metrics: success ? taskMetricsRecord(reason.metrics) : null,
    failure: success ? null : failureOf(reason),
  };
}

/** Which attempt an event is about (built only for the rare events that carry it: faults, failed ends). */
export function attemptRef(
  jobId: number,
  stageId: number,
  taskId: number,
  partition: number,
  attempt: number,
): TaskAttemptRef {
  return { jobId, stageId, taskId, partition, attempt };
}

/**
 * Reports an attempt's start: as numbers to `facts` (no object built, events/task-facts.ts), or as an event when there
 * is no fact sink. `atMs`: the scheduler's clock at the start, which spares the bus most wall-clock reads
 * (`TaskFactSink`); NaN when not known.
 */
export function reportTaskStart(
  events: EventListener,
  facts: TaskFactSink | null,
  jobId: number,
  stageId: number,
  taskId: number,
  partition: number,
  attempt: number,
  speculative: boolean,
  atMs = Number.NaN,
): void {
  if (facts !== null) facts.taskStarted(jobId, stageId, taskId, partition, attempt, speculative, atMs);
  else events(taskStarted(attemptRef(jobId, stageId, taskId, partition, attempt), speculative));
}

/**
 * Reports an attempt's end: a success without per-operator rows as numbers to `facts`; any other end (a failure,
 * a columnar task's operator rows) as a `task-end` event, which the bus delivers after the facts before it. `atMs`
 * as for {@link reportTaskStart}, at the end.
 */
export function reportTaskEnd(
  events: EventListener,
  facts: TaskFactSink | null,
  jobId: number,
  stageId: number,
  taskId: number,
  partition: number,
  attempt: number,
  speculative: boolean,
  durationMs: number,
  reason: TaskEndReason,
  atMs = Number.NaN,
): void {
  if (facts !== null && reason.kind === 'success' && reason.metrics.operatorRows.length === 0) {
    facts.taskSucceeded(jobId, stageId, taskId, partition, attempt, speculative, durationMs, reason.metrics, atMs);
  } else {
    events(taskEnded(attemptRef(jobId, stageId, taskId, partition, attempt), speculative, durationMs, reason));
  }
}

/** A task start, built like {@link taskEnded}. */
export function taskStarted(where: TaskAttemptRef, speculative: boolean): TaskStartEvent & EnvelopeSlots {
  return {
    v: EVENT_LOG_VERSION,
    seq: 0,
    timeMs: 0,
    kind: 'task-start',
    jobId: where.jobId,
    stageId: where.stageId,
    taskId: where.taskId,
    partition: where.partition,
    attempt: where.attempt,
    speculative,
  };
}

function taskMetricsRecord(m: TaskMetrics): TaskMetricsRecord {
  const record = {
    recordsWritten: m.recordsWritten,
    bytesRead: m.bytesRead,
    bytesWritten: m.bytesWritten,
    executorMs: toMicroseconds(m.durationMs),
    shuffleReadBytes: m.shuffleReadBytes,
    spillBytes: m.spillBytes,
    gcMs: toMicroseconds(m.gcMs),
    threadId: m.threadId,
  };
  return m.operatorRows.length === 0 ? record : { ...record, operatorRows: m.operatorRows };
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
