import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DagScheduler } from '../../src/scheduler/dag-scheduler.js';
import { PlanBuilder } from '../../src/plan/plan-builder.js';
import { ScriptedBackend, clock, noCache, schedulerOptions, succeed } from './fake-backend.js';
import { tagOf } from './fake-backend.js';

const reduceSpec = { aggregation: { kind: 'none' }, sortByKey: null } as const;

function twoShufflePlan() {
  const plan = new PlanBuilder();
  const source = plan.source('parallelize', 'test', [
    { kind: 'records', records: [] },
    { kind: 'records', records: [] },
    { kind: 'records', records: [] },
  ]);
  const first = plan.shuffled(source, 'partitionBy', plan.hashPartitioner(2), reduceSpec, null);
  const second = plan.shuffled(first, 'groupByKey', plan.hashPartitioner(4), reduceSpec, null);
  return { source, first, second };
}

test('runs the map stages of both shuffles, parents first, then the result stage', async () => {
  const { second } = twoShufflePlan();
  const backend = new ScriptedBackend(succeed);
  const scheduler = new DagScheduler(backend, noCache, schedulerOptions, clock);
  const results: unknown[] = [];
  const metrics = await scheduler.runJob({
    node: second,
    partitions: [0, 1, 2, 3],
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }),
    onResult: (partition, value) => results.push([partition, value.kind]),
  });
  const kinds = backend.ran.map((t) => `${t.output.kind}:${t.pipeline.kind}`);
  assert.deepEqual(kinds.slice(0, 3), ['shuffle-write:source', 'shuffle-write:source', 'shuffle-write:source']);
  assert.deepEqual(kinds.slice(3, 5), ['shuffle-write:shuffle-read', 'shuffle-write:shuffle-read']);
  assert.deepEqual(kinds.slice(5), Array(4).fill('partition-action:shuffle-read'));
  assert.equal(metrics.stagesRun, 3);
  assert.equal(metrics.taskAttempts, 9);
  assert.equal(results.length, 4);
});

test('reuses shuffle outputs in a later job: only the result stage runs again', async () => {
  const { second } = twoShufflePlan();
  const backend = new ScriptedBackend(succeed);
  const scheduler = new DagScheduler(backend, noCache, schedulerOptions, clock);
  const job = {
    node: second,
    partitions: [0, 1, 2, 3],
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }) as const,
    onResult: () => {},
  };
  await scheduler.runJob(job);
  const before = backend.ran.length;
  const metrics = await scheduler.runJob(job);
  assert.equal(backend.ran.length - before, 4);
  assert.equal(metrics.stagesRun, 1);
});

test('a shuffle two concurrent jobs need runs its map tasks once', async () => {
  const { first } = twoShufflePlan();
  const backend = new ScriptedBackend(succeed);
  const scheduler = new DagScheduler(backend, noCache, schedulerOptions, clock);
  const job = {
    node: first,
    partitions: [0, 1],
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }) as const,
    onResult: () => {},
  };
  await Promise.all([scheduler.runJob(job), scheduler.runJob(job)]);
  const mapTasks = backend.ran.filter((t) => t.output.kind === 'shuffle-write');
  assert.equal(mapTasks.length, 3);
});

test('the reduce task names its partition and a table of every map output, in map order, not the outputs', async () => {
  const { first } = twoShufflePlan();
  const backend = new ScriptedBackend(succeed);
  const scheduler = new DagScheduler(backend, noCache, schedulerOptions, clock);
  await scheduler.runJob({
    node: first,
    partitions: [1],
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }),
    onResult: () => {},
  });
  const reduceTask = backend.ran.find((t) => t.output.kind === 'partition-action');
  assert.ok(reduceTask !== undefined && reduceTask.pipeline.kind === 'shuffle-read');
  assert.equal(reduceTask.pipeline.reducePartition, 1);
  const table = reduceTask.shuffleTables?.[0];
  assert.equal(table?.version, reduceTask.pipeline.version);
  assert.deepEqual(table?.outputs.map(tagOf), ['s0m0', 's0m1', 's0m2']);
});
