import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { Context, PlanError } from '../../src/index.js';
import { sharedCounters, sorted } from '../api/helpers.js';
import { temporaryDirectory } from './checkpoint-fixtures.js';

/**
 * A lazy checkpoint is written by the tasks of the next action from the partitions they compute anyway (the
 * upstream function runs once per record); afterwards lineage is truncated: explain shows the checkpoint, later
 * jobs and retries after a downstream failure read the files, and a reduceByKey on the checkpoint's hash
 * partitioner needs no shuffle.
 */

const RECORDS = 200;

for (const threads of [0, 2]) {
  describe(`a lazy checkpoint reuses the action's partitions (threads: ${threads})`, () => {
    const dir = temporaryDirectory('ckpt-lazy');
    let kc: Context;
    before(() => {
      kc = new Context({ threads, checkpointDir: dir() });
    });
    after(() => kc.stop());

    test('the upstream function runs once per record for the action and the checkpoint together', async () => {
      const calls = sharedCounters();
      const squares = kc.range(0, RECORDS, 1, 4).map(
        (x) => {
          Atomics.add(calls, 0, 1);
          return x * x;
        },
        { calls },
      );
      squares.checkpoint();
      assert.equal(await squares.count(), RECORDS);
      assert.equal(calls[0], RECORDS, 'one computation: the count and the checkpoint shared it');
      assert.ok(squares.isCheckpointed());
      assert.equal(await squares.reduce((a, b) => a + b), ((RECORDS - 1) * RECORDS * (2 * RECORDS - 1)) / 6);
      assert.equal(calls[0], RECORDS, 'later jobs read the files');
    });

    test('an action that reaches only some partitions is followed by a job writing the rest', async () => {
      const rdd = kc.range(0, RECORDS, 1, 5).map((x) => x + 1);
      rdd.checkpoint();
      assert.deepEqual(await rdd.take(3), [1, 2, 3]);
      assert.ok(rdd.isCheckpointed());
      const files = readdirSync(rdd.getCheckpointFile()!).sort();
      assert.deepEqual(files, ['_manifest.json', ...[0, 1, 2, 3, 4].map((p) => `part-0000${p}.arrow`)]);
      assert.equal(await rdd.count(), RECORDS);
    });

    test('explain shows the checkpoint as the source once written', async () => {
      const counts = kc
        .parallelize(['a', 'b', 'a', 'c'], 2)
        .map((w) => [w, 1] as const)
        .reduceByKey((a, b) => a + b);
      counts.checkpoint();
      assert.match(counts.explain(), /reliable checkpoint pending/);
      assert.match(counts.explain(), /shuffle 0/);
      await counts.collect();
      const text = counts.explain();
      assert.match(text, /\[\d+\] reduceByKey \(2 partitions, hash\(2\), reliable checkpoint\)/);
      assert.match(text, /\+- checkpoint: .*rdd-\d+-[0-9a-f]+ \(2 part files\)/);
      assert.doesNotMatch(text, /shuffle/);
      assert.doesNotMatch(text, /parallelize/);
    });

    test('a downstream task failure recomputes from the files, not from the lineage', async () => {
      const upstream = sharedCounters();
      const failures = sharedCounters();
      const base = kc.range(0, RECORDS, 1, 4).map(
        (x) => {
          Atomics.add(upstream, 0, 1);
          return x;
        },
        { upstream },
      );
      await base.checkpoint({ eager: true });
      assert.equal(upstream[0], RECORDS);
      const doubled = base.map(
        (x) => {
          if (x === 7 && Atomics.add(failures, 0, 1) === 0) throw new Error('injected downstream failure');
          return x * 2;
        },
        { failures },
      );
      assert.equal(await doubled.reduce((a, b) => a + b), RECORDS * (RECORDS - 1));
      assert.equal(failures[0], 2, 'the failing task ran twice');
      assert.equal(kc.lastJobMetrics?.failures.exception, 1);
      assert.equal(upstream[0], RECORDS, 'the retry read the checkpoint files');
    });

    test('reduceByKey on a checkpoint with the same hash partitioner runs without a shuffle', async () => {
      const pairs = kc
        .range(0, RECORDS, 1, 3)
        .map((x) => [x % 10, 1] as const)
        .partitionBy(3);
      await pairs.checkpoint({ eager: true });
      const opened = kc.readCheckpoint<readonly [number, number]>(pairs.getCheckpointFile()!);
      assert.equal(opened.getNumPartitions(), 3);
      const counts = opened.reduceByKey((a, b) => a + b);
      assert.doesNotMatch(counts.explain(), /shuffle/);
      assert.deepEqual(
        sorted(await counts.collect()),
        Array.from({ length: 10 }, (_, k) => [k, RECORDS / 10]),
      );
      assert.equal(kc.lastJobMetrics?.stagesRun, 1);
      const regrouped = opened.reduceByKey((a, b) => a + b, 4);
      assert.match(regrouped.explain(), /shuffle/, 'another partition count still shuffles');
      assert.deepEqual(
        sorted(await regrouped.collect()),
        Array.from({ length: 10 }, (_, k) => [k, RECORDS / 10]),
      );
    });
  });
}

describe('checkpoint options', () => {
  test('checkpoint() without a checkpointDir is a PlanError that names the option', async () => {
    const kc = new Context({ threads: 0 });
    try {
      assert.throws(
        () => kc.range(0, 3).checkpoint(),
        (error: unknown) => {
          assert.ok(error instanceof PlanError);
          assert.match(error.message, /checkpointDir/);
          return true;
        },
      );
    } finally {
      await kc.stop();
    }
  });
});
