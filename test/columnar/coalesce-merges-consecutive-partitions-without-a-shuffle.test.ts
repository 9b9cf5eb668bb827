// `coalesce(n)` (Spark's narrow coalesce): at most n partitions, each a run of consecutive input partitions read in
// order, no shuffle; the rows and every later operator's answer as without it; over a cached dataset too; n at or
// above the partition count leaves the dataset as it is. Found missing trying the API as a Spark user (fewer
// output files after a selective filter).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col, count, sum } from '../../src/index.js';

test('coalesce(n) merges consecutive partitions in order, keeps every row and shuffles nothing', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const rows = 100;
    const ds = kc.fromColumns(
      { k: Int32Array.from({ length: rows }, (_, i) => i % 7), v: Float64Array.from({ length: rows }, (_, i) => i) },
      { numPartitions: 5 },
    );
    const filtered = ds.filter(col('v').ge(10));
    const merged = filtered.coalesce(2);
    assert.equal(merged.getNumPartitions(), 2);
    const parts = (await merged.toRDD().glom().collect()) as { v: number }[][];
    // Partitions 0–2 (rows 10–59) then 3–4 (rows 60–99), each in row order.
    assert.deepEqual(
      parts.map((part) => part.map((r) => r.v)),
      [Array.from({ length: 50 }, (_, i) => i + 10), Array.from({ length: 40 }, (_, i) => i + 60)],
    );
    assert.doesNotMatch(merged.explain(), /shuffle/);
    const answer = (d: typeof ds) => d.groupBy('k').agg(count(), sum('v')).orderBy('k').collect();
    assert.deepEqual(await answer(merged), await answer(filtered));

    const cached = ds.cache();
    assert.equal(await cached.count(), rows);
    const three = cached.coalesce(3);
    assert.deepEqual(
      ((await three.toRDD().glom().collect()) as unknown[][]).map((part) => part.length),
      [40, 40, 20],
    );
    assert.equal(ds.coalesce(5), ds);
    assert.equal(ds.coalesce(9).getNumPartitions(), 5);
    assert.throws(() => ds.coalesce(0), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: /^coalesce\(\): numPartitions must be a positive integer, found 0/,
    });
  } finally {
    await kc.stop();
  }
});
