// union (by position), unionByName (with and without allowMissingColumns), withColumnRenamed, drop and sample,
// against a plain-JS model on seeded random tables with nulls, on both backends and several partition counts;
// sample against the RDD sample (same seed, same partitions: the same rows). Bad input: typed errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, count, PlanError } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('union-rename-drop-sample-match-a-model');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(5) === 0 ? null : value);

const left = Array.from({ length: 300 }, (_, i) => ({
  id: i,
  k: maybe(['a', 'b', 'é', ''][rng.nextInt(4)]!),
  x: maybe((rng.nextInt(401) - 200) / 4),
}));
/** Other names, same types by position; `x` holds only integers (int32 blocks), widened to float64 by union. */
const right = Array.from({ length: 200 }, (_, i) => ({
  rid: 1000 + i,
  name: maybe(['b', 'c', '😀'][rng.nextInt(3)]!),
  amount: maybe(rng.nextInt(50) - 25),
}));

onEveryBackend('union, unionByName, withColumnRenamed, drop, sample', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    const l = () => on.kc().parallelize(left, partitions).toDataset();
    const r = () =>
      on
        .kc()
        .parallelize(right, Math.max(1, partitions - 1))
        .toDataset();

    test(`union matches columns by position and keeps the left's names (${partitions} partitions)`, async () => {
      const got = await l().union(r()).collect();
      const expected = [...left, ...right.map((row) => ({ id: row.rid, k: row.name, x: row.amount }))];
      assert.deepEqual(got, expected);
      assert.equal(await l().union(r()).count(), left.length + right.length);
      // A union of unions, and a union feeding an aggregation's shuffle.
      const three = await l()
        .union(r())
        .union(l().select('id', 'k', 'x'))
        .count();
      assert.equal(three, 2 * left.length + right.length);
      const counts = new Map<string | null, number>();
      for (const k of [...left.map((row) => row.k), ...right.map((row) => row.name)]) {
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const byK = await l().union(r()).groupBy('k').agg(count()).collect();
      assert.deepEqual(new Map(byK.map((row) => [row['k'], row['count']])), counts);
    });

    test(`unionByName matches names, fills missing columns with nulls when asked (${partitions} partitions)`, async () => {
      const reordered = l().select('x', 'id', 'k');
      const same = await l().unionByName(reordered).collect();
      assert.deepEqual(same, [...left, ...left]);
      const other = r().withColumnRenamed('rid', 'id').withColumnRenamed('name', 'k').drop('amount');
      const filled = await l().unionByName(other, { allowMissingColumns: true }).collect();
      assert.deepEqual(filled, [...left, ...right.map((row) => ({ id: row.rid, k: row.name, x: null }))]);
      const extra = await other
        .withColumn('more', col('id').mul(2))
        .unionByName(l(), { allowMissingColumns: true })
        .collect();
      assert.deepEqual(extra, [
        ...right.map((row) => ({ id: row.rid, k: row.name, more: row.rid * 2, x: null })),
        ...left.map((row) => ({ id: row.id, k: row.k, more: null, x: row.x })),
      ]);
      await assert.rejects(
        l().unionByName(other).collect(),
        (e: unknown) =>
          e instanceof PlanError && /'x' only on the left/.test(e.message) && /allowMissingColumns/.test(e.message),
      );
    });

    test(`withColumnRenamed and drop reshape every row; unknown names change nothing (${partitions} partitions)`, async () => {
      const got = await l().withColumnRenamed('k', 'key').withColumnRenamed('nope', 'z').drop('x', 'nope').collect();
      assert.deepEqual(
        got,
        left.map((row) => ({ id: row.id, key: row.k })),
      );
      const filtered = await l().withColumnRenamed('x', 'v').filter(col('v').gt(0)).select('v').collect();
      assert.deepEqual(
        filtered,
        left.filter((row) => row.x !== null && row.x > 0).map((row) => ({ v: row.x })),
      );
    });

    test(`sample draws the RDD sample's rows for the same seed and partitions (${partitions} partitions)`, async () => {
      for (const withReplacement of [false, true]) {
        const fraction = withReplacement ? 1.5 : 0.3;
        const got = await l()
          .sample(fraction, { seed: seed + 1, withReplacement })
          .collect();
        const rdd = await on
          .kc()
          .parallelize(left, partitions)
          .sample(withReplacement, fraction, seed + 1)
          .collect();
        assert.deepEqual(got, rdd);
        const again = await l()
          .sample(fraction, { seed: seed + 1, withReplacement })
          .collect();
        assert.deepEqual(again, got, 'same seed, same rows');
      }
      assert.equal(await l().sample(0, { seed: 1 }).count(), 0);
      assert.equal(await l().sample(1, { seed: 1 }).count(), left.length);
      const unseeded = l().sample(0.5);
      assert.deepEqual(await unseeded.collect(), await unseeded.collect(), 'the seed is drawn once, at definition');
    });
  }

  test('union refuses different column counts and types that do not widen, naming both sides', async () => {
    const kc = on.kc();
    const a = kc.fromColumns({ n: [1, 2], s: ['x', 'y'] });
    await assert.rejects(
      a.union(kc.fromColumns({ n: [3] })).collect(),
      (e: unknown) =>
        e instanceof PlanError &&
        e.code === 'ERR_PLAN_INVALID_ARGUMENT' &&
        /2 on the left \(n float64, s string\) and 1 on the right \(n float64\)/.test(e.message),
    );
    await assert.rejects(
      a.union(kc.fromColumns({ n: ['3'], s: ['z'] })).collect(),
      (e: unknown) =>
        e instanceof PlanError &&
        // The hint's type is one cast() takes (it once said cast('f64'), which cast() refuses).
        /column 1 \('n' on the left, 'n' on the right\) is float64 on the left and string on the right; cast one side first, e\.g\. right\.withColumn\('n', col\('n'\)\.cast\('float64'\)\)/.test(
          e.message,
        ),
    );
    // Rows infer types per block: a later int32 or float64 block than the probe saw still unions.
    const mixed = kc.parallelize([{ a: 1 }, { a: 2.5 }, { a: 2n ** 40n }], 3).toDataset();
    assert.deepEqual(await mixed.union(kc.parallelize([{ b: 7 }], 1).toDataset()).collect(), [
      { a: 1 },
      { a: 2.5 },
      { a: 2n ** 40n },
      { a: 7 },
    ]);
    // An empty side has no schema to check: the other side's rows pass as they are.
    assert.deepEqual(await a.union(a.filter(col('n').gt(9))).collect(), [
      { n: 1, s: 'x' },
      { n: 2, s: 'y' },
    ]);
    assert.throws(() => a.union('x' as never), PlanError);
    assert.throws(() => a.unionByName(a, { allowMissing: true } as never), /allowMissing/);
    assert.throws(() => a.withColumnRenamed('n', ''), PlanError);
    assert.throws(() => a.drop(3 as never), PlanError);
    assert.throws(() => a.sample(1.5), /expected a fraction in \[0, 1\], found 1\.5/);
    assert.throws(() => a.sample(0.5, { seed: 0.5 }), /seed must be an integer/);
    assert.match(a.union(a).explain(), /conform the right side to the union's columns \(by position\)/);
  });
});
