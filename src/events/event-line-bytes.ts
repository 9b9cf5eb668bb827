import { EVENT_LOG_VERSION, type LoggedEvent, type TaskMetricsRecord } from './event-schema.js';
import {
  bytesOf,
  isPlainNumber,
  newPiece,
  NUMBER_CHARS_MAX,
  number,
  ms,
  put,
  putBytes,
  setPiece,
  type Fragment,
  type Piece,
} from './json-bytes.js';
import {
  FACT_ATTEMPT,
  FACT_BYTES_READ,
  FACT_BYTES_WRITTEN,
  FACT_COLUMNS,
  FACT_DURATION_MS,
  FACT_END,
  FACT_EXECUTOR_MS,
  FACT_GC_MS,
  FACT_JOB_ID,
  FACT_KIND,
  FACT_PARTITION,
  FACT_RECORDS_WRITTEN,
  FACT_SEQ,
  FACT_SHUFFLE_READ_BYTES,
  FACT_SPECULATIVE,
  FACT_SPILL_BYTES,
  FACT_STAGE_ID,
  FACT_TASK_ID,
  FACT_THREAD_ID,
  FACT_TIME_MS,
} from './task-facts.js';
import { TaskLineTemplates } from './task-line-template.js';

/**
 * Room a task line written by {@link writeTaskLine} may take, in bytes. Its fixed text is under 300 bytes and it
 * holds 17 numbers, none longer than the 24 characters of `String(-Number.MAX_VALUE)`, and a reason of at most 13.
 */
export const TASK_LINE_BYTES_MAX = 1024;

const START_PREFIX = bytesOf('{"v":');
const PREFIX_SEQ = bytesOf(`{"v":${EVENT_LOG_VERSION},"seq":`);
const SEQ = bytesOf(',"seq":');
const TIME_MS = bytesOf(',"timeMs":');
const KIND_TASK_START = bytesOf(',"kind":"task-start","jobId":');
const KIND_TASK_END = bytesOf(',"kind":"task-end","jobId":');
const STAGE_ID = bytesOf(',"stageId":');
const TASK_ID = bytesOf(',"taskId":');
const PARTITION = bytesOf(',"partition":');
const ATTEMPT = bytesOf(',"attempt":');
const SPECULATIVE_TRUE = bytesOf(',"speculative":true');
const SPECULATIVE_FALSE = bytesOf(',"speculative":false');
const START_END = bytesOf('}\n');
const DURATION_MS = bytesOf(',"durationMs":');
const RECORDS_WRITTEN = bytesOf(',"metrics":{"recordsWritten":');
const BYTES_READ = bytesOf(',"bytesRead":');
const BYTES_WRITTEN = bytesOf(',"bytesWritten":');
const EXECUTOR_MS = bytesOf(',"executorMs":');
const SHUFFLE_READ_BYTES = bytesOf(',"shuffleReadBytes":');
const SPILL_BYTES = bytesOf(',"spillBytes":');
const GC_MS = bytesOf(',"gcMs":');
const THREAD_ID = bytesOf(',"threadId":');
const METRICS_NULL_FAILURE_NULL_END = bytesOf(',"metrics":null,"failure":null}\n');
const METRICS_FAILURE_NULL_END = bytesOf('},"failure":null}\n');
const PLAIN_START_END = bytesOf(',"attempt":0,"speculative":false}\n');
const PLAIN_DURATION_MS = bytesOf(',"attempt":0,"speculative":false,"durationMs":');
const SUCCESS_RECORDS_WRITTEN = bytesOf(',"reason":"success","metrics":{"recordsWritten":');
/** `,"reason":"<kind>"` for each end reason this version knows; a line with any other is left to `eventLine`. */
const REASONS: ReadonlyMap<string, Fragment> = new Map(
  ['success', 'exception', 'worker-lost', 'out-of-memory', 'timed-out', 'fetch-failed', 'killed'].map((kind) => [
    kind,
    bytesOf(`,"reason":"${kind}"`),
  ]),
);
/**
 * Writes a task start or end straight into `bytes` at `at` as the same characters `eventLine` gives it, and
 * returns where the line ends; returns -1, writing nothing that counts, for any other event and for the lines it
 * leaves to `eventLine` (a failure, per-operator rows, an end reason it does not know). The caller leaves
 * {@link TASK_LINE_BYTES_MAX} bytes of room at `at`.
 *
 * Why bytes: a job of n tasks logs 2n of these lines. As strings each was built from ~20 pieces, flattened and
 * encoded, all garbage a moment later; written here they allocate nothing (test/events/writes-task-lines-as-bytes…).
 *
 * @example
 * const end = writeTaskLine(buffer, used, event);
 * if (end < 0) used += buffer.write(eventLine(event), used); else used = end;
 */
export function writeTaskLine(bytes: Uint8Array, at: number, e: LoggedEvent): number {
  if (e.kind !== 'task-start' && e.kind !== 'task-end') return -1;
  const cells = SCRATCH;
  let reason: Fragment | undefined;
  let m: TaskMetricsRecord | null = null;
  if (e.kind === 'task-end') {
    reason = REASONS.get(e.reason);
    m = e.metrics;
    if (e.failure !== null || reason === undefined || (m !== null && m.operatorRows !== undefined)) return -1;
    cells[FACT_DURATION_MS] = e.durationMs;
    if (m !== null) {
      cells[FACT_RECORDS_WRITTEN] = m.recordsWritten;
      cells[FACT_BYTES_READ] = m.bytesRead;
      cells[FACT_BYTES_WRITTEN] = m.bytesWritten;
      cells[FACT_EXECUTOR_MS] = m.executorMs;
      cells[FACT_SHUFFLE_READ_BYTES] = m.shuffleReadBytes;
      cells[FACT_SPILL_BYTES] = m.spillBytes;
      cells[FACT_GC_MS] = m.gcMs;
      cells[FACT_THREAD_ID] = m.threadId;
    }
  }
  cells[FACT_SEQ] = e.seq;
  cells[FACT_TIME_MS] = e.timeMs;
  cells[FACT_JOB_ID] = e.jobId;
  cells[FACT_STAGE_ID] = e.stageId;
  cells[FACT_TASK_ID] = e.taskId;
  cells[FACT_PARTITION] = e.partition;
  cells[FACT_ATTEMPT] = e.attempt;
  cells[FACT_SPECULATIVE] = e.speculative ? 1 : 0;
  return writeRow(bytes, at, e.v, cells, 0, reason ?? null, m !== null);
}

/** One event's numbers, for {@link writeTaskLine}: one formatter serves event objects and task facts. */
const SCRATCH = new Float64Array(FACT_COLUMNS);
const REASON_SUCCESS = REASONS.get('success')!;

/**
 * Writes the task fact at offset `row` of `cells` (task-facts.ts) into `bytes` at `at` as the characters
 * `eventLine` gives the event it stands for (`taskFactEvent`), and returns where the line ends. The caller leaves
 * {@link TASK_LINE_BYTES_MAX} bytes of room at `at`.
 */
export function writeTaskFact(bytes: Uint8Array, at: number, cells: Float64Array, row: number): number {
  const end = cells[row + FACT_KIND] === FACT_END;
  return writeRow(bytes, at, EVENT_LOG_VERSION, cells, row, end ? REASON_SUCCESS : null, end);
}

/** A start when `reason` is null, else an end with the metrics of the row when `hasMetrics` (else null). */
function writeRow(
  b: Uint8Array,
  at: number,
  v: number,
  cells: Float64Array,
  row: number,
  reason: Fragment | null,
  hasMetrics: boolean,
): number {
  // A first, non-speculative attempt's start or plain success (nearly every line): from templates.
  if (v === EVENT_LOG_VERSION && cells[row + FACT_ATTEMPT] === 0 && cells[row + FACT_SPECULATIVE] !== 1) {
    const end =
      reason === null
        ? START_LINE.write(b, at, cells, row)
        : reason === REASON_SUCCESS && hasMetrics && plainCounters(cells, row)
          ? plainEnd(b, at, cells, row)
          : -1;
    if (end >= 0) return end;
  }
  at = v === EVENT_LOG_VERSION ? put(b, at, PREFIX_SEQ) : put(b, number(b, put(b, at, START_PREFIX), v), SEQ);
  at = number(b, at, cells[row + FACT_SEQ]!);
  at = time(b, at, cells[row + FACT_TIME_MS]!);
  at = head(b, at, reason === null ? startHead : endHead, cells[row + FACT_JOB_ID]!, cells[row + FACT_STAGE_ID]!);
  at = number(b, at, cells[row + FACT_TASK_ID]!);
  at = number(b, put(b, at, PARTITION), cells[row + FACT_PARTITION]!);
  const attempt = cells[row + FACT_ATTEMPT]!;
  const speculative = cells[row + FACT_SPECULATIVE] === 1;
  // Nearly every line is a first, non-speculative attempt: its fixed text goes in one piece.
  const plain = attempt === 0 && !speculative;
  if (reason === null) {
    if (plain) return put(b, at, PLAIN_START_END);
    at = number(b, put(b, at, ATTEMPT), attempt);
    return put(b, put(b, at, speculative ? SPECULATIVE_TRUE : SPECULATIVE_FALSE), START_END);
  }
  if (plain) at = put(b, at, PLAIN_DURATION_MS);
  else {
    at = number(b, put(b, at, ATTEMPT), attempt);
    at = put(b, put(b, at, speculative ? SPECULATIVE_TRUE : SPECULATIVE_FALSE), DURATION_MS);
  }
  at = ms(b, at, cells[row + FACT_DURATION_MS]!);
  if (!hasMetrics) return put(b, put(b, at, reason), METRICS_NULL_FAILURE_NULL_END);
  at = reason === REASON_SUCCESS ? put(b, at, SUCCESS_RECORDS_WRITTEN) : put(b, put(b, at, reason), RECORDS_WRITTEN);
  return put(b, metrics(b, at, cells, row), METRICS_FAILURE_NULL_END);
}

/**
 * Whether the row's optional counters are all 0 (left out of its line) and the ones before `executorMs` plain whole
 * numbers (as {@link END_COUNTERS} takes them).
 */
function plainCounters(cells: Float64Array, row: number): boolean {
  return (
    cells[row + FACT_SHUFFLE_READ_BYTES] === 0 &&
    cells[row + FACT_SPILL_BYTES] === 0 &&
    cells[row + FACT_GC_MS] === 0 &&
    isPlainNumber(cells[row + FACT_RECORDS_WRITTEN]!) &&
    isPlainNumber(cells[row + FACT_BYTES_READ]!) &&
    isPlainNumber(cells[row + FACT_BYTES_WRITTEN]!)
  );
}

/**
 * A plain success: its head and its first counters from templates (task-line-template.ts), its two times and its
 * thread id written here (a time's decimals change width from line to line: in a template they would split it into
 * many shapes). -1, with nothing written, when the head's numbers are not plain.
 */
function plainEnd(b: Uint8Array, at: number, cells: Float64Array, row: number): number {
  at = END_HEAD.write(b, at, cells, row);
  if (at < 0) return -1;
  at = END_COUNTERS.write(b, ms(b, at, cells[row + FACT_DURATION_MS]!), cells, row);
  at = put(b, ms(b, at, cells[row + FACT_EXECUTOR_MS]!), THREAD_ID);
  return put(b, number(b, at, cells[row + FACT_THREAD_ID]!), METRICS_FAILURE_NULL_END);
}

/** A plain start's line, a plain end's up to its `durationMs` value, and its counters up to `executorMs`'s. */
const START_LINE = new TaskLineTemplates(
  [PREFIX_SEQ, TIME_MS, KIND_TASK_START, STAGE_ID, TASK_ID, PARTITION, PLAIN_START_END],
  [FACT_SEQ, FACT_TIME_MS, FACT_JOB_ID, FACT_STAGE_ID, FACT_TASK_ID, FACT_PARTITION],
);
const END_HEAD = new TaskLineTemplates(
  [PREFIX_SEQ, TIME_MS, KIND_TASK_END, STAGE_ID, TASK_ID, PARTITION, PLAIN_DURATION_MS],
  [FACT_SEQ, FACT_TIME_MS, FACT_JOB_ID, FACT_STAGE_ID, FACT_TASK_ID, FACT_PARTITION],
);
const END_COUNTERS = new TaskLineTemplates(
  [SUCCESS_RECORDS_WRITTEN, BYTES_READ, BYTES_WRITTEN, EXECUTOR_MS],
  [FACT_RECORDS_WRITTEN, FACT_BYTES_READ, FACT_BYTES_WRITTEN],
);

/** The metrics object from its first counter's value on, leaving out the counters that are 0 as `eventLine` does. */
function metrics(b: Uint8Array, at: number, cells: Float64Array, row: number): number {
  at = number(b, at, cells[row + FACT_RECORDS_WRITTEN]!);
  at = number(b, put(b, at, BYTES_READ), cells[row + FACT_BYTES_READ]!);
  at = number(b, put(b, at, BYTES_WRITTEN), cells[row + FACT_BYTES_WRITTEN]!);
  at = ms(b, put(b, at, EXECUTOR_MS), cells[row + FACT_EXECUTOR_MS]!);
  const shuffleReadBytes = cells[row + FACT_SHUFFLE_READ_BYTES]!;
  if (shuffleReadBytes !== 0) at = number(b, put(b, at, SHUFFLE_READ_BYTES), shuffleReadBytes);
  const spillBytes = cells[row + FACT_SPILL_BYTES]!;
  if (spillBytes !== 0) at = number(b, put(b, at, SPILL_BYTES), spillBytes);
  const gcMs = cells[row + FACT_GC_MS]!;
  if (gcMs !== 0) at = ms(b, put(b, at, GC_MS), gcMs);
  return number(b, put(b, at, THREAD_ID), cells[row + FACT_THREAD_ID]!);
}

/**
 * The text a task line has between `timeMs`'s value and `taskId`'s, the same for every line of one kind in one
 * stage: `,"kind":"task-end","jobId":3,"stageId":7,"taskId":`. Written once per stage (and kind) and copied into
 * each line whole, in place of three fragments and two numbers.
 */
interface StageHead extends Piece {
  readonly kind: Fragment;
  jobId: number;
  stageId: number;
}
const newHead = (kind: Fragment): StageHead => ({
  kind,
  jobId: Number.NaN,
  stageId: Number.NaN,
  ...newPiece(kind.length + STAGE_ID.length + TASK_ID.length + 2 * NUMBER_CHARS_MAX),
});
const startHead = newHead(KIND_TASK_START);
const endHead = newHead(KIND_TASK_END);

function head(b: Uint8Array, at: number, h: StageHead, jobId: number, stageId: number): number {
  if (jobId !== h.jobId || stageId !== h.stageId) {
    const t = h.bytes;
    const length = putBytes(
      t,
      number(t, putBytes(t, number(t, putBytes(t, 0, h.kind), jobId), STAGE_ID), stageId),
      TASK_ID,
    );
    setPiece(h, length);
    h.jobId = jobId;
    h.stageId = stageId;
  }
  return put(b, at, h);
}

/** `,"timeMs":` and the last line's `timeMs`: the events of one millisecond share it. */
let lastTimeMs = Number.NaN;
const lastTime = newPiece(TIME_MS.length + NUMBER_CHARS_MAX);

/** `,"timeMs":` and its value as `number` writes it, copied from the last line's when it is the same millisecond. */
function time(b: Uint8Array, at: number, timeMs: number): number {
  if (timeMs !== lastTimeMs) {
    setPiece(lastTime, number(lastTime.bytes, putBytes(lastTime.bytes, 0, TIME_MS), timeMs));
    lastTimeMs = timeMs;
  }
  return put(b, at, lastTime);
}
