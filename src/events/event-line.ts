import type { FailureInfo, LoggedEvent, TaskMetricsRecord } from './event-schema.js';

/**
 * One event as a line of the log: its JSON and a newline. Task starts and ends, which a job of n tasks logs n
 * times each, are written by hand from their fields: on a job of 10,000 empty tasks the generic `JSON.stringify`
 * of them was most of the log's cost on the driver. Every other kind goes through `JSON.stringify`. Both give the
 * same JSON value (test/events/writes-task-lines-as-json-stringify-would.test.ts), envelope fields first.
 *
 * @example
 * eventLine(event) // '{"v":1,"seq":7,"timeMs":1764617400123,"kind":"task-start","jobId":0,…}\n'
 */
export function eventLine(e: LoggedEvent): string {
  switch (e.kind) {
    case 'task-start':
      return `{"v":${e.v},"seq":${e.seq},"timeMs":${num(e.timeMs)},"kind":"task-start","jobId":${e.jobId},"stageId":${e.stageId},"taskId":${e.taskId},"partition":${e.partition},"attempt":${e.attempt},"speculative":${e.speculative}}\n`;
    case 'task-end':
      return `{"v":${e.v},"seq":${e.seq},"timeMs":${num(e.timeMs)},"kind":"task-end","jobId":${e.jobId},"stageId":${e.stageId},"taskId":${e.taskId},"partition":${e.partition},"attempt":${e.attempt},"speculative":${e.speculative},"durationMs":${num(e.durationMs)},"reason":"${e.reason}","metrics":${metricsJson(e.metrics)},"failure":${failureJson(e.failure)}}\n`;
    default:
      return `${JSON.stringify(e)}\n`;
  }
}

/** A number as JSON writes it: non-finite numbers become null. */
function num(n: number): string {
  return Number.isFinite(n) ? String(n) : 'null';
}

function metricsJson(m: TaskMetricsRecord | null): string {
  if (m === null) return 'null';
  return `{"recordsWritten":${num(m.recordsWritten)},"bytesRead":${num(m.bytesRead)},"bytesWritten":${num(m.bytesWritten)},"executorMs":${num(m.executorMs)},"shuffleReadBytes":${num(m.shuffleReadBytes)},"spillBytes":${num(m.spillBytes)},"gcMs":${num(m.gcMs)},"threadId":${num(m.threadId)}${m.operatorRows === undefined ? '' : `,"operatorRows":${JSON.stringify(m.operatorRows)}`}}`;
}

function failureJson(f: FailureInfo | null): string {
  if (f === null) return 'null';
  return JSON.stringify(f);
}
