import type { TaskMetrics } from '../protocol/task.js';
import {
  EVENT_LOG_VERSION,
  type EventEnvelope,
  type TaskEndEvent,
  type TaskMetricsRecord,
  type TaskStartEvent,
} from './event-schema.js';

/**
 * The numbers of a task start or of a successful task end without per-operator rows (all a job of many tiny tasks
 * reports), as the scheduler hands them to the observers: one row of a preallocated `Float64Array` instead of an
 * attempt reference, an event object and a metrics record per event. The event bus fills a {@link TaskFacts} and
 * hands it to the log writer and the live UI a batch at a time (event-bus.ts); every other event, and a failed or
 * columnar task's end, stays an object.
 *
 * Why: with observers on, a job of 10,000 empty tasks cost +6.7 µs of driver CPU per task where the observers'
 * own work, replayed in a loop, costs ~1.9 µs (native-bench/OBSERVABILITY.md, round 4): the rest was four young
 * objects per task and the observers' code running cold between two tasks' worth of scheduler and pool code.
 */

// The columns of a row. Values are stored exactly as the event's fields hold them (ms rounded to whole µs).
export const FACT_KIND = 0;
export const FACT_SEQ = 1;
export const FACT_TIME_MS = 2;
export const FACT_JOB_ID = 3;
export const FACT_STAGE_ID = 4;
export const FACT_TASK_ID = 5;
export const FACT_PARTITION = 6;
export const FACT_ATTEMPT = 7;
/** 1 for a speculative copy, else 0. */
export const FACT_SPECULATIVE = 8;
// The columns below are set for an end only.
export const FACT_DURATION_MS = 9;
export const FACT_RECORDS_WRITTEN = 10;
export const FACT_BYTES_READ = 11;
export const FACT_BYTES_WRITTEN = 12;
export const FACT_EXECUTOR_MS = 13;
export const FACT_SHUFFLE_READ_BYTES = 14;
export const FACT_SPILL_BYTES = 15;
export const FACT_GC_MS = 16;
export const FACT_THREAD_ID = 17;
export const FACT_COLUMNS = 18;

/** FACT_KIND of a task start and of a successful end. */
export const FACT_START = 0;
export const FACT_END = 1;

/**
 * Rows a batch holds before it is handed on: 256 task events are ~50 KiB of log lines, written in one warm loop
 * (the log writer formatted task lines 256 at a time before this channel existed, for the same reason).
 */
export const TASK_FACTS_MAX = 256;

/** The counters of a successful task, as the scheduler has them. */
export type TaskCounters = Pick<
  TaskMetrics,
  | 'recordsWritten'
  | 'bytesRead'
  | 'bytesWritten'
  | 'durationMs'
  | 'shuffleReadBytes'
  | 'spillBytes'
  | 'gcMs'
  | 'threadId'
>;

/**
 * A batch of task facts, oldest first. Readers take rows `0 … count - 1` at offsets `row * FACT_COLUMNS`; the bus
 * empties it once every reader has had it.
 */
export class TaskFacts {
  readonly cells = new Float64Array(TASK_FACTS_MAX * FACT_COLUMNS);
  count = 0;

  /** Whether another row fits. */
  get full(): boolean {
    return this.count === TASK_FACTS_MAX;
  }

  /** Appends a task start; the caller made sure it fits. */
  start(
    seq: number,
    timeMs: number,
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
  ): void {
    const at = this.#row(FACT_START, seq, timeMs, jobId, stageId, taskId, partition, attempt, speculative);
    this.cells[at + FACT_DURATION_MS] = 0;
  }

  /** Appends a successful end, times rounded to whole µs as the event object's are; the caller made sure it fits. */
  end(
    seq: number,
    timeMs: number,
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
    durationMs: number,
    m: TaskCounters,
  ): void {
    const at = this.#row(FACT_END, seq, timeMs, jobId, stageId, taskId, partition, attempt, speculative);
    const cells = this.cells;
    cells[at + FACT_DURATION_MS] = toMicroseconds(durationMs);
    cells[at + FACT_RECORDS_WRITTEN] = m.recordsWritten;
    cells[at + FACT_BYTES_READ] = m.bytesRead;
    cells[at + FACT_BYTES_WRITTEN] = m.bytesWritten;
    cells[at + FACT_EXECUTOR_MS] = toMicroseconds(m.durationMs);
    cells[at + FACT_SHUFFLE_READ_BYTES] = m.shuffleReadBytes;
    cells[at + FACT_SPILL_BYTES] = m.spillBytes;
    cells[at + FACT_GC_MS] = toMicroseconds(m.gcMs);
    cells[at + FACT_THREAD_ID] = m.threadId;
  }

  #row(
    kind: number,
    seq: number,
    timeMs: number,
    jobId: number,
    stageId: number,
    taskId: number,
    partition: number,
    attempt: number,
    speculative: boolean,
  ): number {
    const at = this.count++ * FACT_COLUMNS;
    const cells = this.cells;
    cells[at + FACT_KIND] = kind;
    cells[at + FACT_SEQ] = seq;
    cells[at + FACT_TIME_MS] = timeMs;
    cells[at + FACT_JOB_ID] = jobId;
    cells[at + FACT_STAGE_ID] = stageId;
    cells[at + FACT_TASK_ID] = taskId;
    cells[at + FACT_PARTITION] = partition;
    cells[at + FACT_ATTEMPT] = attempt;
    cells[at + FACT_SPECULATIVE] = speculative ? 1 : 0;
    return at;
  }
}

/**
 * Milliseconds rounded to whole microseconds: finer digits mean nothing for a task's time, and writing a number of
 * 17 significant digits as text costs ~8× one of 6 (0.19 µs vs 0.02 µs), twice per logged task.
 */
export function toMicroseconds(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * The event a row stands for, as the scheduler's builders made it before this channel: for listeners that take
 * objects (`Context.onEvent`, `explainAnalyze`), and for tests.
 */
export function taskFactEvent(cells: Float64Array, at: number): (TaskStartEvent | TaskEndEvent) & EventEnvelope {
  const base = {
    v: EVENT_LOG_VERSION,
    seq: cells[at + FACT_SEQ]!,
    timeMs: cells[at + FACT_TIME_MS]!,
  };
  const jobId = cells[at + FACT_JOB_ID]!;
  const stageId = cells[at + FACT_STAGE_ID]!;
  const taskId = cells[at + FACT_TASK_ID]!;
  const partition = cells[at + FACT_PARTITION]!;
  const attempt = cells[at + FACT_ATTEMPT]!;
  const speculative = cells[at + FACT_SPECULATIVE] === 1;
  if (cells[at + FACT_KIND] === FACT_START) {
    return { ...base, kind: 'task-start', jobId, stageId, taskId, partition, attempt, speculative };
  }
  const metrics: TaskMetricsRecord = {
    recordsWritten: cells[at + FACT_RECORDS_WRITTEN]!,
    bytesRead: cells[at + FACT_BYTES_READ]!,
    bytesWritten: cells[at + FACT_BYTES_WRITTEN]!,
    executorMs: cells[at + FACT_EXECUTOR_MS]!,
    shuffleReadBytes: cells[at + FACT_SHUFFLE_READ_BYTES]!,
    spillBytes: cells[at + FACT_SPILL_BYTES]!,
    gcMs: cells[at + FACT_GC_MS]!,
    threadId: cells[at + FACT_THREAD_ID]!,
  };
  return {
    ...base,
    kind: 'task-end',
    jobId,
    stageId,
    taskId,
    partition,
    attempt,
    speculative,
    durationMs: cells[at + FACT_DURATION_MS]!,
    reason: 'success',
    metrics,
    failure: null,
  };
}

/** The bytes the successful ends of a batch read: what the console progress bar shows, without an event per task. */
export function bytesReadOf(facts: TaskFacts): number {
  const cells = facts.cells;
  let bytes = 0;
  for (let row = 0, at = 0; row < facts.count; row++, at += FACT_COLUMNS) {
    if (cells[at + FACT_KIND] === FACT_END) bytes += cells[at + FACT_BYTES_READ]!;
  }
  return bytes;
}
