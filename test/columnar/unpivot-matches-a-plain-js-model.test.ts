// unpivot / melt (Spark's unpivot, Polars' melt) against a plain-JS model on a seeded table with nulls over several
// partitions, read directly and through cache() (ids dictionary-coded): one row per input row and value column, in
// input order then value-column order, ids repeated, the value column's name and its value; int32 and float64
// value columns widen; value columns of different kinds fail naming both and the cast. Found missing trying the
// API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, col } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { PARTITIONS_AND_CACHING, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('unpivot-matches-a-plain-js-model');

test(`unpivot gives one row per row and value column, as a model (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const [partitions, cached] of PARTITIONS_AND_CACHING) {
      const rows = 1500 + rng.nextInt(500);
      const maybe = <T>(value: () => T): T | null => (rng.nextInt(5) === 0 ? null : value());
      const id = Array.from({ length: rows }, () => maybe(() => TRICKY_WORDS[rng.nextInt(4)]!));
      const n = Array.from({ length: rows }, (_, i) => i);
      const q1 = Array.from({ length: rows }, () => maybe(() => rng.nextInt(100)));
      const q2 = Array.from({ length: rows }, () => maybe(() => rng.nextInt(100) / 4));
      const s = Array.from({ length: rows }, () => maybe(() => TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!));
      const source = kc
        .fromColumns({ id, n, q1, q2, s }, { numPartitions: partitions })
        .withColumn('q1', col('q1').cast('int32'));
      const ds = cached ? source.cache() : source;
      const at = `${partitions} partitions${cached ? ', cached' : ''}`;
      const got = await ds.unpivot(['id', 'n'], ['q1', 'q2'], 'quarter', 'amount').collect();
      const want = id.flatMap((key, i) => [
        { id: key, n: i, quarter: 'q1', amount: q1[i] },
        { id: key, n: i, quarter: 'q2', amount: q2[i] },
      ]);
      assert.deepEqual(got, want, at);
      const strings = await ds.melt('n', 's', 'column', 'text').collect();
      assert.deepEqual(
        strings,
        s.map((text, i) => ({ n: i, column: 's', text })),
        at,
      );
      const noIds = await ds.unpivot([], ['s', 'id'], 'k', 'v').count();
      assert.equal(noIds, 2 * rows, at);
    }
  } finally {
    await kc.stop();
  }
});

test('unpivot refuses bad names at once and value columns of different kinds when it runs', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ id: [1, 2], x: [1.5, 2], s: ['a', 'b'] });
    await assert.rejects(
      ds.unpivot('id', ['x', 's'], 'k', 'v').collect(),
      /unpivot\(\): the value columns must share a type, found 'x' float64, 's' string; cast them to one type first, e\.g\. withColumn\('s', col\('s'\)\.cast\('float64'\)\)/,
    );
    assert.throws(() => ds.unpivot('id', [], 'k', 'v'), /at least one value column/);
    assert.throws(() => ds.unpivot('id', ['x'], 'id', 'v'), /column 'id' would appear twice/);
    assert.throws(() => ds.unpivot('id', ['x'], '', 'v'), PlanError);
    await assert.rejects(ds.unpivot('id', ['nope'], 'k', 'v').collect(), /no column 'nope'/);
  } finally {
    await kc.stop();
  }
});
