import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PARTITION_COUNTS, onEveryBackend, sorted } from './helpers.js';

/**
 * Joins and cogroup against the PySpark docstrings; Spark's `None` for a missing side is `null` here. Key order
 * after a shuffle is undefined, so results are sorted.
 */

type Row = [string, number];

const X: Row[] = [
  ['a', 1],
  ['b', 4],
];

onEveryBackend('joins match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    for (const out of [undefined, 3]) {
      const shape = `${n} partitions in, ${out ?? 'default'} out`;

      test(`join pairs every match (${shape})`, async () => {
        const kc = on.kc();
        // x = [("a", 1), ("b", 4)]; y = [("a", 2), ("a", 3)]; sorted(x.join(y)) == [('a', (1, 2)), ('a', (1, 3))]
        const y = kc.parallelize<Row>(
          [
            ['a', 2],
            ['a', 3],
          ],
          n,
        );
        const joined = kc.parallelize(X, n).join(y, out);
        assert.equal(joined.getNumPartitions(), out ?? n);
        assert.deepEqual(sorted(await joined.collect()), [
          ['a', [1, 2]],
          ['a', [1, 3]],
        ]);
      });

      test(`leftOuterJoin keeps every left record, null where the right is missing (${shape})`, async () => {
        const kc = on.kc();
        // x = [("a", 1), ("b", 4)]; y = [("a", 2)]; sorted(x.leftOuterJoin(y)) == [('a', (1, 2)), ('b', (4, None))]
        const y = kc.parallelize<Row>([['a', 2]], n);
        assert.deepEqual(sorted(await kc.parallelize(X, n).leftOuterJoin(y, out).collect()), [
          ['a', [1, 2]],
          ['b', [4, null]],
        ]);
      });

      test(`rightOuterJoin keeps every right record, null where the left is missing (${shape})`, async () => {
        const kc = on.kc();
        // sorted(y.rightOuterJoin(x).collect()) == [('a', (2, 1)), ('b', (None, 4))]
        const y = kc.parallelize<Row>([['a', 2]], n);
        assert.deepEqual(sorted(await y.rightOuterJoin(kc.parallelize(X, n), out).collect()), [
          ['a', [2, 1]],
          ['b', [null, 4]],
        ]);
      });

      test(`fullOuterJoin keeps both sides (${shape})`, async () => {
        const kc = on.kc();
        // x = [("a", 1), ("b", 4)]; y = [("a", 2), ("c", 8)]
        // sorted(x.fullOuterJoin(y)) == [('a', (1, 2)), ('b', (4, None)), ('c', (None, 8))]
        const y = kc.parallelize<Row>(
          [
            ['a', 2],
            ['c', 8],
          ],
          n,
        );
        assert.deepEqual(sorted(await kc.parallelize(X, n).fullOuterJoin(y, out).collect()), [
          ['a', [1, 2]],
          ['b', [4, null]],
          ['c', [null, 8]],
        ]);
      });

      test(`cogroup lists the values of each side (${shape})`, async () => {
        const kc = on.kc();
        // x = [("a", 1), ("b", 4)]; y = [("a", 2)]; sorted(x.cogroup(y)) == [('a', ([1], [2])), ('b', ([4], []))]
        const y = kc.parallelize<Row>([['a', 2]], n);
        assert.deepEqual(sorted(await kc.parallelize(X, n).cogroup(y, out).collect()), [
          ['a', [[1], [2]]],
          ['b', [[4], []]],
        ]);
      });

      test(`subtractByKey drops keys present in the other (${shape})`, async () => {
        const kc = on.kc();
        // x = [("a", 1), ("b", 4), ("b", 5), ("a", 2)]; y = [("a", 3), ("c", None)]
        // sorted(x.subtractByKey(y).collect()) == [('b', 4), ('b', 5)]
        const x = kc.parallelize<Row>(
          [
            ['a', 1],
            ['b', 4],
            ['b', 5],
            ['a', 2],
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
        assert.deepEqual(sorted(await x.subtractByKey(y, out).collect()), [
          ['b', 4],
          ['b', 5],
        ]);
      });
    }

    test(`a many-to-many join gives the product of matches per key (${n} partitions)`, async () => {
      const kc = on.kc();
      const left = kc.parallelize(
        Array.from({ length: 30 }, (_, i): Row => [`k${i % 5}`, i]),
        n,
      );
      const right = kc.parallelize(
        Array.from({ length: 12 }, (_, i): Row => [`k${i % 4}`, 100 + i]),
        7,
      );
      const expected: [string, [number, number]][] = [];
      for (let i = 0; i < 30; i++) {
        for (let j = 0; j < 12; j++) if (i % 5 === j % 4) expected.push([`k${i % 5}`, [i, 100 + j]]);
      }
      assert.deepEqual(sorted(await left.join(right).collect()), sorted(expected));
      assert.equal(
        await left
          .leftOuterJoin(right)
          .filter(([, [, w]]) => w === null)
          .count(),
        6,
      );
    });

    test(`joining datasets already partitioned alike needs no new shuffle and matches (${n} partitions)`, async () => {
      const kc = on.kc();
      const left = kc
        .parallelize(
          Array.from({ length: 20 }, (_, i): Row => [`k${i % 6}`, i]),
          n,
        )
        .partitionBy(3);
      const right = kc
        .parallelize(
          Array.from({ length: 6 }, (_, i): Row => [`k${i}`, 100 + i]),
          2,
        )
        .partitionBy(3);
      const joined = left.join(right);
      assert.equal(joined.getNumPartitions(), 3);
      const expected = Array.from({ length: 20 }, (_, i): [string, [number, number]] => [
        `k${i % 6}`,
        [i, 100 + (i % 6)],
      ]);
      assert.deepEqual(sorted(await joined.collect()), sorted(expected));
      const shuffleStages = joined.explain().match(/shuffle-map writes/g) ?? [];
      assert.equal(shuffleStages.length, 2, `only the two partitionBy shuffles:\n${joined.explain()}`);
      assert.equal(kc.lastJobMetrics?.stagesRun, 3);
    });
  }
});
