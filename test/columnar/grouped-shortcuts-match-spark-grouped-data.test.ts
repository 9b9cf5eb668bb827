// Spark's GroupedData shortcuts: `df.groupBy('k').count()`, `.sum('a', 'b')`, `.avg('a')`, `.min`, `.max`, `.mean`
// give the same rows as the matching `agg(...)`, with Spark's column names (`count`, `sum(a)`, `avg(a)`, …). Found
// missing trying the API as a Spark user: `groupBy('a').count()` was "not a function". So was `agg`'s dictionary
// form, `agg({ a: 'sum', b: 'avg' })`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, col, count, lower, max, mean, min, sum } from '../../src/index.js';

test('groupBy shortcuts give the rows and column names of the matching agg(), nulls skipped', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({
      k: ['x', 'y', 'x', null, 'y', 'x'],
      a: [1, 2, null, 4, 5, 6],
      b: [10, null, 30, 40, 50, 60],
    });
    const rows = async (d: { orderBy(...c: string[]): { collect(): Promise<Record<string, unknown>[]> } }) =>
      d.orderBy('k').collect();
    assert.deepEqual(await rows(ds.groupBy('k').count()), [
      { k: null, count: 1 },
      { k: 'x', count: 3 },
      { k: 'y', count: 2 },
    ]);
    assert.deepEqual(
      await rows(ds.groupBy('k').sum('a', col('b'))),
      await rows(ds.groupBy('k').agg(sum('a'), sum('b'))),
    );
    assert.deepEqual(await rows(ds.groupBy('k').sum('a', 'b')), [
      { k: null, 'sum(a)': 4, 'sum(b)': 40 },
      { k: 'x', 'sum(a)': 7, 'sum(b)': 100 },
      { k: 'y', 'sum(a)': 7, 'sum(b)': 50 },
    ]);
    assert.deepEqual(await rows(ds.groupBy('k').mean('a')), await rows(ds.groupBy('k').agg(mean('a'))));
    assert.deepEqual(await rows(ds.groupBy('k').avg('a')), [
      { k: null, 'avg(a)': 4 },
      { k: 'x', 'avg(a)': 3.5 },
      { k: 'y', 'avg(a)': 3.5 },
    ]);
    assert.deepEqual(await rows(ds.groupBy('k').min('a', 'b')), await rows(ds.groupBy('k').agg(min('a'), min('b'))));
    assert.deepEqual(await rows(ds.groupBy('k').max('b')), [
      { k: null, 'max(b)': 40 },
      { k: 'x', 'max(b)': 60 },
      { k: 'y', 'max(b)': 50 },
    ]);
    assert.deepEqual(await rows(ds.groupBy('k').count()), await rows(ds.groupBy('k').agg(count())));
    assert.deepEqual(await rows(ds.groupBy('k').max('b')), await rows(ds.groupBy('k').agg(max('b'))));
  } finally {
    await kc.stop();
  }
});

test('a shortcut without columns, or over a computed expression, is refused with the way to write it', () => {
  const kc = new Context({ threads: 0 });
  const grouped = kc.fromColumns({ k: new Int32Array([1]), v: new Float64Array([2]) }).groupBy('k');
  try {
    assert.throws(() => grouped.sum(), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: "groupBy(...).sum(): expected at least one column name, e.g. groupBy('k').sum('v')",
    });
    assert.throws(() => grouped.avg(col('v').add(1)), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: /^avg\(\): expected a column name or col\(name\), found \(v \+ 1\)/,
    });
  } finally {
    void kc.stop();
  }
});

test("agg's dictionary form gives the matching aggregates, named as Spark names them", async () => {
  const kc = new Context({ threads: 2 });
  try {
    const ds = kc.fromColumns(
      { k: ['x', 'y', 'x', null, 'y', 'x'], a: [1, 2, null, 4, 5, 6], b: [10, null, 30, 40, 50, 60] },
      { numPartitions: 2 },
    );
    const byDict = await ds.groupBy('k').agg({ a: 'sum', b: 'AVG' }).orderBy('k').collect();
    const byAggregates = await ds.groupBy('k').agg(sum('a'), mean('b').as('avg(b)')).orderBy('k').collect();
    assert.deepEqual(byDict, byAggregates);
    assert.deepEqual(Object.keys(byDict[0]!), ['k', 'sum(a)', 'avg(b)']);
    assert.deepEqual(await ds.agg({ a: 'max', b: 'count' }).collect(), [{ 'max(a)': 6, 'count(b)': 5 }]);
    assert.deepEqual(await ds.agg({ a: 'mean' }).collect(), [{ 'avg(a)': 18 / 5 }]);
    assert.throws(() => ds.agg({ a: 'total' }), /agg\(\): expected the name of an aggregate function for column 'a'/);
    assert.throws(() => ds.agg({ a: 'constructor' }), PlanError);
  } finally {
    await kc.stop();
  }
});

test('groupBy takes expressions as keys, computed first and named by their alias or text (as Spark)', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const ds = kc.fromColumns({ s: ['Ab', 'aB', 'c', null, 'C', 'ab'], v: [1, 2, 3, 4, 5, 6] }, { numPartitions: 3 });
    const rows = await ds
      .groupBy(lower(col('s')).as('key'), { numPartitions: 2 })
      .agg(sum('v'))
      .orderBy('key')
      .collect();
    assert.deepEqual(rows, [
      { key: null, 'sum(v)': 4 },
      { key: 'ab', 'sum(v)': 9 },
      { key: 'c', 'sum(v)': 8 },
    ]);
    const byText = await ds
      .groupBy(col('v').mod(2), col('s').isNull())
      .count()
      .orderBy('(v % 2)', 'isNull(s)')
      .collect();
    assert.deepEqual(byText, [
      { '(v % 2)': 0, 'isNull(s)': false, count: 2 },
      { '(v % 2)': 0, 'isNull(s)': true, count: 1 },
      { '(v % 2)': 1, 'isNull(s)': false, count: 3 },
    ]);
    assert.throws(() => ds.groupBy(3 as never), /groupBy\(\): expected column names or expressions, found 3/);
  } finally {
    await kc.stop();
  }
});
