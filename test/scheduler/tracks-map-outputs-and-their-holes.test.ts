import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MapOutputMissingError, MapOutputTracker } from '../../src/scheduler/map-output-tracker.js';
import { RoundsWithoutProgress } from '../../src/scheduler/rounds-without-progress.js';
import { fakeOutput, tagOf } from './fake-backend.js';

const blocks = (tag: string) => fakeOutput(tag);

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

test('completeTableFor names the first hole in any reduce partition; tableFor only looks at its own', () => {
  const tracker = new MapOutputTracker();
  tracker.register(0, 2);
  tracker.commit(0, 0, blocks('a'));
  tracker.commit(0, 1, blocks('b'));
  tracker.dropBlock(0, 1, 1);
  assert.equal(tracker.tableFor(0, 0).outputs.length, 2, 'reduce partition 0 lost nothing');
  assert.throws(() => tracker.tableFor(0, 1), MapOutputMissingError);
  assert.throws(
    () => tracker.completeTableFor(0, 0),
    (error: unknown) =>
      error instanceof MapOutputMissingError && error.mapPartition === 1 && error.reducePartition === 1,
  );
  tracker.commit(0, 1, blocks('c'));
  assert.deepEqual(tracker.completeTableFor(0, 0).outputs.map(tagOf), ['a', 'c']);
});

test('a table is built once per change of its shuffle: same version until an output changes', () => {
  const tracker = new MapOutputTracker();
  tracker.register(0, 2);
  tracker.commit(0, 0, blocks('a'));
  tracker.commit(0, 1, blocks('b'));
  const first = tracker.tableFor(0, 0);
  assert.equal(tracker.tableFor(0, 1), first, 'every reduce partition reads the same table');
  tracker.dropBlock(0, 1, 1);
  assert.equal(tracker.tableFor(0, 0), first, 'a lost block changes no output: same table for the others');
  tracker.commit(0, 1, blocks('c'));
  const second = tracker.tableFor(0, 1);
  assert.ok(second.version > first.version);
  assert.deepEqual(second.outputs.map(tagOf), ['a', 'c']);
  assert.equal(tracker.markLostIfSeen(0, 1, { output: first.outputs[1]! }), false, 'b was replaced: c stays');
  assert.equal(tracker.markLostIfSeen(0, 1, { output: second.outputs[1]! }), true);
  assert.deepEqual(tracker.missing(0), [1]);
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
