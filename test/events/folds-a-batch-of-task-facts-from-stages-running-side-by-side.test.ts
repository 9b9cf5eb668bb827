// Stages of one job (or of concurrent jobs) run side by side, so one batch of task facts mixes their rows. The
// fold (task-facts-fold.ts) keeps the last stage's lookup from row to row; this checks that it changes stage
// whenever a row does, against the same events applied as objects.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AppState } from '../../src/events/app-state.js';
import { EventBus } from '../../src/events/event-bus.js';

test('a batch that alternates between two stages leaves the UI state the events would', () => {
  const byFacts = new AppState();
  const byObjects = new AppState();
  const bus = new EventBus(() => 1_000);
  bus.subscribe(
    (e) => byFacts.apply(e),
    (facts) => byFacts.applyTaskFacts(facts),
  );
  bus.subscribe((e) => byObjects.apply(e));
  for (const stageId of [1, 2]) {
    bus.emit({
      kind: 'stage-submitted',
      jobId: 0,
      stageId,
      label: 'map',
      purpose: 'result',
      nodeId: stageId,
      tasks: 4,
      partitions: 4,
      writesShuffle: null,
      readsShuffles: [],
      chain: '[1] map',
    });
  }
  const counters = (bytesRead: number) => ({
    recordsWritten: 1,
    bytesRead,
    bytesWritten: 2,
    durationMs: 0.5,
    shuffleReadBytes: 0,
    spillBytes: 3,
    gcMs: 0,
    threadId: 1,
  });
  // Task ids interleave: 10, 20, 11, 21, ... all in one batch (no other event in between).
  for (let i = 0; i < 4; i++) {
    bus.taskStarted(0, 1, 10 + i, i, 0, false);
    bus.taskStarted(0, 2, 20 + i, i, 0, false);
  }
  for (let i = 0; i < 3; i++) {
    bus.taskSucceeded(0, 2, 20 + i, i, 0, false, 1, counters(200));
    bus.taskSucceeded(0, 1, 10 + i, i, 0, false, 1, counters(100));
  }
  bus.flushTaskFacts();
  for (const stageId of [1, 2]) {
    const facts = byFacts.stages.get(stageId)!;
    const objects = byObjects.stages.get(stageId)!;
    assert.deepEqual([...facts.tasks.values()], [...objects.tasks.values()], `stage ${stageId}'s rows`);
    assert.deepEqual(
      [facts.running, facts.succeeded, facts.totals],
      [objects.running, objects.succeeded, objects.totals],
      `stage ${stageId}'s counts and totals`,
    );
    assert.deepEqual([facts.running, facts.succeeded, facts.totals.bytesRead], [1, 3, 300 * stageId]);
  }
  assert.deepEqual([byFacts.version, byFacts.lastEventMs, byFacts.spillBytes], [byObjects.version, 1_000, 18]);
});
