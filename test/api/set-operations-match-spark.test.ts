import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTITION_COUNTS, onEveryBackend, sorted } from './helpers.js';

/** Set-like operations against the PySpark docstrings. Records compare by value, so arrays dedupe too. */

onEveryBackend('set operations match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    test(`union keeps duplicates and partition order (${n} partitions)`, async () => {
      const kc = on.kc();
      // rdd = sc.parallelize([1, 1, 2, 3]); rdd.union(rdd).collect() == [1, 1, 2, 3, 1, 1, 2, 3]
      const rdd = kc.parallelize([1, 1, 2, 3], n);
      const both = rdd.union(rdd);
      assert.equal(both.getNumPartitions(), 2 * n);
      assert.deepEqual(await both.collect(), [1, 1, 2, 3, 1, 1, 2, 3]);
      // sc.union([rdd, rdd, rdd])
      const three = kc.union(rdd, kc.parallelize([9], 1), rdd);
      assert.equal(three.getNumPartitions(), 2 * n + 1);
      assert.deepEqual(await three.collect(), [1, 1, 2, 3, 9, 1, 1, 2, 3]);
      assert.deepEqual(await kc.union<number>().collect(), []);
    });

    for (const out of [undefined, ...PARTITION_COUNTS]) {
      const shape = `${n} partitions in, ${out ?? 'default'} out`;

      test(`distinct drops repeats (${shape})`, async () => {
        const kc = on.kc();
        // sorted(sc.parallelize([1, 1, 2, 3]).distinct().collect()) == [1, 2, 3]
        const distinct = kc.parallelize([1, 1, 2, 3], n).distinct(out);
        assert.equal(distinct.getNumPartitions(), out ?? n);
        assert.deepEqual(sorted(await distinct.collect()), [1, 2, 3]);
        const pairs = kc.parallelize(
          [
            ['a', 1],
            ['a', 1],
            ['a', 2],
            ['b', 1],
            ['a', 1],
          ],
          n,
        );
        assert.deepEqual(sorted(await pairs.distinct(out).collect()), [
          ['a', 1],
          ['a', 2],
          ['b', 1],
        ]);
      });

      test(`intersection keeps common records once (${shape})`, async () => {
        const kc = on.kc();
        // rdd1 = [1, 10, 2, 3, 4, 5]; rdd2 = [1, 6, 2, 3, 7, 8]; sorted(rdd1.intersection(rdd2)) == [1, 2, 3]
        const a = kc.parallelize([1, 10, 2, 3, 4, 5], n);
        const b = kc.parallelize([1, 6, 2, 3, 7, 8], n);
        assert.deepEqual(sorted(await a.intersection(b, out).collect()), [1, 2, 3]);
        const repeats = kc.parallelize([1, 1, 2, 2, 5], n).intersection(kc.parallelize([1, 1, 2, 9], 2), out);
        assert.deepEqual(sorted(await repeats.collect()), [1, 2]);
      });

      test(`subtract keeps duplicates of what is left (${shape})`, async () => {
        const kc = on.kc();
        // x = [("a", 1), ("b", 4), ("b", 5), ("a", 3)]; y = [("a", 3), ("c", None)]
        // sorted(x.subtract(y).collect()) == [('a', 1), ('b', 4), ('b', 5)]
        const x = kc.parallelize<[string, number | null]>(
          [
            ['a', 1],
            ['b', 4],
            ['b', 5],
            ['a', 3],
          ],
          n,
        );
        const y = kc.parallelize<[string, number | null]>(
          [
            ['a', 3],
            ['c', null],
          ],
          n,
        );
        assert.deepEqual(sorted(await x.subtract(y, out).collect()), [
          ['a', 1],
          ['b', 4],
          ['b', 5],
        ]);
        const repeats = kc.parallelize([1, 1, 2, 3, 3, 3], n).subtract(kc.parallelize([3], 1), out);
        assert.deepEqual(sorted(await repeats.collect()), [1, 1, 2]);
      });
    }

    test(`cartesian pairs every record with every record (${n} partitions)`, async () => {
      const kc = on.kc();
      // rdd = sc.parallelize([1, 2]); sorted(rdd.cartesian(rdd).collect()) == [(1, 1), (1, 2), (2, 1), (2, 2)]
      const rdd = kc.parallelize([1, 2], n);
      const product = rdd.cartesian(rdd);
      assert.equal(product.getNumPartitions(), n * n);
      assert.deepEqual(sorted(await product.collect()), [
        [1, 1],
        [1, 2],
        [2, 1],
        [2, 2],
      ]);
      const letters = kc.parallelize(['a', 'b', 'c'], 2);
      const mixed = await rdd.cartesian(letters).collect();
      assert.equal(mixed.length, 6);
      assert.deepEqual(sorted(mixed), [
        [1, 'a'],
        [1, 'b'],
        [1, 'c'],
        [2, 'a'],
        [2, 'b'],
        [2, 'c'],
      ]);
    });
  }
});
