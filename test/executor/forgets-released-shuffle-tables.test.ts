// Issue 11: a worker thread keeps the map output tables of the shuffles it read, and a table keeps its map outputs'
// shared memory alive. Every task carries the driver's latest releases; the thread forgets each released shuffle's
// table once, keeps the others, and a shuffle discarded and then recomputed keeps its new table.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ReleasedShuffleLog, RELEASES_KEPT } from '../../src/backend/released-shuffles.js';
import type { MapOutputTable } from '../../src/protocol/map-output.js';
import type { PipelineNode } from '../../src/protocol/pipeline.js';
import {
  fetchShuffleTables,
  forgetReleasedShuffles,
  forgetShuffleTables,
  heldShuffleTables,
} from '../../src/executor/shuffle/shuffle-input.js';

function readOf(shuffleId: number, version: number): PipelineNode {
  return { kind: 'shuffle-read', shuffleId, version, reducePartition: 0 } as unknown as PipelineNode;
}

/** Fetches the tables `reads` name, counting the fetches (a table the thread holds at that version is not fetched). */
async function read(reads: [shuffleId: number, version: number][]): Promise<number> {
  let fetched = 0;
  for (const [shuffleId, version] of reads) {
    await fetchShuffleTables(readOf(shuffleId, version), async (id, v) => {
      fetched++;
      return { shuffleId: id, version: v, outputs: [] } as unknown as MapOutputTable;
    });
  }
  return fetched;
}

test('the log numbers releases in order and keeps the latest RELEASES_KEPT', () => {
  const log = new ReleasedShuffleLog();
  assert.equal(log.latest(), undefined);
  log.add(7);
  log.add(3);
  assert.deepEqual(log.latest(), { first: 0, ids: [7, 3] });
  for (let id = 100; id < 100 + RELEASES_KEPT; id++) log.add(id);
  const latest = log.latest()!;
  assert.equal(latest.ids.length, RELEASES_KEPT);
  assert.equal(latest.first, 2);
  assert.equal(latest.ids[0], 100);
  assert.equal(latest.ids.at(-1), 100 + RELEASES_KEPT - 1);
});

test('a thread forgets each released shuffle once and keeps the tables of the others', async () => {
  forgetShuffleTables();
  const log = new ReleasedShuffleLog();
  assert.equal(
    await read([
      [1, 0],
      [2, 0],
      [3, 0],
    ]),
    3,
  );
  assert.deepEqual(heldShuffleTables(), [1, 2, 3]);

  log.add(2);
  forgetReleasedShuffles(log.latest());
  assert.deepEqual(heldShuffleTables(), [1, 3]);
  assert.equal(
    await read([
      [1, 0],
      [3, 0],
    ]),
    0,
    'the kept tables are not fetched again',
  );

  // Shuffle 3 is discarded, then recomputed at version 1: the new table stays although later tasks still carry the
  // release of 3 (each release is applied once per thread).
  log.add(3);
  forgetReleasedShuffles(log.latest());
  assert.deepEqual(heldShuffleTables(), [1]);
  assert.equal(await read([[3, 1]]), 1);
  forgetReleasedShuffles(log.latest());
  forgetReleasedShuffles(log.latest());
  assert.deepEqual(heldShuffleTables(), [1, 3]);
  assert.equal(await read([[3, 1]]), 0);

  // A task with no releases (none yet, on a Context of its own) changes nothing.
  forgetReleasedShuffles(undefined);
  assert.deepEqual(heldShuffleTables(), [1, 3]);
  forgetShuffleTables([1]);
  assert.deepEqual(heldShuffleTables(), [3]);
  forgetShuffleTables();
  assert.deepEqual(heldShuffleTables(), []);
});
