import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTITION_COUNTS, onEveryBackend, sorted, sortedGroups } from './helpers.js';

/**
 * Per-key aggregations against the PySpark docstrings. Spark does not define the order of keys after a shuffle,
 * nor the order of values inside a group, so both are sorted before comparing.
 */

type Counted = [string, number];

const ONES: Counted[] = [
  ['a', 1],
  ['b', 1],
  ['a', 1],
];
const ONE_TWO: Counted[] = [
  ['a', 1],
  ['b', 1],
  ['a', 2],
];

/** Word pairs over many keys, so that every partition count splits keys across partitions. */
const WORDS: Counted[] = Array.from({ length: 60 }, (_, i): Counted => [`w${i % 13}`, i]);

function expectedSums(pairs: readonly Counted[]): Counted[] {
  const sums = new Map<string, number>();
  for (const [k, v] of pairs) sums.set(k, (sums.get(k) ?? 0) + v);
  return sorted([...sums.entries()]);
}

onEveryBackend('pair aggregations match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    for (const out of [undefined, ...PARTITION_COUNTS]) {
      const shape = `${n} partitions in, ${out ?? 'default'} out`;

      test(`reduceByKey sums per key (${shape})`, async () => {
        const kc = on.kc();
        // rdd = sc.parallelize([("a", 1), ("b", 1), ("a", 1)]); sorted(rdd.reduceByKey(add).collect())
        const reduced = kc.parallelize(ONES, n).reduceByKey((a, b) => a + b, out);
        assert.equal(reduced.getNumPartitions(), out ?? n);
        assert.deepEqual(sorted(await reduced.collect()), [
          ['a', 2],
          ['b', 1],
        ]);
        const words = kc.parallelize(WORDS, n).reduceByKey((a, b) => a + b, out);
        assert.deepEqual(sorted(await words.collect()), expectedSums(WORDS));
      });

      test(`groupByKey gathers every value of a key (${shape})`, async () => {
        const kc = on.kc();
        // sorted(rdd.groupByKey().mapValues(list).collect()) == [('a', [1, 1]), ('b', [1])]
        const grouped = kc.parallelize(ONES, n).groupByKey(out);
        assert.equal(grouped.getNumPartitions(), out ?? n);
        assert.deepEqual(sortedGroups(await grouped.collect()), [
          ['a', [1, 1]],
          ['b', [1]],
        ]);
        // sorted(rdd.groupByKey().mapValues(len).collect()) == [('a', 2), ('b', 1)]
        assert.deepEqual(sorted(await grouped.mapValues((vs) => vs.length).collect()), [
          ['a', 2],
          ['b', 1],
        ]);
        const words = await kc.parallelize(WORDS, n).groupByKey(out).collect();
        const expected = new Map<string, number[]>();
        for (const [k, v] of WORDS) expected.set(k, [...(expected.get(k) ?? []), v]);
        assert.deepEqual(sortedGroups(words), sortedGroups([...expected.entries()]));
      });

      test(`foldByKey folds each key from the zero (${shape})`, async () => {
        // sorted(rdd.foldByKey(0, add).collect()) == [('a', 2), ('b', 1)]
        const folded = on
          .kc()
          .parallelize(ONES, n)
          .foldByKey(0, (a, b) => a + b, out);
        assert.equal(folded.getNumPartitions(), out ?? n);
        assert.deepEqual(sorted(await folded.collect()), [
          ['a', 2],
          ['b', 1],
        ]);
      });

      test(`aggregateByKey with a (sum, count) zero (${shape})`, async () => {
        // seqFunc = lambda x, y: (x[0] + y, x[1] + 1); combFunc = lambda x, y: (x[0] + y[0], x[1] + y[1])
        // sorted(rdd.aggregateByKey((0, 0), seqFunc, combFunc).collect()) == [('a', (3, 2)), ('b', (1, 1))]
        const aggregated = on
          .kc()
          .parallelize(ONE_TWO, n)
          .aggregateByKey(
            [0, 0] as [number, number],
            (acc, v): [number, number] => [acc[0] + v, acc[1] + 1],
            (x, y): [number, number] => [x[0] + y[0], x[1] + y[1]],
            out,
          );
        assert.equal(aggregated.getNumPartitions(), out ?? n);
        assert.deepEqual(sorted(await aggregated.collect()), [
          ['a', [3, 2]],
          ['b', [1, 1]],
        ]);
      });

      test(`aggregateByKey gives each key its own copy of a mutable zero (${shape})`, async () => {
        const listed = on
          .kc()
          .parallelize(WORDS, n)
          .aggregateByKey(
            [] as number[],
            (acc, v) => {
              acc.push(v);
              return acc;
            },
            (x, y) => x.concat(y),
            out,
          );
        const expected = new Map<string, number[]>();
        for (const [k, v] of WORDS) expected.set(k, [...(expected.get(k) ?? []), v]);
        assert.deepEqual(sortedGroups(await listed.collect()), sortedGroups([...expected.entries()]));
      });

      test(`combineByKey builds lists per key (${shape})`, async () => {
        // sorted(x.combineByKey(to_list, append, extend).collect()) == [('a', [1, 2]), ('b', [1])]
        const combined = on
          .kc()
          .parallelize(ONE_TWO, n)
          .combineByKey(
            (v) => [v],
            (acc: number[], v) => {
              acc.push(v);
              return acc;
            },
            (x: number[], y: number[]) => {
              x.push(...y);
              return x;
            },
            out,
          );
        assert.equal(combined.getNumPartitions(), out ?? n);
        assert.deepEqual(sortedGroups(await combined.collect()), [
          ['a', [1, 2]],
          ['b', [1]],
        ]);
      });
    }

    test(`reduceByKey groups composite keys by value (${n} partitions)`, async () => {
      const pairs: [[string, number], number][] = [
        [['x', 1], 1],
        [['x', 1], 2],
        [['x', 2], 4],
        [['y', 1], 8],
      ];
      const reduced = await on
        .kc()
        .parallelize(pairs, n)
        .reduceByKey((a, b) => a + b)
        .collect();
      assert.deepEqual(sorted(reduced), [
        [['x', 1], 3],
        [['x', 2], 4],
        [['y', 1], 8],
      ]);
    });

    test(`aggregations of an empty dataset are empty (${n} partitions)`, async () => {
      const empty = on.kc().parallelize<Counted>([], n);
      assert.deepEqual(await empty.reduceByKey((a, b) => a + b).collect(), []);
      assert.deepEqual(await empty.groupByKey().collect(), []);
    });
  }
});
