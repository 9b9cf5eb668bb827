// `repartition(n, ...columns)` (Spark's name): the same rows in n partitions through a shuffle, all rows of one key
// tuple in one partition; without columns, by a hash of every column. Found missing trying the API as a Spark user
// (a CSV of one big file reads as few splits; repartition spreads a skewed input before heavy per-row work).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';

const SEED = Number(process.env['SEED'] ?? 20261204);

test(`repartition(n, k) keeps every row and puts each key in one partition (SEED=${SEED})`, async () => {
  const kc = new Context({ threads: 2 });
  try {
    const rng = new Rng(SEED);
    const rows = 3000;
    const k = Array.from({ length: rows }, () => (rng.nextInt(10) === 0 ? null : `key-${rng.nextInt(40)}`));
    const v = Int32Array.from({ length: rows }, (_, i) => i);
    const ds = kc.fromColumns({ k, v }, { numPartitions: 1 }).repartition(5, 'k');
    assert.equal(ds.getNumPartitions(), 5);
    const parts = (await ds.toRDD().glom().collect()) as { k: string | null; v: number }[][];
    assert.equal(parts.length, 5);
    const partitionOfKey = new Map<string | null, number>();
    parts.forEach((part, p) => {
      for (const row of part) {
        assert.equal(partitionOfKey.get(row.k) ?? p, p, `key ${row.k} is in two partitions`);
        partitionOfKey.set(row.k, p);
      }
    });
    const seen = parts
      .flat()
      .map((row) => row.v)
      .sort((a, b) => a - b);
    assert.deepEqual(seen, Array.from(v));
    assert.ok(parts.filter((part) => part.length > 0).length >= 3, 'rows spread over the partitions');
    // Downstream operators see the repartitioned rows.
    assert.equal(await ds.filter(col('v').lt(100)).count(), 100);
  } finally {
    await kc.stop();
  }
});

test('repartition(n) without columns spreads distinct rows; a name alone takes the default count; bad input', async () => {
  const kc = new Context({ threads: 2, defaultParallelism: 3 });
  try {
    const ds = kc.fromColumns({ v: Int32Array.from({ length: 400 }, (_, i) => i) }, { numPartitions: 1 });
    const sizes = (await ds.repartition(4).toRDD().glom().collect()).map((part) => (part as unknown[]).length);
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      400,
    );
    assert.ok(Math.min(...sizes) >= 60, `uneven partitions ${sizes.join(', ')}`);
    assert.equal(ds.repartition('v').getNumPartitions(), 3);
    assert.throws(() => ds.repartition(0), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: /^repartition\(\): numPartitions must be a positive integer, found 0/,
    });
    await assert.rejects(ds.repartition(2, 'nope').count(), /no column 'nope'; the dataset has columns 'v'/);
  } finally {
    await kc.stop();
  }
});
