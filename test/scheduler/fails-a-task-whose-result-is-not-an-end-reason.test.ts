import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskEndReason } from '../../src/protocol/task.js';
import { DagScheduler } from '../../src/scheduler/dag-scheduler.js';
import { JobFailedError, TaskError } from '../../src/common/errors.js';
import { PlanBuilder } from '../../src/plan/plan-builder.js';
import { ScriptedBackend, clock, noCache, schedulerOptions, succeed } from './fake-backend.js';

// A worker of a broken or stale build can hand back anything (seen: `undefined`). The driver must not crash on it:
// the attempt fails like a task that threw, is retried, and the job fails with an error saying where and what.

function countJob(partitions: number) {
  const node = new PlanBuilder().source(
    'parallelize',
    'test',
    Array.from({ length: partitions }, () => ({ kind: 'records', records: [] }) as const),
  );
  return {
    node,
    partitions: Array.from({ length: partitions }, (_, i) => i),
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }) as const,
    onResult: () => {},
  };
}

const found = (value: unknown) => value as TaskEndReason;

test('a task whose worker returns undefined fails the job after its retries, naming task, stage, partition, expected and found', async () => {
  const backend = new ScriptedBackend((task) => (task.partition === 1 ? found(undefined) : succeed(task)));
  const scheduler = new DagScheduler(backend, noCache, { ...schedulerOptions, taskAttemptsMax: 2 }, clock);
  await assert.rejects(scheduler.runJob(countJob(2)), (error: unknown) => {
    assert.ok(error instanceof JobFailedError);
    assert.equal(error.code, 'ERR_JOB_FAILED');
    assert.match(error.message, /stage \d+ \(parallelize\), partition 1 failed 2 times/);
    assert.match(error.message, /task \d+ \(stage \d+, partition 1, attempt 1\) ended without a valid end reason/);
    assert.match(error.message, /expected an object whose kind is one of success, exception, .*found undefined/);
    assert.ok(error.cause instanceof TaskError);
    assert.equal((error.cause as { code?: unknown }).code, 'ERR_TASK_RESULT_INVALID');
    return true;
  });
  assert.equal(backend.ran.filter((t) => t.partition === 1).length, 2);
});

test('a success without its value, or an unknown kind, fails the attempt the same way and is retried', async () => {
  const malformed = [{ kind: 'success', cached: [], metrics: {} }, { kind: 'done' }, null, 42];
  const backend = new ScriptedBackend((task, previous) =>
    previous < malformed.length ? found(malformed[previous]) : succeed(task),
  );
  const scheduler = new DagScheduler(backend, noCache, { ...schedulerOptions, taskAttemptsMax: 5 }, clock);
  const metrics = await scheduler.runJob(countJob(1));
  assert.equal(metrics.failures.exception, malformed.length);
  assert.equal(metrics.tasksSucceeded, 1);
});
