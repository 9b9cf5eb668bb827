import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTITION_COUNTS, onEveryBackend } from './helpers.js';

/**
 * Sorting against the PySpark docstrings. Spark defines the order of a sorted dataset's `collect` (range
 * partitions, sorted inside), and of `top`/`takeOrdered`, so order is compared exactly.
 */

type Row = [string, number];

// tmp = [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]
const TMP: Row[] = [
  ['a', 1],
  ['b', 2],
  ['1', 3],
  ['d', 4],
  ['2', 5],
];
const BY_KEY: Row[] = [
  ['1', 3],
  ['2', 5],
  ['a', 1],
  ['b', 2],
  ['d', 4],
];

/** 0..199 in a scrambled but fixed order (37 is coprime with 200). */
const SCRAMBLED = Array.from({ length: 200 }, (_, i) => (i * 37) % 200);
const ASCENDING = Array.from({ length: 200 }, (_, i) => i);

onEveryBackend('sorting matches Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    for (const out of [undefined, ...PARTITION_COUNTS]) {
      const shape = `${n} partitions in, ${out ?? 'default'} out`;

      test(`sortByKey orders strings like Spark (${shape})`, async () => {
        const kc = on.kc();
        // sc.parallelize(tmp).sortByKey(True, 2).collect() == [('1', 3), ('2', 5), ('a', 1), ('b', 2), ('d', 4)]
        const ascending = kc.parallelize(TMP, n).sortByKey(true, out);
        assert.equal(ascending.getNumPartitions(), out ?? n);
        assert.deepEqual(await ascending.collect(), BY_KEY);
        // sc.parallelize(tmp).sortByKey().first() == ('1', 3)
        assert.deepEqual(await ascending.first(), ['1', 3]);
        const descending = kc.parallelize(TMP, n).sortByKey(false, out);
        assert.deepEqual(await descending.collect(), [...BY_KEY].reverse());
      });

      test(`sortByKey range-partitions: every partition's keys precede the next one's (${shape})`, async () => {
        const kc = on.kc();
        const pairs = SCRAMBLED.map((x): [number, string] => [x, `v${x}`]);
        const sortedRdd = kc.parallelize(pairs, n).sortByKey(true, out);
        const partitions = await sortedRdd.glom().collect();
        assert.equal(partitions.length, out ?? n);
        assert.deepEqual(
          partitions.flat().map(([k]) => k),
          ASCENDING,
        );
        const sizes = partitions.map((p) => p.length);
        if ((out ?? n) > 1) {
          assert.ok(
            sizes.filter((s) => s > 0).length > 1,
            `range partitioning should spread 200 keys, got sizes ${sizes.join(',')}`,
          );
        }
      });

      test(`sortBy sorts by the key function, either way (${shape})`, async () => {
        const kc = on.kc();
        // sc.parallelize(tmp).sortBy(lambda x: x[0]).collect() == [('1', 3), ('2', 5), ('a', 1), ('b', 2), ('d', 4)]
        assert.deepEqual(
          await kc
            .parallelize(TMP, n)
            .sortBy(([k]) => k, true, out)
            .collect(),
          BY_KEY,
        );
        // sc.parallelize(tmp).sortBy(lambda x: x[1]).collect() == [('a', 1), ('b', 2), ('1', 3), ('d', 4), ('2', 5)]
        assert.deepEqual(
          await kc
            .parallelize(TMP, n)
            .sortBy(([, v]) => v, true, out)
            .collect(),
          TMP,
        );
        const numbers = kc.parallelize(SCRAMBLED, n);
        assert.deepEqual(await numbers.sortBy((x) => x, true, out).collect(), ASCENDING);
        assert.deepEqual(await numbers.sortBy((x) => x, false, out).collect(), [...ASCENDING].reverse());
        // A key function with a capture.
        const pivot = 100;
        const sortedByDistance = await numbers.sortBy((x) => Math.abs(x - pivot), true, out, { pivot }).take(3);
        assert.equal(sortedByDistance[0], 100);
        assert.deepEqual(
          [...sortedByDistance.slice(1)].sort((a, b) => a - b),
          [99, 101],
        );
      });
    }

    test(`zipWithIndex after a sort numbers records in sorted order (${n} partitions)`, async () => {
      const zipped = await on
        .kc()
        .parallelize(SCRAMBLED, n)
        .sortBy((x) => x, false, 3)
        .zipWithIndex()
        .collect();
      assert.deepEqual(
        zipped,
        [...ASCENDING].reverse().map((x, i) => [x, i]),
      );
    });

    test(`top returns the largest first (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([10, 4, 2, 12, 3]).top(1) == [12]
      assert.deepEqual(await kc.parallelize([10, 4, 2, 12, 3], n).top(1), [12]);
      // sc.parallelize([2, 3, 4, 5, 6], 2).top(2) == [6, 5]
      assert.deepEqual(await kc.parallelize([2, 3, 4, 5, 6], n).top(2), [6, 5]);
      // sc.parallelize([10, 4, 2, 12, 3]).top(3, key=str) == [4, 3, 2]
      assert.deepEqual(await kc.parallelize([10, 4, 2, 12, 3], n).top(3, String), [4, 3, 2]);
      assert.deepEqual(await kc.parallelize([10, 4, 2, 12, 3], n).top(3, (x) => String(x)), [4, 3, 2]);
      assert.deepEqual(await kc.parallelize(SCRAMBLED, n).top(4), [199, 198, 197, 196]);
      assert.deepEqual(await kc.parallelize([3, 1], n).top(5), [3, 1]);
      assert.deepEqual(await kc.parallelize([3, 1], n).top(0), []);
    });

    test(`takeOrdered returns the smallest first, by a key if given (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7]).takeOrdered(6) == [1, 2, 3, 4, 5, 6]
      const data = kc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7], n);
      assert.deepEqual(await data.takeOrdered(6), [1, 2, 3, 4, 5, 6]);
      // sc.parallelize([10, 1, 2, 9, 3, 4, 5, 6, 7], 2).takeOrdered(6, key=lambda x: -x) == [10, 9, 7, 6, 5, 4]
      assert.deepEqual(await data.takeOrdered(6, (x) => -x), [10, 9, 7, 6, 5, 4]);
      const modulus = 7;
      assert.deepEqual(await data.takeOrdered(2, (x) => x % modulus, { modulus }), [7, 1]);
      assert.deepEqual(await kc.parallelize(TMP, n).takeOrdered(2), [
        ['1', 3],
        ['2', 5],
      ]);
    });
  }
});
