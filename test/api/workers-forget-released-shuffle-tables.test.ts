// Issue 11: every thread that ran a reduce task keeps the shuffle's map output table (and so its map outputs' shared
// memory) for later tasks. When the driver releases the shuffle (here with unpersist({ shuffleOutputs: true }); the
// ContextCleaner's release takes the same path), every thread forgets that table before its next task, and keeps
// the tables of the shuffles still referenced. Tasks look at their own thread's tables through the executor module,
// which a worker loads once, so `require` of it gives the instance the thread runs with (Node >= 20.19).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BACKENDS } from './helpers.js';
import { probeEveryThread } from './thread-probe.js';
import { Context, type LoggedEvent, type RDD } from '../../src/index.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';

const SHUFFLE_INPUT_URL = new URL('../../src/executor/shuffle/shuffle-input.js', import.meta.url).href;

/** The shuffles whose tables each thread holds while running a task of `rdd` (one result per partition). */
function heldTablesPerTask<T>(rdd: RDD<T>, parties: number, gate: Int32Array, slot: number): Promise<number[][]> {
  return probeEveryThread<number[], T>(rdd, parties, gate, slot, SHUFFLE_INPUT_URL, 'heldShuffleTables');
}

for (const backend of BACKENDS) {
  test(
    `${backend.name}: a released shuffle's map output table is gone on every thread, a referenced one's stays`,
    { skip: !loadsOnDemand },
    async () => {
      const kc = new Context({ threads: backend.threads });
      const parties = Math.max(1, backend.threads);
      const gate = new Int32Array(new SharedArrayBuffer(4 * 8));
      const shuffles: number[] = [];
      kc.onEvent((event: LoggedEvent) => {
        if (event.kind === 'stage-submitted' && event.writesShuffle !== null) shuffles.push(event.writesShuffle);
      });
      try {
        const sums = kc
          .range(0, 10_000, 1, 4)
          .map((x: number): [number, number] => [x % 100, 1])
          .reduceByKey((a: number, b: number) => a + b, parties);
        const groups = kc
          .range(0, 1000, 1, 3)
          .map((x: number): [number, number] => [x % 7, x])
          .groupByKey(parties);
        const afterSums = await heldTablesPerTask(sums, parties, gate, 0);
        const afterBoth = await heldTablesPerTask(groups, parties, gate, 1);
        const [sumsShuffle, groupsShuffle] = shuffles;
        assert.equal(shuffles.length, 2, `one map stage each: ${shuffles}`);
        assert.equal(afterSums.length, parties);
        for (const held of afterSums) assert.ok(held.includes(sumsShuffle!), `a reduce task's thread: ${held}`);
        for (const held of afterBoth) assert.deepEqual(held.toSorted(), [sumsShuffle!, groupsShuffle!].toSorted());

        sums.unpersist({ shuffleOutputs: true });
        const afterRelease = await heldTablesPerTask(kc.range(0, parties, 1, parties), parties, gate, 2);
        assert.equal(afterRelease.length, parties);
        for (const held of afterRelease) assert.deepEqual(held, [groupsShuffle], 'each thread forgot only sums');

        // The released shuffle is recomputed from lineage when read again, and its new table is kept.
        assert.equal(await sums.values().sum(), 10_000);
        const afterRecompute = await heldTablesPerTask(sums, parties, gate, 3);
        for (const held of afterRecompute) assert.ok(held.includes(sumsShuffle!), `${held}`);
      } finally {
        Atomics.store(gate, 0, parties);
        await kc.stop();
      }
    },
  );
}
