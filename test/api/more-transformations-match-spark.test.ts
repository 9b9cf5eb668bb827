import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobFailedError, PlanError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, rejectsWith, sorted, sortedEntries, throwsWith } from './helpers.js';

/**
 * groupBy, groupWith, sortByKey with a key function, zip, zipWithUniqueId, treeReduce, treeAggregate,
 * reduceByKeyLocally, countApproxDistinct, toLocalIterator and setName against the PySpark docstrings (issue 12).
 */

const add = (a: number, b: number): number => a + b;

onEveryBackend('more transformations match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    test(`groupBy groups records by the function's key (${n} partitions)`, async () => {
      // rdd = sc.parallelize([1, 1, 2, 3, 5, 8]); rdd.groupBy(lambda x: x % 2) -> [(0, [2, 8]), (1, [1, 1, 3, 5])]
      const groups = await on
        .kc()
        .parallelize([1, 1, 2, 3, 5, 8], n)
        .groupBy((x) => x % 2)
        .collect();
      assert.deepEqual(sorted(groups.map(([k, xs]) => [k, sorted(xs)])), [
        [0, [2, 8]],
        [1, [1, 1, 3, 5]],
      ]);
    });

    test(`zip pairs records by position; zipWithUniqueId numbers them (${n} partitions)`, async () => {
      const kc = on.kc();
      // x = sc.parallelize(range(0,5)); y = sc.parallelize(range(1000, 1005)); x.zip(y).collect()
      assert.deepEqual(
        await kc
          .range(0, 5, 1, n)
          .zip(kc.range(1000, 1005, 1, n))
          .collect(),
        [
          [0, 1000],
          [1, 1001],
          [2, 1002],
          [3, 1003],
          [4, 1004],
        ],
      );
      throwsWith(() => kc.range(0, 5, 1, n).zip(kc.range(0, 5, 1, n + 1)), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
      const uneven = kc.range(0, 5, 1, n).zip(kc.range(0, 6, 1, n));
      const error = await rejectsWith(uneven.collect(), JobFailedError, 'ERR_JOB_FAILED');
      assert.match(error.message, /zip\(\) needs datasets with equal numbers of records/);
      // Unique ids: k * n + p for the k-th record of partition p.
      const ids = await kc.range(0, 20, 1, n).zipWithUniqueId().collect();
      assert.equal(new Set(ids.map(([, id]) => id)).size, 20);
      assert.deepEqual(
        ids.map(([x]) => x),
        Array.from({ length: 20 }, (_, i) => i),
      );
    });

    test(`groupWith cogroups any number of datasets (${n} partitions)`, async () => {
      const kc = on.kc();
      const w = kc.parallelize<[string, number]>(
        [
          ['a', 5],
          ['b', 6],
        ],
        n,
      );
      const x = kc.parallelize<[string, number]>(
        [
          ['a', 1],
          ['b', 4],
        ],
        n,
      );
      const y = kc.parallelize<[string, number]>([['a', 2]], n);
      const z = kc.parallelize<[string, number]>([['b', 42]], n);
      // [('a', ([5], [1], [2], [])), ('b', ([6], [4], [], [42]))]
      assert.deepEqual(sorted(await w.groupWith(x, y, z).collect()), [
        ['a', [[5], [1], [2], []]],
        ['b', [[6], [4], [], [42]]],
      ]);
    });

    test(`sortByKeyWith orders by keyfunc(key) and keeps the keys (${n} partitions)`, async () => {
      const tmp2: [string, number][] = [
        ['Mary', 1],
        ['had', 2],
        ['a', 3],
        ['little', 4],
        ['lamb', 5],
        ['whose', 6],
        ['fleece', 7],
        ['was', 8],
        ['white', 9],
      ];
      // sc.parallelize(tmp2).sortByKey(True, 3, keyfunc=lambda k: k.lower()).collect()
      const expected = [
        ['a', 3],
        ['fleece', 7],
        ['had', 2],
        ['lamb', 5],
        ['little', 4],
        ['Mary', 1],
        ['was', 8],
        ['white', 9],
        ['whose', 6],
      ];
      const rdd = on.kc().parallelize(tmp2, n);
      assert.deepEqual(await rdd.sortByKeyWith(true, 3, (k) => k.toLowerCase()).collect(), expected);
      assert.deepEqual(await rdd.sortByKeyWith(false, 2, (k) => k.toLowerCase()).collect(), expected.reverse());
    });
  }

  test('treeReduce and treeAggregate equal reduce at every depth and partition count', async () => {
    // rdd = sc.parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], 10); rdd.treeReduce(add) == -5 (depth 1, 2, 5 too)
    for (const partitions of [1, 7, 10, 40]) {
      const rdd = on.kc().parallelize([-5, -4, -3, -2, -1, 1, 2, 3, 4], partitions);
      for (const depth of partitions < 10 ? [2] : [1, 2, 5]) {
        assert.equal(await rdd.treeReduce(add, depth), -5);
        // rdd.treeAggregate(0, add, add) == -5
        assert.equal(await rdd.treeAggregate(0, add, add, depth), -5);
      }
    }
    const strings = on.kc().parallelize(['a', 'bb', 'c', 'd', 'e', 'f'], 40);
    const lengths = await strings.treeAggregate(
      [0, 0],
      (acc, s) => [acc[0]! + 1, acc[1]! + s.length],
      (a, b) => [a[0]! + b[0]!, a[1]! + b[1]!],
      3,
    );
    assert.deepEqual(lengths, [6, 7]);
    await assert.rejects(on.kc().parallelize<number>([], 40).treeReduce(add), /empty/);
    assert.equal(await on.kc().parallelize<number>([], 40).treeAggregate(0, add, add), 0);
  });

  test('repartitionAndSortWithinPartitions places by partitionFunc and sorts by keyfunc within partitions', async () => {
    // rdd = sc.parallelize([(0, 5), (3, 8), (2, 6), (0, 8), (3, 8), (1, 3)])
    // rdd.repartitionAndSortWithinPartitions(2, lambda x: x % 2, True).glom().collect()
    //   == [[(0, 5), (0, 8), (2, 6)], [(1, 3), (3, 8), (3, 8)]]
    const rdd = on.kc().parallelize<[number, number]>(
      [
        [0, 5],
        [3, 8],
        [2, 6],
        [0, 8],
        [3, 8],
        [1, 3],
      ],
      3,
    );
    assert.deepEqual(
      await rdd
        .repartitionAndSortWithinPartitions(2, (x) => x % 2, true)
        .glom()
        .collect(),
      [
        [
          [0, 5],
          [0, 8],
          [2, 6],
        ],
        [
          [1, 3],
          [3, 8],
          [3, 8],
        ],
      ],
    );
    // Default placement is partitionBy's: the same partitions, each sorted (by keyfunc, descending, here).
    const placement = (await rdd.partitionBy(3).glom().collect()).map((part) => sorted(part));
    const byDefault = await rdd.repartitionAndSortWithinPartitions(3).glom().collect();
    assert.deepEqual(byDefault, placement);
    const reversed = await rdd
      .repartitionAndSortWithinPartitions(3, undefined, false, (k) => k % 3)
      .glom()
      .collect();
    assert.deepEqual(
      reversed.map((part) => part.map(([k]) => k % 3)),
      placement.map((part) => part.map(([k]) => k % 3).sort((a, b) => b - a)),
    );
    assert.deepEqual(sorted(reversed.flat()), sorted(placement.flat()));
  });

  test('reduceByKeyLocally returns the merged values as a Map', async () => {
    // sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).reduceByKeyLocally(add).items()) == [('a', 2), ('b', 1)]
    const pairs = on.kc().parallelize<[string, number]>(
      [
        ['a', 1],
        ['b', 1],
        ['a', 1],
      ],
      2,
    );
    assert.deepEqual(sortedEntries(await pairs.reduceByKeyLocally(add)), [
      ['a', 2],
      ['b', 1],
    ]);
  });

  test('countApproxDistinct is within a few relative standard errors', async () => {
    const kc = on.kc();
    // n = sc.parallelize(range(1000)).map(str).countApproxDistinct(); 900 < n < 1100
    const strings = await kc.range(0, 1000, 1, 3).map(String).countApproxDistinct();
    assert.ok(strings > 900 && strings < 1100, `${strings}`);
    // n = sc.parallelize([i % 20 for i in range(1000)]).countApproxDistinct(); 16 < n < 24
    const small = await kc
      .range(0, 1000, 1, 4)
      .map((i) => i % 20)
      .countApproxDistinct();
    assert.ok(small > 16 && small < 24, `${small}`);
    // 50 000 distinct with 4 % error asked: within 3 standard errors. Equal-by-value records count once.
    const many = await kc
      .range(0, 100_000, 1, 4)
      .map((i) => [i % 50_000, 'k'])
      .countApproxDistinct(0.04);
    assert.ok(Math.abs(many - 50_000) < 3 * 0.04 * 50_000, `${many}`);
    await assert.rejects(kc.range(0, 1).countApproxDistinct(0), PlanError);
  });

  test('toLocalIterator yields every record in order, one job per partition', async () => {
    const kc = on.kc();
    // [x for x in sc.parallelize(range(10)).toLocalIterator()] == [0, …, 9]
    const seen: number[] = [];
    for await (const x of kc.range(0, 10, 1, 4).toLocalIterator()) seen.push(x);
    assert.deepEqual(
      seen,
      Array.from({ length: 10 }, (_, i) => i),
    );
    // Stopping early runs no job for the partitions after it.
    let jobs = 0;
    const counted = kc.range(0, 10, 1, 5).map((x) => x);
    for await (const x of counted.toLocalIterator()) {
      jobs++;
      if (x === 1) break;
    }
    assert.equal(jobs, 2);
  });

  test('setName names a dataset', () => {
    // sc.parallelize([1, 2]).setName('RDD1').name() == 'RDD1'
    const rdd = on.kc().parallelize([1, 2]);
    assert.equal(rdd.name(), null);
    assert.equal(rdd.setName('RDD1').name(), 'RDD1');
  });
});
