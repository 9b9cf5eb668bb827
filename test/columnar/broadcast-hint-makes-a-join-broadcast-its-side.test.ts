// hint('broadcast') (Spark's broadcast hint): a join reading the hinted side broadcasts it whatever its estimated
// size (an RDD's rows have none) and the context's broadcastJoinBytesMax (0 turns size-based broadcasts off), where
// the join type allows it (not the left side of a left join); the answer is the shuffled join's, on a seeded table
// with nulls over several partitions. Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, col, type Row } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('broadcast-hint-makes-a-join-broadcast-its-side');
const sorted = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).sort();

test(`a broadcast hint broadcasts the hinted side, with the shuffled join's answer (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
  try {
    const maybe = <T>(value: () => T): T | null => (rng.nextInt(6) === 0 ? null : value());
    const facts = Array.from({ length: 400 }, (_, i) => ({ id: maybe(() => rng.nextInt(50)), n: i }));
    const dims = Array.from({ length: 40 }, (_, i) => ({ id: maybe(() => i), name: `d${i}` }));
    // Rows of RDDs: no size estimate, so only the hint can make a broadcast.
    const left = kc.parallelize(facts, 3).toDataset();
    const right = kc.parallelize(dims, 2).toDataset();
    for (const how of ['inner', 'left', 'semi', 'anti'] as const) {
      const shuffled = left.join(right, 'id', how);
      assert.match(shuffled.explain(), /shuffled-hash join/);
      const hinted = left.join(right.filter(col('name').isNotNull()).hint('broadcast'), 'id', how);
      assert.match(hinted.explain(), new RegExp(`broadcast-hash join ${how} on \\[id\\], build side right`));
      assert.match(hinted.explain(), /hint broadcast/);
      assert.deepEqual(sorted(await hinted.collect()), sorted(await shuffled.collect()), how);
    }
    // The left side of an inner join may be broadcast; of a left join it may not (its unmatched rows are kept).
    assert.match(
      left.hint('broadcast').join(right, 'id').explain(),
      /broadcast-hash join inner on \[id\], build side left/,
    );
    assert.match(left.hint('broadcast').join(right, 'id', 'left').explain(), /shuffled-hash join left/);
    assert.deepEqual(
      sorted(await left.hint('broadcast').join(right, 'id').collect()),
      sorted(await left.join(right, 'id').collect()),
    );
    // A cached hinted side keeps its hint.
    const cachedRight = right.hint('mapjoin').cache();
    assert.match(left.join(cachedRight, 'id').explain(), /broadcast-hash join inner on \[id\], build side right/);
    assert.throws(() => right.hint('merge' as never), PlanError);
  } finally {
    await kc.stop();
  }
});
