import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobFailedError, KindlingError, PlanError, type RDD } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, rejectsWith } from './helpers.js';

/**
 * Numeric actions, isEmpty and histogram against the PySpark docstrings (issue 12), on every backend and partition
 * count; stats() also against a direct two-pass computation on seeded data.
 */

onEveryBackend('numeric actions match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    test(`mean, variance, stdev and their sample forms (${n} partitions)`, async () => {
      const rdd = on.kc().parallelize([1, 2, 3], n);
      // sc.parallelize([1, 2, 3]).mean() == 2.0; .variance() == 0.666…; .stdev() == 0.816…
      assert.equal(await rdd.mean(), 2);
      assert.ok(Math.abs((await rdd.variance()) - 2 / 3) < 1e-15);
      assert.ok(Math.abs((await rdd.stdev()) - 0.816496580927726) < 1e-15);
      // .sampleVariance() == 1.0; .sampleStdev() == 1.0
      assert.equal(await rdd.sampleVariance(), 1);
      assert.equal(await rdd.sampleStdev(), 1);
    });

    test(`max and min, with and without a key (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([1.0, 5.0, 43.0, 10.0]).max() == 43.0; .max(key=str) == 5.0
      const rdd = kc.parallelize([1.0, 5.0, 43.0, 10.0], n);
      assert.equal(await rdd.max(), 43);
      assert.equal(await rdd.max((x) => String(x)), 5);
      // sc.parallelize([2.0, 5.0, 43.0, 10.0]).min() == 2.0; .min(key=str) == 10.0
      const other = kc.parallelize([2.0, 5.0, 43.0, 10.0], n);
      assert.equal(await other.min(), 2);
      assert.equal(await other.min((x) => String(x)), 10);
      assert.equal(await kc.parallelize(['pear', 'apple', 'fig'], n).max(), 'pear');
      await rejectsWith(kc.parallelize([], n).max(), KindlingError, 'ERR_EMPTY_DATASET');
      await rejectsWith(kc.parallelize([], n).min(), KindlingError, 'ERR_EMPTY_DATASET');
    });

    test(`sum and isEmpty (${n} partitions)`, async () => {
      const kc = on.kc();
      // sc.parallelize([1.0, 2.0, 3.0]).sum() == 6.0
      assert.equal(await kc.parallelize([1.0, 2.0, 3.0], n).sum(), 6);
      assert.equal(await kc.parallelize<number>([], n).sum(), 0);
      // sc.parallelize(['1', '2']).sum() raises TypeError; `+` used to join them into '00102' here.
      const strings = kc.parallelize(['1', '2'], n) as unknown as RDD<number>;
      const error = await rejectsWith(strings.sum(), JobFailedError, 'ERR_JOB_FAILED');
      assert.match(error.message, /\(sum\), partition \d+ failed .*sum\(\) expects numbers, found string [12]$/);
      const bigints = kc.parallelize([1n, 2n], n) as unknown as RDD<number>;
      await rejectsWith(bigints.sum(), JobFailedError, 'ERR_JOB_FAILED');
      // sc.emptyRDD().isEmpty() == True; sc.parallelize([1]).isEmpty() == False
      assert.equal(await kc.emptyRDD().isEmpty(), true);
      assert.equal(await kc.parallelize([1], n).isEmpty(), false);
      assert.equal(
        await kc
          .parallelize([1, 2, 3], n)
          .filter((x) => x > 5)
          .isEmpty(),
        true,
      );
    });

    test(`histogram with a bucket count and with boundaries (${n} partitions)`, async () => {
      const kc = on.kc();
      const rdd = kc.parallelize(
        Array.from({ length: 51 }, (_, i) => i),
        n,
      );
      // rdd = sc.parallelize(range(51)); rdd.histogram(2) == ([0, 25, 50], [25, 26])
      assert.deepEqual(await rdd.histogram(2), [
        [0, 25, 50],
        [25, 26],
      ]);
      // rdd.histogram([0, 5, 25, 50]) == ([0, 5, 25, 50], [5, 20, 26])
      assert.deepEqual(await rdd.histogram([0, 5, 25, 50]), [
        [0, 5, 25, 50],
        [5, 20, 26],
      ]);
      // rdd.histogram([0, 15, 30, 45, 60]) == ([0, 15, 30, 45, 60], [15, 15, 15, 6])
      assert.deepEqual(await rdd.histogram([0, 15, 30, 45, 60]), [
        [0, 15, 30, 45, 60],
        [15, 15, 15, 6],
      ]);
      // sc.parallelize(["ab", "ac", "b", "bd", "ef"]).histogram(("a", "b", "c")) == (("a", "b", "c"), [2, 2])
      assert.deepEqual(await kc.parallelize(['ab', 'ac', 'b', 'bd', 'ef'], n).histogram(['a', 'b', 'c']), [
        ['a', 'b', 'c'],
        [2, 2],
      ]);
      // Equal min and max: one bucket; NaN and null are not counted.
      assert.deepEqual(await kc.parallelize([7, 7, NaN, null as unknown as number], n).histogram(3), [[7, 7], [2]]);
      await assert.rejects(kc.parallelize([1], n).histogram([2, 1]), PlanError);
    });
  }

  test('stats() equals a two-pass computation on seeded data, merged over any partitioning', async () => {
    const kc = on.kc();
    // Values far from 0 with a small spread: summing squares would lose every digit of the variance.
    const values = Array.from({ length: 999 }, (_, i) => 1e9 + ((i * 7919) % 1000) / 10);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const m2 = values.reduce((a, x) => a + (x - mean) ** 2, 0);
    for (const n of [1, 3, 16]) {
      const s = await kc.parallelize(values, n).stats();
      assert.equal(s.count, 999);
      assert.ok(Math.abs(s.mean - mean) < 1e-6, `mean ${s.mean} vs ${mean}`);
      assert.ok(Math.abs(s.variance - m2 / 999) / (m2 / 999) < 1e-9, `variance ${s.variance} vs ${m2 / 999}`);
      assert.ok(Math.abs(s.sampleVariance - m2 / 998) / (m2 / 998) < 1e-9);
      assert.equal(s.max, Math.max(...values));
      assert.equal(s.min, Math.min(...values));
    }
    // As Spark's StatCounter: an empty dataset has count 0, mean 0, max -Infinity, min Infinity, NaN variances.
    const empty = await kc.parallelize<number>([], 2).stats();
    assert.deepEqual([empty.count, empty.mean, empty.sum, empty.max, empty.min], [0, 0, 0, -Infinity, Infinity]);
    assert.ok(Number.isNaN(empty.variance) && Number.isNaN(empty.sampleVariance) && Number.isNaN(empty.stdev));
    assert.ok(Number.isNaN((await kc.parallelize([5], 1).stats()).sampleVariance));
    await assert.rejects(kc.parallelize(['x' as unknown as number], 1).stats(), /stats\(\) expects numbers/);
  });

  test('empty and one-record datasets give what Spark 3.5 gives (checked with PySpark 3.5.9)', async () => {
    const kc = on.kc();
    const moments = async (rdd: RDD<number>) => [
      await rdd.mean(),
      await rdd.variance(),
      await rdd.stdev(),
      await rdd.sampleVariance(),
      await rdd.sampleStdev(),
    ];
    // sc.emptyRDD().mean() (and stats(), variance() …): ValueError: Can not reduce() empty RDD
    for (const operation of ['stats', 'mean', 'variance', 'stdev', 'sampleVariance', 'sampleStdev'] as const) {
      const none = kc.emptyRDD<number>().filter((x) => x > 0);
      const error = await rejectsWith(none[operation](), KindlingError, 'ERR_EMPTY_DATASET');
      assert.match(error.message, new RegExp(`^${operation}\\(\\) needs a dataset of at least one partition`));
    }
    // sc.parallelize([], 2): mean 0.0, the rest nan; stats() (count: 0, mean: 0.0, stdev: nan, max: -inf, min: inf)
    assert.deepEqual(await moments(kc.parallelize<number>([], 2)), [0, NaN, NaN, NaN, NaN]);
    // sc.parallelize([5.0], 2): mean 5.0, variance 0.0, stdev 0.0, sampleVariance nan, sampleStdev nan
    assert.deepEqual(await moments(kc.parallelize([5], 2)), [5, 0, 0, NaN, NaN]);
    const one = await kc.parallelize([5], 2).stats();
    assert.deepEqual([one.count, one.mean, one.sum, one.max, one.min], [1, 5, 5, 5, 5]);
    // sum() of no partitions is 0, as Spark's fold; histogram keeps its own message
    assert.equal(await kc.emptyRDD<number>().sum(), 0);
    const histogram = await rejectsWith(kc.emptyRDD<number>().histogram(2), KindlingError, 'ERR_EMPTY_DATASET');
    assert.match(histogram.message, /^histogram\(\) needs at least one number/);
  });
});
