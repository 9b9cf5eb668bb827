import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MapOutputMissingError, MapOutputTracker } from '../../src/scheduler/map-output-tracker.js';
import { RoundsWithoutProgress } from '../../src/scheduler/rounds-without-progress.js';
import { fakeBlock } from './fake-backend.js';

const blocks = (tag: string) => [fakeBlock(`${tag}/0`), fakeBlock(`${tag}/1`)];

test('the first committed map output wins, but a whole output replaces one that lost a block', () => {
  const tracker = new MapOutputTracker();
  tracker.register(0, 2);
  assert.equal(tracker.commit(0, 0, blocks('a')), true);
  assert.equal(tracker.commit(0, 0, blocks('b')), false, 'a later attempt of a whole output is dropped');
  tracker.dropBlock(0, 0, 1);
  assert.deepEqual(tracker.missing(0), [0, 1]);
  assert.deepEqual(tracker.notRun(0), [1]);
  assert.equal(tracker.commit(0, 0, blocks('c')), true, 'the rerun of the holed map partition fills the hole');
  assert.deepEqual(tracker.missing(0), [1]);
});

test('completeBlocksFor names the first hole in any reduce partition; blocksFor only looks at its own', () => {
  const tracker = new MapOutputTracker();
  tracker.register(0, 2);
  tracker.commit(0, 0, blocks('a'));
  tracker.commit(0, 1, blocks('b'));
  tracker.dropBlock(0, 1, 1);
  assert.equal(tracker.blocksFor(0, 0).length, 2, 'reduce partition 0 lost nothing');
  assert.throws(
    () => tracker.completeBlocksFor(0, 0),
    (error: unknown) =>
      error instanceof MapOutputMissingError && error.mapPartition === 1 && error.reducePartition === 1,
  );
  tracker.commit(0, 1, blocks('c'));
  assert.equal(tracker.completeBlocksFor(0, 0).length, 2);
});

test('a recovery loop stops after rounds in a row that leave no less to do than the best round before', () => {
  const rounds = new RoundsWithoutProgress(2, 3);
  rounds.record(2); // progress
  rounds.record(3); // a fault undid work
  assert.equal(rounds.exhausted, false);
  rounds.record(1); // progress again: the count restarts
  assert.equal(rounds.stalledRounds, 0);
  rounds.record(1);
  rounds.record(2);
  assert.equal(rounds.exhausted, true);
  assert.equal(rounds.stalledRounds, 2);
});
