import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTITION_COUNTS, onEveryBackend, sharedCounters, sorted } from './helpers.js';

/**
 * persist/cache: a later action reads the cached partitions instead of running the upstream functions again. The
 * upstream function counts its calls in shared memory (`calls`), visible from either backend, so a recomputation
 * cannot go unnoticed.
 */

const RECORDS = 40;

onEveryBackend('persist reuses cached partitions', (on) => {
  for (const n of PARTITION_COUNTS) {
    test(`without persist, every action runs the function again (${n} partitions)`, async () => {
      const calls = sharedCounters();
      const doubled = on
        .kc()
        .range(0, RECORDS, 1, n)
        .map(
          (x) => {
            Atomics.add(calls, 0, 1);
            return x * 2;
          },
          { calls },
        );
      assert.equal(await doubled.count(), RECORDS);
      assert.equal(await doubled.reduce((a, b) => a + b), RECORDS * (RECORDS - 1));
      assert.equal(calls[0], 2 * RECORDS, 'the control: two actions, two computations');
    });

    test(`with cache, the second and third actions reuse the partitions (${n} partitions)`, async () => {
      const kc = on.kc();
      const calls = sharedCounters();
      const doubled = kc
        .range(0, RECORDS, 1, n)
        .map(
          (x) => {
            Atomics.add(calls, 0, 1);
            return x * 2;
          },
          { calls },
        )
        .cache();
      assert.equal(await doubled.count(), RECORDS);
      assert.equal(calls[0], RECORDS);
      assert.deepEqual(
        await doubled.collect(),
        Array.from({ length: RECORDS }, (_, i) => i * 2),
      );
      assert.equal(await doubled.filter((x) => x % 4 === 0).count(), RECORDS / 2);
      assert.equal(calls[0], RECORDS, 'the cached partitions were read, the function did not run again');
      assert.equal(kc.lastJobMetrics?.stagesRun, 1);
      assert.equal(kc.lastJobMetrics?.taskAttempts, n);
    });

    test(`a cached dataset feeds two different shuffles without recomputing (${n} partitions)`, async () => {
      const calls = sharedCounters();
      const pairs = on
        .kc()
        .range(0, RECORDS, 1, n)
        .map(
          (x): [number, number] => {
            Atomics.add(calls, 0, 1);
            return [x % 3, x];
          },
          { calls },
        )
        .persist();
      const sums = await pairs.reduceByKey((a, b) => a + b, 2).collect();
      const groups = await pairs
        .groupByKey(3)
        .mapValues((vs) => vs.length)
        .collect();
      assert.deepEqual(sorted(sums), [
        [0, 273],
        [1, 247],
        [2, 260],
      ]);
      assert.deepEqual(sorted(groups), [
        [0, 14],
        [1, 13],
        [2, 13],
      ]);
      assert.equal(calls[0], RECORDS);
    });

    test(`unpersist drops the cache, so the next action recomputes (${n} partitions)`, async () => {
      const calls = sharedCounters();
      const rdd = on
        .kc()
        .range(0, RECORDS, 1, n)
        .map(
          (x) => {
            Atomics.add(calls, 0, 1);
            return x;
          },
          { calls },
        )
        .cache();
      assert.equal(await rdd.count(), RECORDS);
      assert.equal(await rdd.count(), RECORDS);
      assert.equal(calls[0], RECORDS);
      rdd.unpersist();
      assert.equal(await rdd.count(), RECORDS);
      assert.equal(calls[0], 2 * RECORDS);
    });

    test(`partitions cached by a take are reused by a later action (${n} partitions)`, async () => {
      const calls = sharedCounters();
      const rdd = on
        .kc()
        .range(0, RECORDS, 1, n)
        .map(
          (x) => {
            Atomics.add(calls, 0, 1);
            return x;
          },
          { calls },
        )
        .cache();
      assert.deepEqual(await rdd.take(1), [0]);
      assert.equal(await rdd.count(), RECORDS);
      assert.equal(await rdd.count(), RECORDS);
      assert.equal(calls[0], RECORDS, 'each record computed once, whether by the take or by the count');
    });
  }

  test('explain marks a persisted dataset', () => {
    const rdd = on
      .kc()
      .range(0, 10)
      .map((x) => x + 1);
    assert.doesNotMatch(rdd.explain(), /persisted/);
    rdd.persist();
    assert.match(rdd.explain(), /\] map \(2 partitions, persisted\)/);
  });
});

onEveryBackend(
  'persist under a tiny memory budget still gives right results',
  (on) => {
    test('evicted partitions are recomputed from lineage', async () => {
      const calls = sharedCounters();
      const rdd = on
        .kc()
        .range(0, 2000, 1, 4)
        .map(
          (x) => {
            Atomics.add(calls, 0, 1);
            return `record ${x}`;
          },
          { calls },
        )
        .cache();
      assert.equal(await rdd.count(), 2000);
      assert.equal(await rdd.count(), 2000);
      assert.deepEqual(await rdd.take(2), ['record 0', 'record 1']);
      assert.ok(calls[0]! >= 2000, `each record computed at least once, got ${calls[0]}`);
    });
  },
  { memoryBytesMax: 1024 },
);
