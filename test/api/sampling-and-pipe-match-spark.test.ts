import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobFailedError, PlanError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, rejectsWith, sorted, throwsWith } from './helpers.js';

/**
 * takeSample, randomSplit, sampleByKey and pipe against the PySpark docstrings (issue 12). Seeded results are not
 * Spark's (another generator) but replay exactly, and agree between backends.
 */

onEveryBackend('sampling and pipe match Spark', (on) => {
  for (const n of PARTITION_COUNTS) {
    test(`takeSample takes num records, at most all without replacement (${n} partitions)`, async () => {
      const rdd = on.kc().range(0, 10, 1, n);
      // len(rdd.takeSample(True, 20, 1)) == 20; len(rdd.takeSample(False, 5, 2)) == 5; (False, 15, 3) -> 10
      const withReplacement = await rdd.takeSample(true, 20, 1);
      assert.equal(withReplacement.length, 20);
      assert.ok(withReplacement.every((x) => x >= 0 && x < 10));
      const five = await rdd.takeSample(false, 5, 2);
      assert.equal(new Set(five).size, 5);
      const all = await rdd.takeSample(false, 15, 3);
      assert.deepEqual(sorted(all), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.deepEqual(await rdd.takeSample(false, 5, 2), five, 'a seed replays');
      on.agree(`takeSample ${n}`, [withReplacement, five, all]);
      assert.deepEqual(await rdd.takeSample(true, 0, 1), []);
      assert.deepEqual(await on.kc().parallelize([], n).takeSample(true, 3, 1), []);
      await assert.rejects(rdd.takeSample(false, -1), PlanError);
    });

    test(`randomSplit splits every record into exactly one part (${n} partitions)`, async () => {
      // rdd = sc.parallelize(range(500), 1); rdd1, rdd2 = rdd.randomSplit([2, 3], 17)
      // len(rdd1.collect() + rdd2.collect()) == 500; 150 < rdd1.count() < 250; 250 < rdd2.count() < 350
      const [rdd1, rdd2] = on.kc().range(0, 500, 1, n).randomSplit([2, 3], 17);
      const one = await rdd1!.collect();
      const two = await rdd2!.collect();
      assert.deepEqual(
        sorted([...one, ...two]),
        Array.from({ length: 500 }, (_, i) => i),
      );
      assert.ok(one.length > 150 && one.length < 250, `${one.length}`);
      assert.ok(two.length > 250 && two.length < 350, `${two.length}`);
      on.agree(`randomSplit ${n}`, one);
      throwsWith(() => on.kc().range(0, 5).randomSplit([]), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    });

    test(`sampleByKey keeps each key's fraction (${n} partitions)`, async () => {
      // fractions = {"a": 0.2, "b": 0.1}; rdd = sc.parallelize(fractions.keys()).cartesian(sc.parallelize(range(0, 1000)))
      // sample = dict(rdd.sampleByKey(False, fractions, 2).groupByKey().collect())
      // 100 < len(sample["a"]) < 300 and 50 < len(sample["b"]) < 150
      const kc = on.kc();
      const rdd = kc.parallelize(['a', 'b'], n).cartesian(kc.range(0, 1000, 1, 2));
      const sample = new Map(await rdd.sampleByKey(false, { a: 0.2, b: 0.1 }, 2).groupByKey().collect());
      const a = sample.get('a') ?? [];
      const b = sample.get('b') ?? [];
      assert.ok(a.length > 100 && a.length < 300, `${a.length}`);
      assert.ok(b.length > 50 && b.length < 150, `${b.length}`);
      // max(sample["a"]) <= 999 and min(sample["a"]) >= 0
      assert.ok(a.every((x) => x >= 0 && x <= 999));
      on.agree(`sampleByKey ${n}`, sorted(a));
      const twice = await rdd
        .sampleByKey(
          true,
          new Map([
            ['a', 2],
            ['b', 0],
          ]),
          5,
        )
        .countByKey();
      assert.ok((twice.get('a') ?? 0) > 1700 && (twice.get('a') ?? 0) < 2300, `${twice.get('a')}`);
      assert.equal(twice.get('b'), undefined);
      const missing = kc.parallelize<[string, number]>([['c', 1]], n).sampleByKey(false, { a: 0.5 }, 1);
      const error = await rejectsWith(missing.count(), JobFailedError, 'ERR_JOB_FAILED');
      assert.match(error.message, /no fraction given for key c/);
    });

    test(`pipe sends each partition through a command (${n} partitions)`, async (t) => {
      if (process.platform === 'win32') {
        t.skip('needs a POSIX shell');
        return;
      }
      const kc = on.kc();
      // sc.parallelize(['1', '2', '', '3']).pipe('cat').collect() == ['1', '2', '', '3']
      assert.deepEqual(await kc.parallelize(['1', '2', '', '3'], n).pipe('cat').collect(), ['1', '2', '', '3']);
      assert.deepEqual(await kc.parallelize([3, 1, 2], 1).pipe('sort -n').collect(), ['1', '2', '3']);
      // The command runs once per partition, even an empty one, and need not read its input.
      assert.deepEqual(await kc.parallelize([1, 2, 3], n).pipe('echo x').collect(), Array(n).fill('x'));
      const env = await kc
        .parallelize([1], 1)
        .pipe('echo "$KINDLING_PIPE_TEST"', { env: { KINDLING_PIPE_TEST: 'hi' } });
      assert.deepEqual(await env.collect(), ['hi']);
      const failing = kc.parallelize(['a'], n).pipe('echo broken >&2; exit 3');
      const error = await rejectsWith(failing.collect(), JobFailedError, 'ERR_JOB_FAILED');
      assert.match(error.message, /pipe\(\): "echo broken >&2; exit 3" exited with status 3 for partition \d+/);
      assert.match(error.message, /standard error ends: broken/);
      assert.deepEqual(
        await kc.parallelize(['a'], 1).pipe('cat; exit 3', { checkCode: false }).collect(),
        ['a'],
        'checkCode: false keeps the output of a failing command',
      );
      throwsWith(() => kc.parallelize(['a']).pipe(''), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    });
  }
});
