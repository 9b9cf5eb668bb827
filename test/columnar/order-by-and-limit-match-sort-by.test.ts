// orderBy sorts as sortBy with compareValues does (numbers numerically, strings by UTF-16 code units, stable),
// and limit keeps the first n rows of that order, on both backends and several partition counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, count } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { randomRows, Rng, testSeed, type MixedRow } from './random-rows.js';

const seed = testSeed('order-by-and-limit-match-sort-by');
const rows = randomRows(new Rng(seed), 1500);

/** JS order of [k asc by UTF-16 units, n desc, x asc]. */
function byKeys(a: MixedRow, b: MixedRow): number {
  if (a.k !== b.k) return a.k < b.k ? -1 : 1;
  if (a.n !== b.n) return b.n - a.n;
  return a.x - b.x;
}

onEveryBackend('orderBy and limit', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`orderBy string asc, int desc, float asc (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds.orderBy('k', col('n').desc(), col('x').asc()).select('k', 'n', 'x').collect();
      const expected = [...rows].sort(byKeys).map((r) => ({ k: r.k, n: r.n, x: r.x }));
      // Rows equal on every key may come in either order: compare the keys only.
      assert.deepEqual(columnar, expected);
    });

    test(`limit after orderBy keeps the first n (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const top = await ds.groupBy('k').agg(count()).orderBy(col('count').desc(), 'k').limit(5).collect();
      const counts = new Map<string, number>();
      for (const r of rows) counts.set(r.k, (counts.get(r.k) ?? 0) + 1);
      const expected = [...counts]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .slice(0, 5)
        .map(([k, n]) => ({ k, count: n }));
      assert.deepEqual(top, expected);
      assert.equal(await ds.limit(7).count(), Math.min(7, rows.length));
      assert.equal(await ds.limit(0).count(), 0);
    });
  }
});
