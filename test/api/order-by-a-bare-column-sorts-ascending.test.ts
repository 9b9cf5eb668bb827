// `orderBy(col('x'))`, as a Spark user writes it, sorts ascending, as `orderBy('x')` does; so do `sort`,
// `sortWithinPartitions` and `Window.orderBy` (the README's own window example orders by `col('day')`). A
// `ColumnExpression` has a `name` but no `ascending`: read as a sort key, it used to sort descending without a word.
// A computed expression (not a plain column) or a key object without a boolean `ascending` is a PlanError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, PlanError, Window, col, lower, rowNumber } from '../../src/index.js';

test('orderBy, sort, sortWithinPartitions and Window.orderBy take col(x) as ascending', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ s: ['x', 'x', 'x', 'y'], d: [1, 3, 2, 1], a: [5, 4, 3, 7] });
    const ds1 = ds.coalesce(1);
    const ds2 = kc.fromColumns({ d: [3, 1, 2] }).coalesce(1);
    const order = async (rows: Promise<Record<string, unknown>[]>) => (await rows).map((r) => r['d']);
    assert.deepEqual(await order(ds.orderBy(col('d'), col('a').desc()).collect()), [1, 1, 2, 3]);
    assert.deepEqual(await order(ds.sort(col('d')).collect()), [1, 1, 2, 3]);
    assert.deepEqual(await order(ds2.sortWithinPartitions(col('d')).collect()), [1, 2, 3]);
    assert.deepEqual(await order(ds1.orderBy(col('d').as('renamed')).collect()), [1, 1, 2, 3]);
    const w = Window.partitionBy('s').orderBy(col('d'), col('a').desc());
    const numbered = await ds.withColumn('n', rowNumber().over(w)).orderBy('s', 'n').collect();
    assert.deepEqual(
      numbered.map((r) => `${String(r['s'])}${String(r['d'])}:${String(r['n'])}`),
      ['x1:1', 'x2:2', 'x3:3', 'y1:1'],
    );
  } finally {
    await kc.stop();
  }
});

test('orderBy of a computed expression or of a key without ascending is a PlanError', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ s: ['b', 'A'] });
    assert.throws(
      () => ds.orderBy(lower(col('s'))),
      (e: unknown) => e instanceof PlanError && /orderBy\(\): .*found the expression lower\(s\)/.test(e.message),
    );
    assert.throws(
      () => Window.orderBy({ name: 's' } as never),
      (e: unknown) => e instanceof PlanError && e.message.startsWith('Window.orderBy(): expected a column name'),
    );
  } finally {
    await kc.stop();
  }
});
