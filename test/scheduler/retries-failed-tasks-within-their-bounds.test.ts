import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskEndReason } from '../../src/protocol/task.js';
import { DagScheduler } from '../../src/scheduler/dag-scheduler.js';
import { JobFailedError, TaskError } from '../../src/common/errors.js';
import { PlanBuilder } from '../../src/plan/plan-builder.js';
import { ScriptedBackend, clock, noCache, schedulerOptions, succeed } from './fake-backend.js';

function singleStage(partitions: number) {
  const plan = new PlanBuilder();
  return plan.source(
    'parallelize',
    'test',
    Array.from({ length: partitions }, () => ({ kind: 'records', records: [] }) as const),
  );
}

const userError: TaskEndReason = {
  kind: 'exception',
  name: 'TypeError',
  message: 'map() threw TypeError: boom',
  stack: 'TypeError: boom\n    at userFunction (eval)',
  code: undefined,
  userCode: true,
};

const countJob = (node: ReturnType<typeof singleStage>) => ({
  node,
  partitions: Array.from({ length: node.numPartitions }, (_, i) => i),
  output: () => ({ kind: 'partition-action', action: { kind: 'count' } }) as const,
  onResult: () => {},
});

test('a task that throws twice then succeeds is retried and the job succeeds', async () => {
  const backend = new ScriptedBackend((task, previous) =>
    task.partition === 1 && previous < 2 ? userError : succeed(task),
  );
  const metrics = await new DagScheduler(backend, noCache, schedulerOptions, clock).runJob(countJob(singleStage(3)));
  assert.equal(metrics.failures.exception, 2);
  assert.equal(metrics.taskAttempts, 5);
  assert.deepEqual(
    backend.ran.filter((t) => t.partition === 1).map((t) => t.attempt),
    [0, 1, 2],
  );
});

test('a task that always throws fails the job after taskAttemptsMax attempts, naming stage, partition and cause', async () => {
  const backend = new ScriptedBackend((task) => (task.partition === 2 ? userError : succeed(task)));
  const scheduler = new DagScheduler(backend, noCache, { ...schedulerOptions, taskAttemptsMax: 3 }, clock);
  await assert.rejects(scheduler.runJob(countJob(singleStage(3))), (error: unknown) => {
    assert.ok(error instanceof JobFailedError);
    assert.equal(error.code, 'ERR_JOB_FAILED');
    assert.match(error.message, /stage \d+ \(parallelize\), partition 2 failed 3 times/);
    assert.match(error.message, /map\(\) threw TypeError: boom/);
    assert.ok(error.cause instanceof TaskError);
    assert.match(String(error.cause.stack), /at userFunction/);
    return true;
  });
  assert.equal(backend.ran.filter((t) => t.partition === 2).length, 3);
});

test('a dead worker is retried without counting against taskAttemptsMax, within its own bound', async () => {
  const lost: TaskEndReason = { kind: 'worker-lost', message: 'worker exited with code 1' };
  const backend = new ScriptedBackend((task, previous) => (previous < 3 ? lost : succeed(task)));
  const scheduler = new DagScheduler(backend, noCache, { ...schedulerOptions, taskAttemptsMax: 1 }, clock);
  const metrics = await scheduler.runJob(countJob(singleStage(1)));
  assert.equal(metrics.failures['worker-lost'], 3);

  const alwaysLost = new ScriptedBackend(() => lost);
  await assert.rejects(
    new DagScheduler(alwaysLost, noCache, schedulerOptions, clock).runJob(countJob(singleStage(1))),
    /failed 8 times; last failure: the worker thread died: worker exited with code 1/,
  );
});

test('bad input fails at once, as the input error it is, without retries', async () => {
  const badInput: TaskEndReason = {
    kind: 'exception',
    name: 'InputError',
    message: 'cannot open /nope.txt: no such file',
    stack: undefined,
    code: 'ERR_INPUT_NOT_FOUND',
    userCode: false,
  };
  const backend = new ScriptedBackend(() => badInput);
  await assert.rejects(
    new DagScheduler(backend, noCache, schedulerOptions, clock).runJob(countJob(singleStage(1))),
    (error: unknown) => (error as { code?: string }).code === 'ERR_INPUT_NOT_FOUND',
  );
  assert.equal(backend.ran.length, 1);
});
