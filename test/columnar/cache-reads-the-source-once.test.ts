// ds.cache() / persist(level) of columnar data: a loaded table is read once and queried many times (a shared-memory
// counter of source reads), the cached blocks keep the column types, unpersist recomputes, and partitions lost from
// the cache (evicted under a tiny memoryBytesMax, or their spill file deleted) are recomputed from lineage with the
// exact same results.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';

import { col, Context, count, sum, type StorageLevel } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { freshTmpDir, MIB, sharedCounter, spillFilesUnder } from '../spill/spill-helpers.js';

const RECORDS = 400;

function model() {
  return Array.from({ length: RECORDS }, (_, i) => ({
    id: i,
    k: i % 7 === 0 ? null : `k${i % 5}`,
    v: i % 11,
    w: (i % 11) * 2,
  }));
}

onEveryBackend('cache and persist of a dataset', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    const table = (calls: Int32Array) =>
      on
        .kc()
        .range(0, RECORDS, 1, partitions)
        .map(
          (i) => {
            Atomics.add(calls, 0, 1);
            return { id: i, k: i % 7 === 0 ? null : `k${i % 5}`, v: i % 11 };
          },
          { calls },
        )
        .toDataset()
        .withColumn('w', col('v').mul(2));

    test(`a cached table is read once and queried many times (${partitions} partitions)`, async () => {
      const calls = sharedCounter();
      const ds = table(calls).cache();
      assert.equal(await ds.count(), RECORDS);
      assert.equal(calls[0], RECORDS, 'the first job read the source');
      assert.deepEqual(await ds.collect(), model());
      const sums = await ds.groupBy('k').agg(count(), sum('w')).orderBy('k').collect();
      const expected = new Map<string | null, { n: number; w: number }>();
      for (const row of model()) {
        const g = expected.get(row.k) ?? { n: 0, w: 0 };
        expected.set(row.k, { n: g.n + 1, w: g.w + row.w });
      }
      assert.deepEqual(
        sums,
        [...expected]
          .sort(([a], [b]) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1))
          .map(([k, g]) => ({ k, count: g.n, 'sum(w)': g.w })),
      );
      assert.equal(await ds.filter(col('v').gt(5)).count(), model().filter((r) => r.v > 5).length);
      assert.equal(calls[0], RECORDS, 'later jobs read the cached blocks, not the source');
      assert.match(ds.explain(), /persist/);
    });

    test(`unpersist drops the blocks, so the next job reads the source again (${partitions} partitions)`, async () => {
      const calls = sharedCounter();
      const ds = table(calls).persist('MEMORY_AND_DISK');
      assert.equal(await ds.count(), RECORDS);
      assert.equal(await ds.count(), RECORDS);
      assert.equal(calls[0], RECORDS);
      ds.unpersist();
      assert.equal(await ds.count(), RECORDS);
      assert.equal(calls[0], 2 * RECORDS);
    });
  }

  test('cached blocks keep int64, date, timestamp and null columns as they were', async () => {
    const kc = on.kc();
    const ds = kc
      .fromColumns(
        { big: [2n ** 60n, null, -5n], d: ['2024-01-31', null, '1969-12-31'], s: ['é', null, ''] },
        { numPartitions: 2 },
      )
      .withColumn('day', col('d').cast('date'))
      .withColumn('at', col('d').cast('timestamp'));
    const before = await ds.collect();
    const cached = ds.withColumn('n', col('s').isNull()).cache();
    await cached.count();
    assert.deepEqual(await cached.drop('n').collect(), before);
    assert.deepEqual(
      (await cached.collect()).map((r) => r['n']),
      [false, true, false],
    );
  });

  test('persist refuses an unknown storage level', () => {
    const ds = on.kc().fromColumns({ a: [1] });
    assert.throws(() => ds.persist('DISK_ONLY' as StorageLevel), /MEMORY_ONLY' or 'MEMORY_AND_DISK/);
  });
});

const BIG = 40_000;
const BIG_PARTITIONS = 4;

async function withTinyBudget(level: StorageLevel, loseSpillFiles: boolean) {
  const tmpDir = freshTmpDir();
  const kc = new Context({ threads: 2, tmpDir, memoryBytesMax: MIB });
  try {
    const calls = sharedCounter();
    const ds = kc
      .range(0, BIG, 1, BIG_PARTITIONS)
      .map(
        (i) => {
          Atomics.add(calls, 0, 1);
          return { id: i, label: `row-${i.toString(36).padStart(40, '~')}` };
        },
        { calls },
      )
      .toDataset()
      .persist(level);
    assert.equal(await ds.count(), BIG);
    const afterFirst = calls[0]!;
    const files = spillFilesUnder(tmpDir).filter((path) => path.includes('/cache/'));
    if (loseSpillFiles) for (const file of files) rmSync(file);
    const rows = await ds.collect();
    assert.deepEqual(
      rows.map((r) => r['id']),
      Array.from({ length: BIG }, (_, i) => i),
    );
    assert.equal(rows[12_345]!['label'], `row-${(12_345).toString(36).padStart(40, '~')}`);
    return { afterFirst, afterSecond: calls[0]!, files: files.length };
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

test('MEMORY_ONLY: partitions evicted under a tiny budget are recomputed from lineage, results exact', async () => {
  const { afterFirst, afterSecond } = await withTinyBudget('MEMORY_ONLY', false);
  assert.equal(afterFirst, BIG);
  assert.ok(afterSecond > BIG, `evicted partitions ran again (${afterSecond} reads)`);
});

test('MEMORY_AND_DISK: evicted partitions are read back; a lost spill file is recomputed from lineage', async () => {
  const kept = await withTinyBudget('MEMORY_AND_DISK', false);
  assert.ok(kept.files > 0, 'partitions over the budget were spilled');
  assert.equal(kept.afterSecond, BIG, 'read back from disk, not recomputed');
  const lost = await withTinyBudget('MEMORY_AND_DISK', true);
  assert.ok(lost.files > 0);
  assert.equal(lost.afterSecond, BIG + lost.files * (BIG / BIG_PARTITIONS), 'exactly the lost partitions ran again');
});
