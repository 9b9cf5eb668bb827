// sortByKey / sortBy sort in one pass: the map tasks sort their records into runs and sample the keys as they
// write them, so the parent (here a reduceByKey's reduce side) is computed once, not once for a sampling job and
// again for the map stage. The sort itself stays what it was: a stable compareValues sort of the records, ranges
// in partition order, with ties, empty partitions, one partition, skewed keys, descending order, and a parent
// that is not a shuffle.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { LoggedEvent, RDD } from '../../src/index.js';
import { compareValues } from '../../src/common/keys.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { onEveryBackend } from './helpers.js';

const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);

function stableSort<P extends readonly [unknown, unknown]>(pairs: readonly P[], ascending: boolean): P[] {
  const direction = ascending ? 1 : -1;
  return [...pairs].sort((a, b) => direction * compareValues(a[0], b[0]));
}

/** Every partition's keys come at or after the previous partition's, in the sort's direction. */
async function assertRangesInOrder<P extends [unknown, unknown]>(sorted: RDD<P>, ascending: boolean): Promise<void> {
  const parts: P[][] = await sorted.glom().collect();
  const direction = ascending ? 1 : -1;
  let previous: unknown = undefined;
  let seen = false;
  parts.forEach((part, p) =>
    part.forEach(([key], i) => {
      if (seen) assert.ok(direction * compareValues(previous, key) <= 0, `partition ${p}, row ${i} is in order`);
      previous = key;
      seen = true;
    }),
  );
}

onEveryBackend('sortByKey in one pass', (on) => {
  test('sortBy over a reduceByKey computes the reduce side once, with no sampling stage', async () => {
    const kc = on.kc();
    const calls = new Int32Array(new SharedArrayBuffer(4));
    const stages: string[] = [];
    const off = kc.onEvent((event: LoggedEvent) => {
      if (event.kind === 'stage-submitted') stages.push(event.label);
    });
    try {
      const words = Array.from({ length: 3000 }, (_, i) => `w${(i * 7919) % 401}`);
      const counts = kc
        .parallelize(words, 4)
        .map((w: string): [string, number] => [w, 1])
        .reduceByKey((a: number, b: number) => a + b, 3)
        .map(
          (pair: [string, number]) => {
            Atomics.add(calls, 0, 1);
            return pair;
          },
          { calls },
        );
      const sorted = await counts.sortBy(([w, n]: [string, number]) => [-n, w], true, 5).collect();
      const model = new Map<string, number>();
      for (const w of words) model.set(w, (model.get(w) ?? 0) + 1);
      assert.deepEqual(
        sorted,
        [...model].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      );
      assert.equal(calls[0], model.size, 'each count went through the map after reduceByKey once');
      assert.ok(!stages.some((label) => label.includes('sampling')), `stages: ${stages.join(', ')}`);
    } finally {
      off();
    }
  });

  test('ties keep their input order (a parent that is not a shuffle), ascending and descending', async () => {
    const rng = new Rng(seed);
    const pairs = Array.from({ length: 500 }, (_, i): [number, number] => [rng.nextInt(6), i]);
    for (const ascending of [true, false]) {
      for (const [inputs, outputs] of [
        [7, 4],
        [3, 1],
        [1, 3],
      ] as const) {
        const sorted = on.kc().parallelize(pairs, inputs).sortByKey(ascending, outputs);
        assert.deepEqual(await sorted.collect(), stableSort(pairs, ascending), `${inputs} -> ${outputs}, ${ascending}`);
        await assertRangesInOrder(sorted, ascending);
      }
    }
  });

  test('empty partitions, an empty dataset and more ranges than records', async () => {
    const kc = on.kc();
    const few: [string, number][] = [
      ['b', 1],
      ['a', 2],
      ['c', 3],
    ];
    const sorted = kc.parallelize(few, 8).sortByKey(true, 6);
    assert.deepEqual(await sorted.collect(), stableSort(few, true));
    assert.equal(sorted.getNumPartitions(), 6);
    await assertRangesInOrder(sorted, true);
    assert.deepEqual(
      await kc
        .parallelize([] as [number, number][], 3)
        .sortByKey(false, 4)
        .collect(),
      [],
    );
    // A reduce side with empty partitions feeding the sort.
    const sparse = kc
      .parallelize([1, 2, 3], 3)
      .map((x: number): [number, number] => [x, x])
      .reduceByKey((a: number, b: number) => a + b, 7);
    assert.deepEqual(await sparse.sortByKey(false, 5).collect(), [
      [3, 3],
      [2, 2],
      [1, 1],
    ]);
  });

  test('skewed keys: most records share one key, the rest spread; tuple keys; over a shuffle', async () => {
    const rng = new Rng(seed + 1);
    const pairs = Array.from({ length: 4000 }, (_, i): [[number, string], number] => [
      rng.nextInt(10) < 9 ? [0, 'hot'] : [rng.nextInt(50), `k${rng.nextInt(5)}`],
      i,
    ]);
    const kc = on.kc();
    for (const ascending of [true, false]) {
      // partitionBy puts a shuffle under the sort; its order of records is not the input's, so compare as sets of
      // ties: the keys in order and every pair present.
      const shuffled = kc.parallelize(pairs, 5).partitionBy(3);
      const sorted = shuffled.sortByKey(ascending, 6);
      const out = await sorted.collect();
      assert.deepEqual(
        out.map(([key]) => key),
        stableSort(pairs, ascending).map(([key]) => key),
      );
      assert.deepEqual(
        out.map(([, i]) => i).sort((a, b) => a - b),
        pairs.map(([, i]) => i),
      );
      await assertRangesInOrder(sorted, ascending);
      // Stable within the shuffle's own order.
      assert.deepEqual(out, stableSort(await shuffled.collect(), ascending));
    }
  });
});

test('the sort of a dataset whose parent is a shuffle gives the ranges a sampling job would (same bounds)', async () => {
  // The map tasks sample the same records with the same seeds as the `sample-keys` job did: the partition sizes
  // of a sort over a shuffle are those of the same sort over its collected (so unshuffled) records, partitioned alike.
  const { Context } = await import('../../src/index.js');
  const kc = new Context({ threads: 0, seed: 42 });
  try {
    const rng = new Rng(seed + 2);
    const keys = Array.from({ length: 2000 }, () => rng.nextInt(100_000));
    const shuffled = kc
      .parallelize(keys, 4)
      .map((k: number): [number, number] => [k, k])
      .partitionBy(4);
    const direct = kc.parallelize(await shuffled.glom().collect(), 4).flatMap((part: [number, number][]) => part);
    const sizes = async (rdd: RDD<[number, number]>): Promise<number[]> =>
      (await rdd.sortByKey(true, 7).glom().collect()).map((part) => part.length);
    assert.deepEqual(await sizes(shuffled), await sizes(direct));
  } finally {
    await kc.stop();
  }
});
