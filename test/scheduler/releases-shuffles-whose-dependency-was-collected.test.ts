// The ContextCleaner's wiring, deterministically: the registry is a stand-in the test triggers as the garbage
// collector would (the real FinalizationRegistry is exercised in test/api/releases-shuffle-outputs.test.ts, in a
// child process run with --expose-gc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReduceSpec } from '../../src/protocol/pipeline.js';
import type { MapOutputRef } from '../../src/protocol/map-output.js';
import { ContextCleaner, type CleanupRegistryFactory } from '../../src/scheduler/context-cleaner.js';
import { DagScheduler } from '../../src/scheduler/dag-scheduler.js';
import { PlanBuilder } from '../../src/plan/plan-builder.js';
import type { ShuffledNode } from '../../src/plan/plan-node.js';
import { ScriptedBackend, clock, noCache, schedulerOptions, succeed, tagOf } from './fake-backend.js';

const reduceSpec: ReduceSpec = { aggregation: { kind: 'none' }, sortByKey: null };

/** A registry that records what is registered and lets the test play the collector. */
function manualRegistry(): { factory: CleanupRegistryFactory; targets: [object, number][]; collect(id: number): void } {
  const targets: [object, number][] = [];
  let collected: (shuffleId: number) => void = () => {};
  return {
    targets,
    factory: (callback) => {
      collected = callback;
      return { register: (target, shuffleId) => targets.push([target, shuffleId]) };
    },
    collect: (id) => collected(id),
  };
}

function shuffleJob(plan: PlanBuilder, mapPartitions: number) {
  const source = plan.source(
    'parallelize',
    'test',
    Array.from({ length: mapPartitions }, () => ({ kind: 'records', records: [] }) as const),
  );
  const node: ShuffledNode = plan.shuffled(source, 'groupByKey', plan.hashPartitioner(2), reduceSpec, null);
  return {
    node,
    partitions: [0, 1],
    output: () => ({ kind: 'partition-action', action: { kind: 'count' } }) as const,
    onResult: () => {},
  };
}

test('the cleaner registers each shuffle dependency once and releases it once, after it was collected', () => {
  const registry = manualRegistry();
  const released: number[] = [];
  const cleaner = new ContextCleaner((id) => released.push(id), registry.factory);
  const plan = new PlanBuilder();
  const { node } = shuffleJob(plan, 2);
  cleaner.registerShuffle(node.dependency);
  cleaner.registerShuffle(node.dependency);
  assert.deepEqual(registry.targets, [[node.dependency, node.dependency.shuffleId]], 'the dependency itself, once');
  assert.equal(cleaner.isRegistered(node.dependency.shuffleId), true);
  registry.collect(node.dependency.shuffleId);
  registry.collect(node.dependency.shuffleId);
  assert.deepEqual(released, [node.dependency.shuffleId]);
  assert.equal(cleaner.releasedShuffles, 1);
  // A stopped Context releases nothing more (its outputs went with it).
  const other = shuffleJob(plan, 1).node.dependency;
  cleaner.registerShuffle(other);
  cleaner.stop();
  registry.collect(other.shuffleId);
  assert.deepEqual(released, [node.dependency.shuffleId]);
});

test('the scheduler registers every shuffle it runs, and releasing one forgets its outputs and hands them over', async () => {
  const backend = new ScriptedBackend((task) => succeed(task));
  const scheduler = new DagScheduler(backend, noCache, schedulerOptions, clock);
  const handedOver: MapOutputRef[][] = [];
  scheduler.onOutputsReleased = (outputs) => handedOver.push([...outputs]);
  const plan = new PlanBuilder();
  const kept = shuffleJob(plan, 3);
  const dropped = shuffleJob(plan, 2);
  await scheduler.runJob(kept);
  await scheduler.runJob(dropped);
  const [keptId, droppedId] = [kept.node.dependency.shuffleId, dropped.node.dependency.shuffleId];
  assert.equal(scheduler.cleaner.isRegistered(keptId), true);
  assert.equal(scheduler.cleaner.isRegistered(droppedId), true);
  assert.equal(scheduler.tracker.shuffleCount(), 2);

  assert.equal(scheduler.releaseShuffle(droppedId), true);
  assert.deepEqual(
    handedOver.map((outputs) => outputs.map(tagOf)),
    [[`s${droppedId}m0`, `s${droppedId}m1`]],
  );
  assert.equal(scheduler.tracker.isRegistered(droppedId), false);
  assert.equal(scheduler.tracker.shuffleCount(), 1);
  // The backend hears of it too, so worker threads forget the shuffle's map output table.
  assert.deepEqual(backend.released, [droppedId]);

  // The shuffle still referenced is reused: a second job over it runs no map task.
  const mapTasksBefore = backend.ran.filter((t) => t.output.kind === 'shuffle-write').length;
  await scheduler.runJob(kept);
  assert.equal(backend.ran.filter((t) => t.output.kind === 'shuffle-write').length, mapTasksBefore);
});
