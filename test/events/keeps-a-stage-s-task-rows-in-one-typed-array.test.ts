// The UI's task rows live in one typed array per stage, found by task id: every attempt reads back exactly as its
// events said, whether its id is in the directly indexed range, before it, or far past it; the table grows past
// the tasks its stage announced; faults, failures and a reason of a later schema version are kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TaskEndEvent, TaskMetricsRecord, TaskStartEvent } from '../../src/events/event-schema.js';
import { TaskTable, type TaskRow } from '../../src/events/task-table.js';

const SEED = Number(process.env['SEED'] ?? 13);

/** A small deterministic generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function start(taskId: number, partition: number, timeMs: number): TaskStartEvent & { timeMs: number } {
  return {
    kind: 'task-start',
    jobId: 0,
    stageId: 0,
    taskId,
    partition,
    attempt: taskId % 3,
    speculative: taskId % 5 === 0,
    timeMs,
  };
}

test(`every attempt reads back as its events said (seed ${SEED})`, () => {
  const random = rng(SEED);
  const table = new TaskTable(10);
  const expected = new Map<number, TaskRow>();
  // Ids in order with gaps, one before the first, and some far past the indexed range (8 per expected row).
  const ids = [
    1000,
    1001,
    1003,
    999,
    1004,
    5000,
    1005,
    1_000_000,
    ...Array.from({ length: 40 }, (_, i) => 1010 + i * 2),
  ];
  ids.forEach((taskId, i) => {
    const timeMs = 1764617400000 + i;
    assert.equal(table.start(start(taskId, i, timeMs)), true);
    const { partition, attempt, speculative } = start(taskId, i, timeMs);
    expected.set(taskId, {
      taskId,
      partition,
      attempt,
      speculative,
      startMs: timeMs,
      durationMs: null,
      reason: null,
      metrics: null,
      failure: null,
      fault: null,
    });
  });
  assert.equal(table.start(start(1001, 0, 0)), false, 'a second start of one id is ignored');
  assert.equal(table.size, ids.length, 'the table grew past the 10 rows announced');
  for (const taskId of ids) {
    const durationMs = Math.round(random() * 1e6) / 1000;
    const ok = random() < 0.7;
    const metrics: TaskMetricsRecord = {
      recordsWritten: Math.floor(random() * 1000),
      bytesRead: Math.floor(random() * 1e9),
      bytesWritten: Math.floor(random() * 1e9),
      executorMs: durationMs / 2,
      shuffleReadBytes: Math.floor(random() * 1e6),
      spillBytes: random() < 0.5 ? 0 : 4096,
      gcMs: 0.5,
      threadId: 1 + (taskId % 2),
    };
    const failure = ok ? null : { name: 'Error', message: `<b>task ${taskId}</b>`, code: null, stack: null };
    const end: TaskEndEvent = {
      kind: 'task-end',
      jobId: 0,
      stageId: 0,
      taskId,
      partition: expected.get(taskId)!.partition,
      attempt: expected.get(taskId)!.attempt,
      speculative: expected.get(taskId)!.speculative,
      durationMs,
      reason: ok ? 'success' : 'exception',
      metrics: ok ? metrics : null,
      failure,
    };
    assert.equal(table.end(end), true);
    expected.set(taskId, { ...expected.get(taskId)!, durationMs, reason: end.reason, metrics: end.metrics, failure });
  }
  assert.equal(
    table.end({ ...start(7, 0, 0), kind: 'task-end', durationMs: 1, reason: 'success', metrics: null, failure: null }),
    false,
  );
  assert.equal(table.fault(5000, 'kill-worker'), true);
  expected.set(5000, { ...expected.get(5000)!, fault: 'kill-worker' });
  assert.equal(table.fault(6, 'kill-worker'), false, 'an unknown task');
  assert.deepEqual(
    [...table.values()],
    ids.map((id) => expected.get(id)),
  );
  for (const id of ids) assert.deepEqual(table.get(id), expected.get(id));
  assert.equal(table.get(1002), undefined, 'a hole in the range');
});

test('a reason from a later schema minor version is kept as it came', () => {
  const table = new TaskTable(1);
  table.start(start(3, 0, 1));
  const reason = 'preempted' as TaskEndEvent['reason'];
  table.end({ ...start(3, 0, 1), kind: 'task-end', durationMs: 2, reason, metrics: null, failure: null });
  assert.equal(table.get(3)!.reason, 'preempted');
});
