import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlanError } from '../../src/index.js';
import { PARTITION_COUNTS, onEveryBackend, sorted, throwsWith } from './helpers.js';

/**
 * coalesce, repartition and partitionBy change how records are spread, never which records there are. Where Spark
 * defines the layout (coalesce without a shuffle merges neighbours; partitionBy hashes), it is checked too.
 */

const HUNDRED = Array.from({ length: 100 }, (_, i) => i);

onEveryBackend('repartitioning keeps every record', (on) => {
  test('coalesce merges neighbouring partitions like Spark', async () => {
    const kc = on.kc();
    // sc.parallelize([1, 2, 3, 4, 5], 3).coalesce(1).glom().collect() == [[1, 2, 3, 4, 5]]
    assert.deepEqual(await kc.parallelize([1, 2, 3, 4, 5], 3).coalesce(1).glom().collect(), [[1, 2, 3, 4, 5]]);
    // Without locality, output partition i takes parents [i*7/2, (i+1)*7/2): [0..2] and [3..6].
    const merged = await kc.range(0, 14, 1, 7).coalesce(2).glom().collect();
    assert.deepEqual(merged, [
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11, 12, 13],
    ]);
  });

  for (const n of PARTITION_COUNTS) {
    for (const target of PARTITION_COUNTS) {
      test(`coalesce(${target}) of ${n} partitions keeps order and never grows without a shuffle`, async () => {
        const coalesced = on.kc().parallelize(HUNDRED, n).coalesce(target);
        assert.equal(coalesced.getNumPartitions(), Math.min(n, target));
        assert.deepEqual(await coalesced.collect(), HUNDRED);
        const glommed = await coalesced.glom().collect();
        assert.equal(glommed.length, Math.min(n, target));
      });

      test(`coalesce(${target}, shuffle) and repartition(${target}) of ${n} partitions keep the multiset`, async () => {
        const kc = on.kc();
        const words = HUNDRED.map((i) => `w${i % 17}`);
        for (const reshaped of [
          kc.parallelize(words, n).repartition(target),
          kc.parallelize(words, n).coalesce(target, true),
        ]) {
          assert.equal(reshaped.getNumPartitions(), target);
          const glommed = await reshaped.glom().collect();
          assert.equal(glommed.length, target);
          assert.deepEqual(sorted(glommed.flat()), sorted(words));
          if (target > 1) {
            // Spark deals records round-robin, so with 100 records no output partition stays empty.
            assert.ok(
              glommed.every((p) => p.length > 0),
              `sizes ${glommed.map((p) => p.length).join(',')}`,
            );
          }
        }
      });

      test(`partitionBy(${target}) of ${n} partitions puts each key in exactly one partition`, async () => {
        const kc = on.kc();
        // pairs = sc.parallelize([1, 2, 3, 4, 2, 4, 1]).map(lambda x: (x, x)); sets = pairs.partitionBy(2).glom()
        // len(set(sets[0]).intersection(set(sets[1]))) == 0
        const pairs = kc.parallelize([1, 2, 3, 4, 2, 4, 1], n).map((x) => [x, x] as [number, number]);
        const partitioned = pairs.partitionBy(target);
        assert.equal(partitioned.getNumPartitions(), target);
        const glommed = await partitioned.glom().collect();
        assert.equal(glommed.length, target);
        const home = new Map<number, number>();
        glommed.forEach((records, index) => {
          for (const [k] of records) {
            assert.equal(home.get(k) ?? index, index, `key ${k} found in two partitions`);
            home.set(k, index);
          }
        });
        assert.deepEqual(sorted(glommed.flat()), sorted(await pairs.collect()));
        on.agree(`partitionBy(${target}) of ${n}: key homes`, sorted([...home.entries()]));
      });
    }
  }

  test('partitionBy to the partitioning a dataset already has is a no-op', () => {
    const partitioned = on
      .kc()
      .parallelize<[string, number]>([['a', 1]], 2)
      .partitionBy(3);
    assert.equal(partitioned.partitionBy(3), partitioned);
    assert.notEqual(partitioned.partitionBy(2), partitioned);
  });

  test('repartition and coalesce refuse partition counts that are not positive integers', () => {
    const rdd = on.kc().range(0, 10);
    for (const bad of [0, -1, 1.5, 'x']) {
      throwsWith(() => rdd.repartition(bad as number), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
      throwsWith(() => rdd.coalesce(bad as number), PlanError, 'ERR_PLAN_INVALID_ARGUMENT');
    }
  });
});
