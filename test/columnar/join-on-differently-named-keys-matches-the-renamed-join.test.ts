// join(other, { leftOn, rightOn }, how) (Polars' names; Spark's `a.id == b.userId`): keys named differently on the
// two sides give the rows of the same join after renaming the right's keys to the left's names, for every join type,
// through a shuffle, a broadcast and a co-located join of cached sides, on seeded tables with null keys over several
// partitions; two keys, one int32 on the left and float64 on the right (widened as a same-name join's).
// Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, col, type Dataset, type Row } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('join-on-differently-named-keys-matches-the-renamed-join');
const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

test(`a join on { leftOn, rightOn } gives the renamed same-name join's rows (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  for (const broadcastJoinBytesMax of [0, 1 << 20]) {
    const kc = new Context({ threads: 2, broadcastJoinBytesMax });
    try {
      const maybe = <T>(value: () => T): T | null => (rng.nextInt(6) === 0 ? null : value());
      const n = 200;
      const left = kc
        .fromColumns(
          {
            id: Array.from({ length: n }, () => maybe(() => rng.nextInt(30))),
            day: Array.from({ length: n }, () => maybe(() => ['mon', 'tue'][rng.nextInt(2)]!)),
            x: Array.from({ length: n }, (_, i) => i),
          },
          { numPartitions: 3 },
        )
        .withColumn('id', col('id').cast('int32'));
      const right = kc.fromColumns(
        {
          userId: Array.from({ length: 80 }, () => maybe(() => rng.nextInt(40))),
          weekday: Array.from({ length: 80 }, () => maybe(() => ['mon', 'tue', 'wed'][rng.nextInt(3)]!)),
          y: Array.from({ length: 80 }, (_, i) => i * 10),
        },
        { numPartitions: 2 },
      );
      const renamed = right.withColumnsRenamed({ userId: 'id', weekday: 'day' });
      for (const [l, r, rr, at] of [
        [left, right, renamed, 'fresh'],
        [left.cache(), right.cache(), renamed.cache(), 'cached'],
      ] as [Dataset, Dataset, Dataset, string][]) {
        if (at === 'cached') await Promise.all([l.count(), r.count(), rr.count()]);
        for (const how of ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const) {
          const on = { leftOn: ['id', 'day'], rightOn: ['userId', 'weekday'] };
          const got = await l.join(r, on, how).collect();
          const want = await l.join(rr, ['id', 'day'], how).collect();
          assert.deepEqual(sorted(got), sorted(want), `${how}, ${at}, broadcastJoinBytesMax ${broadcastJoinBytesMax}`);
        }
        assert.match(l.join(r, { leftOn: 'id', rightOn: 'userId' }).explain(), /join inner on \[id = userId\]/);
      }
      assert.throws(() => left.join(right, { leftOn: ['id', 'day'], rightOn: ['userId'] }), PlanError);
      assert.throws(() => left.join(right, { leftOn: 'id' } as never), /leftOn, rightOn/);
    } finally {
      await kc.stop();
    }
  }
});
