// Task starts and ends are written by hand from their fields (the log's hot path); every such line must be the
// JSON value JSON.stringify gives, for failures with quotes, newlines, markup and non-ASCII text, and non-finite
// numbers must become null as JSON.stringify makes them.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { eventLine } from '../../src/events/event-line.js';
import type { LoggedEvent } from '../../src/events/event-schema.js';

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

function sameAsJson(event: LoggedEvent): void {
  const line = eventLine(event);
  assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'), 'one line');
  assert.deepEqual(JSON.parse(line), JSON.parse(JSON.stringify(event)));
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
