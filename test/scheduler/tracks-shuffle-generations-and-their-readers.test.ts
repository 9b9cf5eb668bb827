import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '../../src/index.js';
import { indeterminateShuffles, ShuffleGenerations } from '../../src/scheduler/shuffle-generations.js';

test('a shuffle is consumed while a reader runs or after one succeeded, not after readers that failed', () => {
  const generations = new ShuffleGenerations();
  assert.equal(generations.isConsumed(0), false);
  const failed = generations.attemptStarted(1, [0]);
  assert.equal(generations.isConsumed(0), true);
  generations.attemptEnded(1, failed, false);
  assert.equal(generations.isConsumed(0), false);
  const succeeded = generations.attemptStarted(2, [0]);
  generations.attemptEnded(2, succeeded, true);
  assert.equal(generations.isConsumed(0), true);
});

test('discarding a shuffle starts a new generation of it and of every shuffle computed from it', () => {
  const generations = new ShuffleGenerations();
  generations.link(0, 1); // shuffle 1's map stage reads shuffle 0
  generations.link(1, 2);
  generations.link(5, 6);
  const readsOf1 = generations.attemptStarted(7, [1]);
  const readsOf6 = generations.attemptStarted(8, [6]);
  assert.deepEqual(generations.discard(0), [1, 2]);
  assert.equal(generations.isCurrent(readsOf1), false, 'a result read from shuffle 1 mixes runs');
  assert.equal(generations.isCurrent(readsOf6), true, 'an unrelated shuffle is untouched');
  assert.equal(generations.isConsumed(0), false, 'the new generation has no readers yet');
  assert.deepEqual(
    [0, 1, 2, 6].map((id) => generations.generationOf(id)),
    [1, 1, 1, 0],
  );
});

test('repartition, unseeded sample and { deterministic: false } make their shuffles indeterminate', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const pairs = kc.range(0, 10, 1, 2).map((x) => [x % 3, x] as [number, number]);
    assert.deepEqual(indeterminateShuffles(pairs.reduceByKey((a, b) => a + b).node), []);
    assert.equal(indeterminateShuffles(pairs.repartition(3).node).length, 1);
    assert.equal(indeterminateShuffles(pairs.sample(false, 0.5).groupByKey(2).node).length, 1);
    assert.deepEqual(indeterminateShuffles(pairs.sample(false, 0.5, 7).groupByKey(2).node), []);
    const shifted = pairs.map(([k, v]) => [k + Math.random(), v] as [number, number], {}, { deterministic: false });
    assert.equal(indeterminateShuffles(shifted.groupByKey(2).node).length, 1);
  } finally {
    await kc.stop();
  }
});
