import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlanError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, sorted, throwsWith } from './helpers.js';

/**
 * Narrow transformations against the PySpark docstrings. Order is defined for these (records stay in their
 * partition, partitions in order), so results are compared as they come.
 */

onEveryBackend('narrow transformations match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    test(`map, flatMap and filter keep partition order (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([2, 3, 4]).map(lambda x: x * 2)
      assert.deepEqual(
        await kc
          .parallelize([2, 3, 4], n)
          .map((x) => x * 2)
          .collect(),
        [4, 6, 8],
      );
      // sorted(sc.parallelize([2, 3, 4]).flatMap(lambda x: range(1, x)).collect()) == [1, 1, 1, 2, 2, 3]
      const ranges = kc.parallelize([2, 3, 4], n).flatMap((x) => Array.from({ length: x - 1 }, (_, i) => i + 1));
      assert.deepEqual(await ranges.collect(), [1, 1, 2, 1, 2, 3]);
      // sc.parallelize([2, 3, 4]).flatMap(lambda x: [(x, x), (x, x)]).collect()
      const doubled = kc.parallelize([2, 3, 4], n).flatMap((x): [number, number][] => [
        [x, x],
        [x, x],
      ]);
      assert.deepEqual(await doubled.collect(), [
        [2, 2],
        [2, 2],
        [3, 3],
        [3, 3],
        [4, 4],
        [4, 4],
      ]);
      // sc.parallelize([1, 2, 3, 4, 5]).filter(lambda x: x % 2 == 0).collect() == [2, 4]
      assert.deepEqual(
        await kc
          .parallelize([1, 2, 3, 4, 5], n)
          .filter((x) => x % 2 === 0)
          .collect(),
        [2, 4],
      );
    });

    test(`flatMap accepts any iterable, such as a generator (${n} partitions)`, async () => {
      const words = on
        .kc()
        .parallelize(['a b', '', 'c d e'], n)
        .flatMap(function* (line) {
          for (const word of line.split(' ')) if (word !== '') yield word;
        });
      assert.deepEqual(await words.collect(), ['a', 'b', 'c', 'd', 'e']);
    });

    test(`keyBy, mapValues, flatMapValues, keys and values (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize(range(0, 3)).keyBy(lambda x: x * x) → [(0, 0), (1, 1), (4, 2)]
      assert.deepEqual(
        await kc
          .parallelize([0, 1, 2], n)
          .keyBy((x) => x * x)
          .collect(),
        [
          [0, 0],
          [1, 1],
          [4, 2],
        ],
      );
      // x = sc.parallelize([("a", ["apple", "banana", "lemon"]), ("b", ["grapes"])]); x.mapValues(len)
      const fruits = kc.parallelize<[string, string[]]>(
        [
          ['a', ['apple', 'banana', 'lemon']],
          ['b', ['grapes']],
        ],
        n,
      );
      assert.deepEqual(await fruits.mapValues((v) => v.length).collect(), [
        ['a', 3],
        ['b', 1],
      ]);
      // x = sc.parallelize([("a", ["x", "y", "z"]), ("b", ["p", "r"])]); x.flatMapValues(lambda x: x)
      const letters = kc.parallelize<[string, string[]]>(
        [
          ['a', ['x', 'y', 'z']],
          ['b', ['p', 'r']],
        ],
        n,
      );
      assert.deepEqual(await letters.flatMapValues((v) => v).collect(), [
        ['a', 'x'],
        ['a', 'y'],
        ['a', 'z'],
        ['b', 'p'],
        ['b', 'r'],
      ]);
      // m = sc.parallelize([(1, 2), (3, 4)]); m.keys() == [1, 3]; m.values() == [2, 4]
      const m = kc.parallelize<[number, number]>(
        [
          [1, 2],
          [3, 4],
        ],
        n,
      );
      assert.deepEqual(await m.keys().collect(), [1, 3]);
      assert.deepEqual(await m.values().collect(), [2, 4]);
    });

    test(`mapPartitions sees each partition once (${n} partitions)`, async () => {
      // rdd = sc.parallelize([1, 2, 3, 4], 2); rdd.mapPartitions(lambda it: [sum(it)]) == [3, 7]
      const sums = on
        .kc()
        .parallelize([1, 2, 3, 4], n)
        .mapPartitions((records) => [Array.from(records).reduce((a, b) => a + b, 0)]);
      const expected = { 1: [10], 2: [3, 7], 7: [0, 1, 0, 2, 0, 3, 4] }[n];
      assert.deepEqual(await sums.collect(), expected);
    });

    test(`mapPartitionsWithIndex passes the partition index (${n} partitions)`, async () => {
      // rdd = sc.parallelize([1, 2, 3, 4], 4); rdd.mapPartitionsWithIndex(lambda i, it: [i]).sum() == 6
      const kc = on.kc();
      const indices = kc.parallelize([1, 2, 3, 4], n).mapPartitionsWithIndex((index) => [index]);
      assert.deepEqual(
        await indices.collect(),
        Array.from({ length: n }, (_, i) => i),
      );
      const tagged = kc.parallelize(['a', 'b', 'c', 'd'], n).mapPartitionsWithIndex(function* (index, records) {
        for (const r of records) yield `${index}:${r}`;
      });
      const expected = {
        1: ['0:a', '0:b', '0:c', '0:d'],
        2: ['0:a', '0:b', '1:c', '1:d'],
        7: ['1:a', '3:b', '5:c', '6:d'],
      }[n];
      assert.deepEqual(await tagged.collect(), expected);
    });

    test(`glom shows how parallelize slices (${n} partitions)`, async () => {
      const glommed = await on.kc().parallelize([1, 2, 3, 4], n).glom().collect();
      // sc.parallelize([1, 2, 3, 4], 2).glom().collect() == [[1, 2], [3, 4]]
      const expected = {
        1: [[1, 2, 3, 4]],
        2: [
          [1, 2],
          [3, 4],
        ],
        7: [[], [1], [], [2], [], [3], [4]],
      }[n];
      assert.deepEqual(glommed, expected);
    });

    test(`zipWithIndex numbers records across partitions (${n} partitions)`, async () => {
      // sc.parallelize(["a", "b", "c", "d"], 3).zipWithIndex() == [('a', 0), ('b', 1), ('c', 2), ('d', 3)]
      const zipped = await on.kc().parallelize(['a', 'b', 'c', 'd'], n).zipWithIndex().collect();
      assert.deepEqual(zipped, [
        ['a', 0],
        ['b', 1],
        ['c', 2],
        ['d', 3],
      ]);
    });

    test(`zipWithIndex after a filter counts only what is left (${n} partitions)`, async () => {
      const zipped = await on
        .kc()
        .range(0, 20, 1, n)
        .filter((x) => x % 3 === 0)
        .zipWithIndex()
        .collect();
      assert.deepEqual(
        zipped,
        [0, 3, 6, 9, 12, 15, 18].map((x, i) => [x, i]),
      );
    });

    test(`sample with a seed gives the same records twice, within Spark's bounds (${n} partitions)`, async () => {
      const kc = on.kc();
      // rdd = sc.parallelize(range(100), 4); 6 <= rdd.sample(False, 0.1, 81).count() <= 14
      const data = kc.parallelize(
        Array.from({ length: 100 }, (_, i) => i),
        n,
      );
      const once = await data.sample(false, 0.1, 81).collect();
      const twice = await data.sample(false, 0.1, 81).collect();
      assert.deepEqual(twice, once, 'the same seed must give the same sample');
      assert.ok(once.length >= 6 && once.length <= 14, `sample(false, 0.1) kept ${once.length} of 100`);
      assert.deepEqual(sorted(once), once, 'a sample without replacement keeps records in order');
      assert.equal(new Set(once).size, once.length, 'a sample without replacement has no repeats');
      on.agree(`sample(false, 0.1, 81) of 100 in ${n}`, once);
    });

    test(`sample with replacement draws only existing records, repeats allowed (${n} partitions)`, async () => {
      const data = on.kc().range(0, 200, 1, n);
      const drawn = await data.sample(true, 2, 7).collect();
      assert.deepEqual(await data.sample(true, 2, 7).collect(), drawn);
      assert.ok(drawn.length >= 300 && drawn.length <= 500, `sample(true, 2) drew ${drawn.length} of 200 × 2`);
      assert.ok(drawn.every((x) => Number.isInteger(x) && x >= 0 && x < 200));
      assert.ok(new Set(drawn).size < drawn.length, 'with fraction 2, some records must repeat');
      on.agree(`sample(true, 2, 7) of 200 in ${n}`, drawn);
    });

    test(`sample with fraction 0 is empty and with fraction 1 keeps everything (${n} partitions)`, async () => {
      const data = on.kc().range(0, 50, 1, n);
      assert.deepEqual(await data.sample(false, 0, 3).collect(), []);
      assert.deepEqual(
        await data.sample(false, 1, 3).collect(),
        Array.from({ length: 50 }, (_, i) => i),
      );
    });
  }

  test('sample refuses a fraction out of bounds', () => {
    const data = on.kc().range(0, 10);
    for (const fraction of [-0.1, 1.5, Number.NaN]) {
      const error = throwsWith(() => data.sample(false, fraction, 1), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
      assert.match(error.message, /sample\(\): fraction/);
    }
    throwsWith(() => data.sample(true, -1, 1), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
  });

  test('transformations are lazy: a throwing function fails nothing until an action', async () => {
    const lazy = on
      .kc()
      .parallelize([1, 2, 3])
      .map((): number => {
        throw new Error('must not run');
      });
    assert.equal(lazy.getNumPartitions(), 2);
    await assert.rejects(lazy.collect(), /must not run/);
  });
});
