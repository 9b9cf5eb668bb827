// Task starts and ends are written by hand from their fields (the log's hot path); every such line must be the
// JSON value JSON.stringify gives, for failures with quotes, newlines, markup and non-ASCII text, except that the
// counters a reader takes as 0 when absent are left out when they are 0; non-finite numbers must become null as
// JSON.stringify makes them, and times in whole µs must print as String prints them.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';

import { eventLine, msText } from '../../src/events/event-line.js';
import { EventLogWriter } from '../../src/events/event-log-writer.js';
import { readEventLogs } from '../../src/events/event-log-reader.js';
import { TASK_COUNTERS_OMITTED_WHEN_ZERO, type LoggedEvent } from '../../src/events/event-schema.js';
import { makeTempDir } from '../support/temp-dir.js';

const envelope = { v: 1, seq: 41, timeMs: 1764617400123 } as const;
const where = { jobId: 3, stageId: 7, taskId: 1234, partition: 12, attempt: 2 } as const;
const metrics = {
  recordsWritten: 10,
  bytesRead: 2048,
  bytesWritten: 512,
  executorMs: 1.234,
  shuffleReadBytes: 1024,
  spillBytes: 0,
  gcMs: 0.5,
  threadId: 4,
};

/** The line parsed, with the counters left out put back as 0, as a reader does. */
function parsedAsRead(line: string): unknown {
  const value = JSON.parse(line) as { metrics?: Record<string, unknown> | null };
  if (value.metrics !== undefined && value.metrics !== null) {
    for (const field of TASK_COUNTERS_OMITTED_WHEN_ZERO) value.metrics[field] ??= 0;
  }
  return value;
}

function sameAsJson(event: LoggedEvent): void {
  const line = eventLine(event);
  assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line');
  assert.deepEqual(parsedAsRead(line), JSON.parse(JSON.stringify(event)));
}

test('task starts and successful task ends are the JSON of their fields', () => {
  sameAsJson({ ...envelope, kind: 'task-start', ...where, speculative: true });
  sameAsJson({
    ...envelope,
    kind: 'task-end',
    ...where,
    speculative: false,
    durationMs: 3.5,
    reason: 'success',
    metrics,
    failure: null,
  });
});

test('counters that are 0 are left out of the line, and the reader hands them back as 0', () => {
  const dir = makeTempDir('eventlog');
  try {
    const quiet = { ...metrics, shuffleReadBytes: 0, spillBytes: 0, gcMs: 0 };
    const end = {
      ...envelope,
      kind: 'task-end',
      ...where,
      speculative: false,
      durationMs: 0.25,
      reason: 'success',
      metrics: quiet,
      failure: null,
    } as const;
    const line = eventLine(end);
    for (const field of TASK_COUNTERS_OMITTED_WHEN_ZERO) assert.ok(!line.includes(`"${field}"`), `${field} left out`);
    assert.match(line, /"bytesRead":2048,"bytesWritten":512,"executorMs":1.234,"threadId":4/);
    assert.ok(eventLine({ ...end, metrics }).includes('"shuffleReadBytes":1024'), 'a counter that is not 0 stays');
    const writer = new EventLogWriter({ dir, fileBytesMax: 1 << 20, flushIntervalMs: 60_000 }, 'zeros');
    writer.append(end);
    writer.close();
    assert.deepEqual(readEventLogs(dir)[0]!.events, [end]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('times in whole microseconds print as String prints them', () => {
  for (let us = 0; us < 200_000; us++) assert.equal(msText(us / 1000), String(us / 1000));
  for (const ms of [1073741.823, 1073741.824, 123456789.001, 3.5, 1e-7, 0.0005, -0.25, -0, 1e21]) {
    assert.equal(msText(ms), String(ms));
  }
  assert.equal(msText(Number.NaN), 'null');
});

test('failed task ends keep hostile and non-ASCII messages exact', () => {
  sameAsJson({
    ...envelope,
    kind: 'task-end',
    ...where,
    speculative: false,
    durationMs: 0.001,
    reason: 'exception',
    metrics: null,
    failure: {
      name: 'Error',
      message: 'map threw Error: "quoted" \\ back\nslash </script><img src=x> ünïcødé 🔥 \u2028',
      code: null,
      stack: 'Error: x\n    at f (file:///a "b".js:1:2)',
    },
  });
});

test('non-finite numbers become null, as JSON.stringify writes them', () => {
  const line = eventLine({
    ...envelope,
    kind: 'task-end',
    ...where,
    speculative: false,
    durationMs: Number.NaN,
    reason: 'success',
    metrics: { ...metrics, gcMs: Number.POSITIVE_INFINITY },
    failure: null,
  });
  const parsed = JSON.parse(line) as { durationMs: unknown; metrics: { gcMs: unknown } };
  assert.equal(parsed.durationMs, null);
  assert.equal(parsed.metrics.gcMs, null);
});

test('other kinds go through JSON.stringify', () => {
  const event: LoggedEvent = { ...envelope, kind: 'app-end', appId: '<b>"app"</b>' };
  assert.equal(eventLine(event), `${JSON.stringify(event)}\n`);
});
