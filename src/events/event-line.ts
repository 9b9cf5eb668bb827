import type { FailureInfo, LoggedEvent, TaskMetricsRecord } from './event-schema.js';

/**
 * One event as a line of the log: its JSON and a newline. Task starts and ends, which a job of n tasks logs n
 * times each, are written by hand from their fields: on a job of 10,000 empty tasks the generic `JSON.stringify`
 * of them was most of the log's cost on the driver. Every other kind goes through `JSON.stringify`. Both give the
 * same JSON value, envelope fields first, except that a task's `shuffleReadBytes`, `spillBytes` and `gcMs` are left
 * out when they are 0 (most tasks): readers take an absent counter as 0, as they do for logs written before these
 * fields existed (test/events/writes-task-lines-as-json-stringify-would.test.ts). The log writer puts most task
 * lines into its buffer as bytes instead (event-line-bytes.ts, the same characters); this serves the rest.
 *
 * @example
 * eventLine(event) // '{"v":1,"seq":7,"timeMs":1764617400123,"kind":"task-start","jobId":0,…}\n'
 */
export function eventLine(e: LoggedEvent): string {
  switch (e.kind) {
    case 'task-start':
      return `{"v":${num(e.v)},"seq":${num(e.seq)},"timeMs":${timeText(e.timeMs)},"kind":"task-start","jobId":${num(e.jobId)},"stageId":${num(e.stageId)},"taskId":${num(e.taskId)},"partition":${num(e.partition)},"attempt":${num(e.attempt)},"speculative":${e.speculative}}\n`;
    case 'task-end':
      return `{"v":${num(e.v)},"seq":${num(e.seq)},"timeMs":${timeText(e.timeMs)},"kind":"task-end","jobId":${num(e.jobId)},"stageId":${num(e.stageId)},"taskId":${num(e.taskId)},"partition":${num(e.partition)},"attempt":${num(e.attempt)},"speculative":${e.speculative},"durationMs":${msText(e.durationMs)},"reason":"${e.reason}","metrics":${metricsJson(e.metrics)},"failure":${failureJson(e.failure)}}\n`;
    default:
      return `${JSON.stringify(e)}\n`;
  }
}

/** A number as JSON writes it: non-finite numbers become null. */
export function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

let lastTimeMs = Number.NaN;
let lastTimeText = 'null';

/**
 * `timeMs` as text. Its 13 digits are a double's, ~0.15 µs to print, and the events of one millisecond share it
 * (tens of them on a job of tiny tasks): the last one is kept.
 */
function timeText(ms: number): string {
  if (ms !== lastTimeMs) {
    lastTimeMs = ms;
    lastTimeText = num(ms);
  }
  return lastTimeText;
}

/** `.001` … `.999` without trailing zeros, and '' for a whole number: the decimals of a time in whole µs. */
export const MICROSECOND_DECIMALS = Array.from({ length: 1000 }, (_, i) =>
  i === 0 ? '' : `.${String(i).padStart(3, '0').replace(/0+$/, '')}`,
);
/** Below this many µs (about 18 minutes) the whole part is a small integer, which prints fast. */
const MICROSECONDS_FAST_MAX = 2 ** 30;

/**
 * A time in ms as JSON writes it (`String`, null when not finite). Task times are rounded to whole µs
 * (scheduler/scheduler-events.ts): for those the text is the whole part and a table's decimals, the same characters as
 * `String` (the shortest text that reads back as the same double has at most 3 decimals) at a tenth of the cost of
 * printing a fractional double.
 */
export function msText(ms: number): string {
  const us = wholeMicroseconds(ms);
  if (us < 0) return num(ms);
  const decimals = us % 1000;
  return `${(us - decimals) / 1000}${MICROSECOND_DECIMALS[decimals]!}`;
}

/**
 * `ms` in µs when it is a whole, non-negative number of them small enough to print as an integer and a table's
 * decimals ({@link MICROSECOND_DECIMALS}); -1 when it must be printed as any double.
 */
export function wholeMicroseconds(ms: number): number {
  const us = Math.round(ms * 1000);
  return us >= 0 && us < MICROSECONDS_FAST_MAX && us / 1000 === ms ? us : -1;
}

function metricsJson(m: TaskMetricsRecord | null): string {
  if (m === null) return 'null';
  return `{"recordsWritten":${num(m.recordsWritten)},"bytesRead":${num(m.bytesRead)},"bytesWritten":${num(m.bytesWritten)},"executorMs":${msText(m.executorMs)}${m.shuffleReadBytes === 0 ? '' : `,"shuffleReadBytes":${num(m.shuffleReadBytes)}`}${m.spillBytes === 0 ? '' : `,"spillBytes":${num(m.spillBytes)}`}${m.gcMs === 0 ? '' : `,"gcMs":${msText(m.gcMs)}`},"threadId":${num(m.threadId)}${m.operatorRows === undefined ? '' : `,"operatorRows":${JSON.stringify(m.operatorRows)}`}}`;
}

function failureJson(f: FailureInfo | null): string {
  if (f === null) return 'null';
  return JSON.stringify(f);
}
