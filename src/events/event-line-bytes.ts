import { EVENT_LOG_VERSION, type LoggedEvent, type TaskMetricsRecord } from './event-schema.js';
import { MICROSECOND_DECIMALS, num, wholeMicroseconds } from './event-line.js';
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

/**
 * Room a task line written by {@link writeTaskLine} may take, in bytes. Its fixed text is under 300 bytes and it
 * holds 17 numbers, none longer than the 24 characters of `String(-Number.MAX_VALUE)`, and a reason of at most 13.
 */
export const TASK_LINE_BYTES_MAX = 1024;

const encoder = new TextEncoder();
const bytesOf = (text: string): Uint8Array => encoder.encode(text);

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
/** Characters a number takes at most: `String(-Number.MAX_VALUE)`. */
const NUMBER_CHARS_MAX = 24;
/** `,"reason":"<kind>"` for each end reason this version knows; a line with any other is left to `eventLine`. */
const REASONS: ReadonlyMap<string, Uint8Array> = new Map(
  ['success', 'exception', 'worker-lost', 'out-of-memory', 'timed-out', 'fetch-failed', 'killed'].map((kind) => [
    kind,
    bytesOf(`,"reason":"${kind}"`),
  ]),
);
const MICROSECOND_DECIMAL_BYTES = MICROSECOND_DECIMALS.map(bytesOf);

const ZERO = 0x30;

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
  let reason: Uint8Array | undefined;
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
  reason: Uint8Array | null,
  hasMetrics: boolean,
): number {
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
interface StageHead {
  readonly kind: Uint8Array;
  jobId: number;
  stageId: number;
  readonly bytes: Uint8Array;
  length: number;
}
const newHead = (kind: Uint8Array): StageHead => ({
  kind,
  jobId: Number.NaN,
  stageId: Number.NaN,
  bytes: new Uint8Array(kind.length + STAGE_ID.length + TASK_ID.length + 2 * NUMBER_CHARS_MAX),
  length: 0,
});
const startHead = newHead(KIND_TASK_START);
const endHead = newHead(KIND_TASK_END);

function head(b: Uint8Array, at: number, h: StageHead, jobId: number, stageId: number): number {
  if (jobId !== h.jobId || stageId !== h.stageId) {
    const t = h.bytes;
    h.length = put(t, number(t, put(t, number(t, put(t, 0, h.kind), jobId), STAGE_ID), stageId), TASK_ID);
    h.jobId = jobId;
    h.stageId = stageId;
  }
  return copy(b, at, h.bytes, h.length);
}

function put(b: Uint8Array, at: number, fragment: Uint8Array): number {
  if (fragment.length < SET_BYTES_MIN) return copy(b, at, fragment, fragment.length);
  b.set(fragment, at);
  return at + fragment.length;
}

/** From this length on a fragment is copied with `set` (measured: a loop is faster below ~32 bytes, `set` above). */
const SET_BYTES_MIN = 32;

/** The first `length` bytes of `from` at `at`, byte by byte. */
function copy(b: Uint8Array, at: number, from: Uint8Array, length: number): number {
  for (let i = 0; i < length; i++) b[at++] = from[i]!;
  return at;
}

/** A number as `String` (null when not finite) writes it: digit by digit for whole numbers, else from its text. */
function number(b: Uint8Array, at: number, n: number): number {
  if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Math.floor(n) === n) return digits(b, at, n);
  return ascii(b, at, num(n));
}

/** A time in ms as `msText` writes it. */
function ms(b: Uint8Array, at: number, value: number): number {
  const us = wholeMicroseconds(value);
  if (us < 0) return ascii(b, at, num(value));
  const decimals = us % 1000;
  return put(b, digits(b, at, (us - decimals) / 1000), MICROSECOND_DECIMAL_BYTES[decimals]!);
}

/** "00" … "99" as bytes: whole numbers are written two digits at a time. */
const DIGIT_PAIRS = bytesOf(Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0')).join(''));
/** `,"timeMs":` and the last line's `timeMs`: the events of one millisecond share it. */
let lastTimeMs = Number.NaN;
const lastTime = new Uint8Array(TIME_MS.length + NUMBER_CHARS_MAX);
let lastTimeLength = 0;

/** `,"timeMs":` and its value as `number` writes it, copied from the last line's when it is the same millisecond. */
function time(b: Uint8Array, at: number, timeMs: number): number {
  if (timeMs !== lastTimeMs) {
    lastTimeLength = number(lastTime, put(lastTime, 0, TIME_MS), timeMs);
    lastTimeMs = timeMs;
  }
  return copy(b, at, lastTime, lastTimeLength);
}

/** A whole number from 0 to 2^53 − 1 in decimal (`-0` as `0`, as `String` writes it). */
function digits(b: Uint8Array, at: number, n: number): number {
  if (n < 2 ** 31) return int32Digits(b, at, n | 0);
  // Above 2^31 (a timestamp in ms, a byte count): the part above 10^9 is below 2^24, the rest takes 9 digits.
  const high = Math.floor(n / 1e9);
  at = int32Digits(b, at, high);
  let low = (n - high * 1e9) | 0;
  for (let i = at + 8; i >= at; i -= 2) {
    const rest = (low / 100) | 0;
    const pair = (low - rest * 100) * 2;
    b[i] = DIGIT_PAIRS[pair + 1]!;
    if (i > at) b[i - 1] = DIGIT_PAIRS[pair]!;
    low = rest;
  }
  return at + 9;
}

/** A whole number from 0 to 2^31 − 1, two digits at a time from the right (integer arithmetic only). */
function int32Digits(b: Uint8Array, at: number, n: number): number {
  let length = 1;
  for (let power = 10; length < 10 && n >= power; power *= 10) length++;
  let i = at + length;
  while (n >= 100) {
    const rest = (n / 100) | 0;
    const pair = (n - rest * 100) * 2;
    b[--i] = DIGIT_PAIRS[pair + 1]!;
    b[--i] = DIGIT_PAIRS[pair]!;
    n = rest;
  }
  if (n >= 10) {
    b[--i] = DIGIT_PAIRS[n * 2 + 1]!;
    b[--i] = DIGIT_PAIRS[n * 2]!;
  } else b[--i] = ZERO + n;
  return at + length;
}

/** Text known to be ASCII (a number's), one byte per character. */
function ascii(b: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[at++] = text.charCodeAt(i);
  return at;
}
