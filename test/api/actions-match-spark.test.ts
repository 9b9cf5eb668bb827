import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KindlingError } from '../../src/index.js';
import {
  PARTITION_COUNTS,
  onEveryBackend,
  rejectsWith,
  sharedCounters,
  sorted,
  sortedEntries,
  temporaryDirectory,
} from './helpers.js';

/** Actions against the PySpark docstrings, on every backend and partition count. */

type Row = [string, number];

onEveryBackend('actions match Spark', (on) => {
  const dir = temporaryDirectory('actions');

  for (const n of PARTITION_COUNTS) {
    test(`collect and count after parallelize keep the input (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([2, 3, 4]).count() == 3
      assert.equal(await kc.parallelize([2, 3, 4], n).count(), 3);
      assert.deepEqual(await kc.parallelize([2, 3, 4], n).collect(), [2, 3, 4]);
      const mixed = ['x', 1, null, true, [1, 'a'], { k: 'v' }, 2.5, -3];
      assert.deepEqual(await kc.parallelize(mixed, n).collect(), mixed);
      assert.equal(await kc.parallelize([], n).count(), 0);
      // sc.parallelize([1, 2, 3, 4], 2).getNumPartitions() == 2
      assert.equal(kc.parallelize([1, 2, 3, 4], n).getNumPartitions(), n);
    });

    test(`first and take read records in order (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([2, 3, 4]).first() == 2
      assert.equal(await kc.parallelize([2, 3, 4], n).first(), 2);
      // sc.parallelize([2, 3, 4, 5, 6]).cache().take(2) == [2, 3]
      assert.deepEqual(await kc.parallelize([2, 3, 4, 5, 6], n).cache().take(2), [2, 3]);
      // sc.parallelize([2, 3, 4, 5, 6]).take(10) == [2, 3, 4, 5, 6]
      assert.deepEqual(await kc.parallelize([2, 3, 4, 5, 6], n).take(10), [2, 3, 4, 5, 6]);
      assert.deepEqual(await kc.parallelize([2, 3, 4, 5, 6], n).take(0), []);
      // A take that needs records from several partitions, past empty ones.
      assert.deepEqual(
        await kc.range(0, 30, 1, n).take(20),
        Array.from({ length: 20 }, (_, i) => i),
      );
      assert.deepEqual(
        await kc
          .range(0, 70, 1, n)
          .filter((x) => x >= 60)
          .take(5),
        [60, 61, 62, 63, 64],
      );
    });

    test(`reduce and fold merge every record (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([1, 2, 3, 4, 5]).reduce(add) == 15
      assert.equal(await kc.parallelize([1, 2, 3, 4, 5], n).reduce((a, b) => a + b), 15);
      // sc.parallelize((2 for _ in range(10))).map(lambda x: 1).cache().reduce(add) == 10
      const ones = kc
        .parallelize(
          Array.from({ length: 10 }, () => 2),
          n,
        )
        .map(() => 1)
        .cache();
      assert.equal(await ones.reduce((a, b) => a + b), 10);
      // sc.parallelize([1, 2, 3, 4, 5]).fold(0, add) == 15
      assert.equal(await kc.parallelize([1, 2, 3, 4, 5], n).fold(0, (a, b) => a + b), 15);
      // Spark folds every partition from the zero, and the partition results from the zero again.
      assert.equal(await kc.parallelize([1, 2, 3, 4, 5], n).fold(1, (a, b) => a + b), 15 + n + 1);
      assert.equal(await kc.parallelize<number>([], n).fold(0, (a, b) => a + b), 0);
      assert.equal(await kc.parallelize(['b', 'c', 'a'], n).reduce((a, b) => (a < b ? a : b)), 'a');
    });

    test(`aggregate with a (sum, count) zero (${n} partitions)`, async () => {
      const kc = on.kc();
      // seqOp = lambda x, y: (x[0] + y, x[1] + 1); combOp = lambda x, y: (x[0] + y[0], x[1] + y[1])
      // sc.parallelize([1, 2, 3, 4]).aggregate((0, 0), seqOp, combOp) == (10, 4)
      const seqOp = (acc: [number, number], x: number): [number, number] => [acc[0] + x, acc[1] + 1];
      const combOp = (a: [number, number], b: [number, number]): [number, number] => [a[0] + b[0], a[1] + b[1]];
      assert.deepEqual(await kc.parallelize([1, 2, 3, 4], n).aggregate([0, 0], seqOp, combOp), [10, 4]);
      // sc.parallelize([]).aggregate((0, 0), seqOp, combOp) == (0, 0)
      assert.deepEqual(await kc.parallelize<number>([], n).aggregate([0, 0], seqOp, combOp), [0, 0]);
    });

    test(`fold and aggregate give every partition its own copy of a mutable zero (${n} partitions)`, async () => {
      const kc = on.kc();
      const zero: number[] = [];
      const folded = await kc.parallelize([[1], [2], [3]], n).fold(zero, (acc, x) => {
        acc.push(...x);
        return acc;
      });
      assert.deepEqual(sorted(folded), [1, 2, 3]);
      const aggregated = await kc.parallelize([1, 2, 3], n).aggregate(
        zero,
        (acc, x) => {
          acc.push(x);
          return acc;
        },
        (a, b) => a.concat(b),
      );
      assert.deepEqual(sorted(aggregated), [1, 2, 3]);
      assert.deepEqual(zero, [], "the caller's zero is left as it was");
    });

    test(`foreach and foreachPartition run in the tasks, with visible effects (${n} partitions)`, async () => {
      const kc = on.kc();
      const total = sharedCounters(2);
      await kc.parallelize([1, 2, 3, 4, 5], n).foreach(
        (x) => {
          Atomics.add(total, 0, x);
          Atomics.add(total, 1, 1);
        },
        { total },
      );
      assert.deepEqual([...total], [15, 5]);
      const seen = sharedCounters(2);
      await kc.range(0, 10, 1, n).foreachPartition(
        (records) => {
          let count = 0;
          for (const _ of records) count++;
          Atomics.add(seen, 0, 1);
          Atomics.add(seen, 1, count);
        },
        { seen },
      );
      assert.deepEqual([...seen], [n, 10], 'one call per partition, every record seen once');
    });

    test(`foreachPartition can write a file per partition (${n} partitions)`, async () => {
      const kc = on.kc();
      const out = join(dir(), `${on.backend.name}-${n}`);
      mkdirSync(out);
      const writer = kc.fn(new URL('./partition-file-writer.js', import.meta.url), 'writePartitionFile');
      await kc
        .range(0, 12, 1, n)
        .map((x) => [out, x] as [string, number], { out })
        .foreachPartition(writer);
      const files = readdirSync(out);
      assert.equal(files.length, Math.min(n, 12), 'one file per non-empty partition');
      const written = files.flatMap((f) => JSON.parse(readFileSync(join(out, f), 'utf8')) as number[]);
      assert.deepEqual(
        sorted(written),
        Array.from({ length: 12 }, (_, i) => i),
      );
    });

    test(`countByKey, countByValue and collectAsMap (${n} partitions)`, async () => {
      const kc = on.kc();
      // sorted(sc.parallelize([("a", 1), ("b", 1), ("a", 1)]).countByKey().items()) == [('a', 2), ('b', 1)]
      const ones = kc.parallelize<Row>(
        [
          ['a', 1],
          ['b', 1],
          ['a', 1],
        ],
        n,
      );
      assert.deepEqual(sortedEntries(await ones.countByKey()), [
        ['a', 2],
        ['b', 1],
      ]);
      // sorted(sc.parallelize([1, 2, 1, 2, 2], 2).countByValue().items()) == [(1, 2), (2, 3)]
      assert.deepEqual(sortedEntries(await kc.parallelize([1, 2, 1, 2, 2], n).countByValue()), [
        [1, 2],
        [2, 3],
      ]);
      // m = sc.parallelize([(1, 2), (3, 4)]).collectAsMap(); m[1] == 2; m[3] == 4
      const m = await kc
        .parallelize<[number, number]>(
          [
            [1, 2],
            [3, 4],
          ],
          n,
        )
        .collectAsMap();
      assert.ok(m instanceof Map);
      assert.equal(m.get(1), 2);
      assert.equal(m.get(3), 4);
      assert.equal(m.size, 2);
    });

    test(`lookup finds the values of a key, scanning one partition when hash-partitioned (${n} partitions)`, async () => {
      const kc = on.kc();
      // l = range(1000); rdd = sc.parallelize(zip(l, l), 10); rdd.lookup(42) == [42]
      const l = Array.from({ length: 1000 }, (_, i): [number, number] => [i, i]);
      const rdd = kc.parallelize(l, n);
      assert.deepEqual(await rdd.lookup(42), [42]);
      // sorted = rdd.sortByKey(); sorted.lookup(42) == [42]; sorted.lookup(1024) == []
      const sortedRdd = rdd.sortByKey();
      assert.deepEqual(await sortedRdd.lookup(42), [42]);
      assert.deepEqual(await sortedRdd.lookup(1024), []);
      // rdd2 = sc.parallelize([(('a', 'b'), 'c')]).groupByKey(); list(rdd2.lookup(('a', 'b'))[0]) == ['c']
      const rdd2 = kc.parallelize<[[string, string], string]>([[['a', 'b'], 'c']], n).groupByKey();
      assert.deepEqual(await rdd2.lookup(['a', 'b']), [['c']]);
      const partitioned = kc
        .parallelize<Row>(
          [
            ['a', 1],
            ['b', 2],
            ['a', 3],
          ],
          n,
        )
        .partitionBy(n);
      assert.equal(await partitioned.count(), 3, 'runs the shuffle once, so the lookup job reuses it');
      assert.deepEqual(sorted(await partitioned.lookup('a')), [1, 3]);
      assert.equal(kc.lastJobMetrics?.taskAttempts, 1, 'a hash-partitioned lookup runs one task');
    });

    test(`first and reduce of an empty dataset reject with ERR_EMPTY_DATASET (${n} partitions)`, async () => {
      const kc = on.kc();
      const empty = kc.parallelize<number>([], n);
      const noFirst = await rejectsWith(empty.first(), KindlingError, 'ERR_EMPTY_DATASET');
      assert.match(noFirst.message, /first\(\)/);
      const noReduce = await rejectsWith(
        empty.reduce((a, b) => a + b),
        KindlingError,
        'ERR_EMPTY_DATASET',
      );
      assert.match(noReduce.message, /reduce\(\)/);
      await rejectsWith(
        kc
          .range(0, 10, 1, n)
          .filter((x) => x > 100)
          .first(),
        KindlingError,
        'ERR_EMPTY_DATASET',
      );
    });
  }

  test('actions on emptyRDD', async () => {
    const empty = on.kc().emptyRDD<number>();
    assert.deepEqual(await empty.collect(), []);
    assert.equal(await empty.count(), 0);
    assert.deepEqual(await empty.take(3), []);
    assert.equal(await empty.fold(0, (a, b) => a + b), 0);
    await rejectsWith(empty.first(), KindlingError, 'ERR_EMPTY_DATASET');
  });
});
