import { TASK_END_KINDS } from '../protocol/task.js';
import type { FailureInfo, TaskEndEvent, TaskEndKind, TaskMetricsRecord, TaskStartEvent } from './event-schema.js';
import { summarizeTasks, type TaskSummary } from './task-summary.js';
import {
  FACT_BYTES_READ,
  FACT_BYTES_WRITTEN,
  FACT_DURATION_MS,
  FACT_EXECUTOR_MS,
  FACT_GC_MS,
  FACT_RECORDS_WRITTEN,
  FACT_SHUFFLE_READ_BYTES,
  FACT_SPILL_BYTES,
  FACT_TASK_ID,
  FACT_THREAD_ID,
} from './task-facts.js';

/** One task attempt as the UI shows it: a copy of its row, taken when a page asks. */
export interface TaskRow {
  readonly taskId: number;
  readonly partition: number;
  readonly attempt: number;
  readonly speculative: boolean;
  readonly startMs: number;
  readonly durationMs: number | null;
  readonly reason: TaskEndKind | null;
  /** Without `operatorRows`: the stage keeps their sum, no page shows a task's. */
  readonly metrics: TaskMetricsRecord | null;
  readonly failure: FailureInfo | null;
  readonly fault: string | null;
}

/**
 * The end reasons in the order their codes (index + 1) are stored; 0 is a running attempt. The protocol's list, so
 * a new kind gets a code here without a second list to keep in step.
 */
const END_KINDS: readonly TaskEndKind[] = TASK_END_KINDS;
const END_CODES: ReadonlyMap<string, number> = new Map(END_KINDS.map((kind, i) => [kind, i + 1]));

// The columns of a row. Numbers only: what is rare or not a number (failures, faults) is kept beside, by row.
const TASK_ID = 0;
const PARTITION = 1;
const ATTEMPT = 2;
const SPECULATIVE = 3;
const START_MS = 4;
const DURATION_MS = 5;
const REASON = 6;
const HAS_METRICS = 7;
const RECORDS_WRITTEN = 8;
const BYTES_READ = 9;
const BYTES_WRITTEN = 10;
const EXECUTOR_MS = 11;
const SHUFFLE_READ_BYTES = 12;
const SPILL_BYTES = 13;
const GC_MS = 14;
const THREAD_ID = 15;
const COLUMNS = 16;
/** The column of each of task-summary.ts's `SUMMARY_METRICS`, in its order. */
const SUMMARY_COLUMNS = [
  DURATION_MS,
  RECORDS_WRITTEN,
  BYTES_READ,
  BYTES_WRITTEN,
  SHUFFLE_READ_BYTES,
  SPILL_BYTES,
  GC_MS,
];
/** The code of 'success' in the REASON column. */
const SUCCESS_CODE = END_CODES.get('success')!;
/** Rows a table starts with when its stage announces no tasks (a stage announces how many it will run). */
const ROWS_INITIAL = 16;
/**
 * Bounds the range of task ids indexed directly to this many per row expected (4 bytes each): room for the ids
 * other stages running beside this one take, without letting a long-lived stage's index grow without bound.
 */
const OFFSET_SPAN_PER_ROW = 8;

/** A copy of `array` in a zeroed array of `length` elements. */
function grown<T extends Float64Array | Int32Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (n: number) => T)(length);
  copy.set(array);
  return copy;
}

/**
 * The task attempts of one stage, for the live UI and the history view: one row of numbers per attempt in a single
 * growing `Float64Array`, found by task id. A job of 10,000 tasks was 10,000 row objects (and the metrics each
 * task-end carried) kept alive on the driver, which the garbage collector copied until it promoted them; numbers in
 * one typed array cost it nothing, and a task event's objects die young. Pages read rows as {@link TaskRow} copies.
 *
 * @example
 * const tasks = new TaskTable(4);
 * tasks.start(startEvent);
 * tasks.end(endEvent);
 * [...tasks.values()][0].durationMs; // 12.5
 */
export class TaskTable {
  #cells: Float64Array;
  #rows = 0;
  /**
   * Row + 1 of task `firstTaskId + i` at index i (0: none). Task ids come from one counter and a stage's attempts
   * start in id order, so its ids fill a range with few holes: an index into it costs a fraction of a `Map` entry.
   * Ids outside the range it may grow to go to {@link #rowOfOther}.
   */
  #rowByOffset: Int32Array;
  #firstTaskId = -1;
  readonly #offsetsMax: number;
  readonly #rowOfOther = new Map<number, number>();
  readonly #failures = new Map<number, FailureInfo>();
  readonly #faults = new Map<number, string>();
  /** End reasons of a later schema minor version, which have no code here. */
  readonly #otherReasons = new Map<number, TaskEndKind>();
  /** Set when the rows were let go ({@link dropRows}): the summary they gave then. */
  #droppedSummary: TaskSummary | null = null;

  constructor(rowsExpected: number) {
    const rows = Math.max(ROWS_INITIAL, rowsExpected);
    this.#cells = new Float64Array(rows * COLUMNS);
    this.#rowByOffset = new Int32Array(rows);
    this.#offsetsMax = OFFSET_SPAN_PER_ROW * rows;
  }

  /** Attempts started. */
  get size(): number {
    return this.#rows;
  }

  /** The successful attempts' quantiles: from the rows, or as they were when the rows were let go. */
  summary(): TaskSummary {
    if (this.#droppedSummary !== null) return this.#droppedSummary;
    const cells = this.#cells;
    const finished: number[] = [];
    for (let row = 0, at = 0; row < this.#rows; row++, at += COLUMNS) {
      if (cells[at + REASON] === SUCCESS_CODE && cells[at + HAS_METRICS] === 1) finished.push(at);
    }
    return summarizeTasks(finished.length, (metric, into) => {
      const column = SUMMARY_COLUMNS[metric]!;
      for (let i = 0; i < finished.length; i++) into[i] = cells[finished[i]! + column]!;
    });
  }

  /** Whether the rows were let go: `values()` yields none, `get` finds none, `size` still counts them. */
  get rowsDropped(): boolean {
    return this.#droppedSummary !== null;
  }

  /**
   * Lets the rows go, keeping their summary and their count: the live UI keeps rows for a bounded number of
   * attempts (app-state.ts). Later events for this table are ignored.
   */
  dropRows(): void {
    if (this.#droppedSummary !== null) return;
    this.#droppedSummary = this.summary();
    this.#cells = new Float64Array(0);
    this.#rowByOffset = new Int32Array(0);
    this.#rowOfOther.clear();
    this.#failures.clear();
    this.#faults.clear();
    this.#otherReasons.clear();
  }

  /** Records an attempt's start; false when its task id already has a row (the event is then ignored). */
  start(event: TaskStartEvent & { readonly timeMs: number }): boolean {
    return this.startAttempt(event.taskId, event.partition, event.attempt, event.speculative, event.timeMs);
  }

  /** {@link start} from the event's numbers (a task fact, task-facts.ts). */
  startAttempt(taskId: number, partition: number, attempt: number, speculative: boolean, startMs: number): boolean {
    if (this.#droppedSummary !== null || this.#rowOf(taskId) !== undefined) return false;
    const row = this.#rows++;
    if (this.#rows * COLUMNS > this.#cells.length) this.#cells = grown(this.#cells, this.#cells.length * 2);
    this.#setRowOf(taskId, row);
    const cells = this.#cells;
    const at = row * COLUMNS;
    cells[at + TASK_ID] = taskId;
    cells[at + PARTITION] = partition;
    cells[at + ATTEMPT] = attempt;
    cells[at + SPECULATIVE] = speculative ? 1 : 0;
    cells[at + START_MS] = startMs;
    cells[at + DURATION_MS] = Number.NaN;
    // The other cells of a new row are 0: typed arrays start zeroed and rows are never reused.
    return true;
  }

  /**
   * Records a successful end from a task fact at offset `fact` of `facts` (task-facts.ts), as {@link end} records
   * the event it stands for; false when its start was not seen.
   */
  endSucceeded(facts: Float64Array, fact: number): boolean {
    const at = this.#endRow(facts[fact + FACT_TASK_ID]!, facts[fact + FACT_DURATION_MS]!, SUCCESS_CODE);
    if (at < 0) return false;
    const cells = this.#cells;
    cells[at + HAS_METRICS] = 1;
    cells[at + RECORDS_WRITTEN] = facts[fact + FACT_RECORDS_WRITTEN]!;
    cells[at + BYTES_READ] = facts[fact + FACT_BYTES_READ]!;
    cells[at + BYTES_WRITTEN] = facts[fact + FACT_BYTES_WRITTEN]!;
    cells[at + EXECUTOR_MS] = facts[fact + FACT_EXECUTOR_MS]!;
    cells[at + SHUFFLE_READ_BYTES] = facts[fact + FACT_SHUFFLE_READ_BYTES]!;
    cells[at + SPILL_BYTES] = facts[fact + FACT_SPILL_BYTES]!;
    cells[at + GC_MS] = facts[fact + FACT_GC_MS]!;
    cells[at + THREAD_ID] = facts[fact + FACT_THREAD_ID]!;
    return true;
  }

  /** Sets an attempt's duration and end code; the offset of its row, or -1 when its start was not seen. */
  #endRow(taskId: number, durationMs: number, code: number): number {
    const row = this.#droppedSummary === null ? this.#rowOf(taskId) : undefined;
    if (row === undefined) return -1;
    const at = row * COLUMNS;
    this.#cells[at + DURATION_MS] = durationMs;
    this.#cells[at + REASON] = code;
    return at;
  }

  /** Records an attempt's end; false when its start was not seen (the event is then ignored). */
  end(event: TaskEndEvent): boolean {
    const code = END_CODES.get(event.reason);
    const at = this.#endRow(event.taskId, event.durationMs, code ?? 0);
    if (at < 0) return false;
    const row = at / COLUMNS;
    if (code === undefined) this.#otherReasons.set(row, event.reason);
    const cells = this.#cells;
    const m = event.metrics;
    if (m !== null) {
      cells[at + HAS_METRICS] = 1;
      cells[at + RECORDS_WRITTEN] = m.recordsWritten;
      cells[at + BYTES_READ] = m.bytesRead;
      cells[at + BYTES_WRITTEN] = m.bytesWritten;
      cells[at + EXECUTOR_MS] = m.executorMs;
      // Fields added in a minor revision of version 1: an older log lacks them.
      cells[at + SHUFFLE_READ_BYTES] = m.shuffleReadBytes ?? 0;
      cells[at + SPILL_BYTES] = m.spillBytes ?? 0;
      cells[at + GC_MS] = m.gcMs ?? 0;
      cells[at + THREAD_ID] = m.threadId ?? 0;
    }
    if (event.failure !== null) this.#failures.set(row, event.failure);
    return true;
  }

  /** Marks the attempt with an injected fault's kind; false when the task is unknown. */
  fault(taskId: number, fault: string): boolean {
    const row = this.#droppedSummary === null ? this.#rowOf(taskId) : undefined;
    if (row === undefined) return false;
    this.#faults.set(row, fault);
    return true;
  }

  /** The attempt of `taskId`, or undefined. */
  get(taskId: number): TaskRow | undefined {
    const row = this.#rowOf(taskId);
    return row === undefined ? undefined : this.#row(row);
  }

  #rowOf(taskId: number): number | undefined {
    const offset = taskId - this.#firstTaskId;
    if (this.#firstTaskId >= 0 && offset >= 0 && offset < this.#offsetsMax) {
      // An id in the indexed range is never in the map (`#setRowOf`): a new attempt's start does not look there.
      const row = offset < this.#rowByOffset.length ? this.#rowByOffset[offset]! : 0;
      return row !== 0 ? row - 1 : undefined;
    }
    return this.#rowOfOther.get(taskId);
  }

  #setRowOf(taskId: number, row: number): void {
    if (this.#firstTaskId < 0) this.#firstTaskId = taskId;
    const offset = taskId - this.#firstTaskId;
    if (offset < 0 || offset >= this.#offsetsMax) {
      this.#rowOfOther.set(taskId, row);
      return;
    }
    if (offset >= this.#rowByOffset.length) {
      const length = Math.min(this.#offsetsMax, Math.max(offset + 1, this.#rowByOffset.length * 2));
      this.#rowByOffset = grown(this.#rowByOffset, length);
    }
    this.#rowByOffset[offset] = row + 1;
  }

  /** Every attempt, in the order they started. */
  *values(): IterableIterator<TaskRow> {
    if (this.#droppedSummary !== null) return;
    for (let row = 0; row < this.#rows; row++) yield this.#row(row);
  }

  #row(row: number): TaskRow {
    const cells = this.#cells;
    const at = row * COLUMNS;
    const duration = cells[at + DURATION_MS]!;
    const reason = cells[at + REASON]!;
    return {
      taskId: cells[at + TASK_ID]!,
      partition: cells[at + PARTITION]!,
      attempt: cells[at + ATTEMPT]!,
      speculative: cells[at + SPECULATIVE] === 1,
      startMs: cells[at + START_MS]!,
      durationMs: Number.isNaN(duration) ? null : duration,
      reason: reason === 0 ? (this.#otherReasons.get(row) ?? null) : END_KINDS[reason - 1]!,
      metrics:
        cells[at + HAS_METRICS] === 1
          ? {
              recordsWritten: cells[at + RECORDS_WRITTEN]!,
              bytesRead: cells[at + BYTES_READ]!,
              bytesWritten: cells[at + BYTES_WRITTEN]!,
              executorMs: cells[at + EXECUTOR_MS]!,
              shuffleReadBytes: cells[at + SHUFFLE_READ_BYTES]!,
              spillBytes: cells[at + SPILL_BYTES]!,
              gcMs: cells[at + GC_MS]!,
              threadId: cells[at + THREAD_ID]!,
            }
          : null,
      failure: this.#failures.get(row) ?? null,
      fault: this.#faults.get(row) ?? null,
    };
  }
}
