import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskEndReason } from '../../src/protocol/task.js';
import type { ReduceSpec } from '../../src/protocol/pipeline.js';
import { DagScheduler } from '../../src/scheduler/dag-scheduler.js';
import { JobFailedError } from '../../src/common/errors.js';
import { PlanBuilder } from '../../src/plan/plan-builder.js';
import { ScriptedBackend, clock, noCache, schedulerOptions, succeed } from './fake-backend.js';
import { tagOf } from './fake-backend.js';

const reduceSpec: ReduceSpec = { aggregation: { kind: 'none' }, sortByKey: null };

function shuffleJob(mapPartitions: number, reducePartitions: number) {
  const plan = new PlanBuilder();
  const source = plan.source(
    'parallelize',
    'test',
    Array.from({ length: mapPartitions }, () => ({ kind: 'records', records: [] }) as const),
  );
  const node = plan.shuffled(source, 'groupByKey', plan.hashPartitioner(reducePartitions), reduceSpec, null);
  return {
    node,
    partitions: Array.from({ length: reducePartitions }, (_, i) => i),
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }) as const,
    onResult: () => {},
  };
}

test('a fetch failure recomputes only the lost map partition, then the reduce task resumes', async () => {
  let failedOnce = false;
  const backend = new ScriptedBackend((task) => {
    if (task.output.kind === 'partition-action' && task.partition === 1 && !failedOnce) {
      failedOnce = true;
      return { kind: 'fetch-failed', shuffleId: 0, mapPartition: 2, message: 'checksum mismatch' };
    }
    return succeed(task);
  });
  const metrics = await new DagScheduler(backend, noCache, schedulerOptions, clock).runJob(shuffleJob(4, 3));
  const mapRuns = backend.ran.filter((t) => t.output.kind === 'shuffle-write').map((t) => [t.partition, t.attempt]);
  // Four first attempts, then map partition 2 again, as its second attempt.
  assert.deepEqual(mapRuns, [
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 0],
    [2, 1],
  ]);
  assert.equal(metrics.failures['fetch-failed'], 1);
  assert.equal(metrics.recomputedPartitions, 1);
  assert.equal(metrics.tasksRetried, 1);
  // The rerun reduce task reads the recomputed output: a newer table, whose map partition 2 is the rerun's.
  const reduces = backend.ran.filter((t) => t.output.kind === 'partition-action' && t.partition === 1);
  const [failed, rerun] = [reduces.at(-2)!, reduces.at(-1)!];
  assert.ok(rerun.pipeline.kind === 'shuffle-read' && failed.pipeline.kind === 'shuffle-read');
  assert.ok(rerun.pipeline.version > failed.pipeline.version);
  const table = rerun.shuffleTables?.find((t) => t.version === (rerun.pipeline as { version: number }).version);
  assert.equal(tagOf(table?.outputs[2]), 's0m2');
  assert.notEqual(table?.outputs[2], failed.shuffleTables?.[0]?.outputs[2], 'not the output the failed task read');
});

test('a pool that cannot run tasks fails the job at once, without retries', async () => {
  const poolFailed: TaskEndReason = {
    kind: 'worker-lost',
    message: 'the worker pool cannot run tasks: x',
    poolFailed: true,
  };
  const backend = new ScriptedBackend(() => poolFailed);
  await assert.rejects(
    new DagScheduler(backend, noCache, schedulerOptions, clock).runJob(shuffleJob(1, 1)),
    (error: unknown) =>
      error instanceof JobFailedError && /job failed: the worker pool cannot run tasks: x/.test(error.message),
  );
  assert.equal(backend.ran.length, 1);
});
