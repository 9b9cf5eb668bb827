// Window functions (rowNumber, rank, denseRank, lag, lead, running count/sum/mean/min/max) over
// Window.partitionBy(...).orderBy(...) against a plain-JS model on seeded random rows with null keys, null values and
// ties, on both backends and several partition counts. Ties keep input order for rowNumber; running aggregates use
// RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW (peers included), or the whole partition without order keys.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  col,
  count,
  denseRank,
  lag,
  lead,
  max,
  mean,
  min,
  PlanError,
  rank,
  rowNumber,
  sum,
  Window,
  type Row as DatasetRow,
} from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('window-functions-match-a-model');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(6) === 0 ? null : value);

interface Row {
  readonly id: number;
  readonly dept: string | null;
  readonly g: number;
  readonly day: number | null;
  readonly amount: number | null;
}

const rows: Row[] = Array.from({ length: 600 }, (_, id) => ({
  id,
  dept: maybe(['eng', 'ops', 'é', ''][rng.nextInt(4)]!),
  g: rng.nextInt(3),
  day: maybe(rng.nextInt(12)),
  amount: maybe((rng.nextInt(801) - 400) / 8),
}));

interface Key {
  readonly name: 'day' | 'id';
  readonly ascending: boolean;
}

/** Rows of each window partition in window order: keys (nulls first ascending, last descending), then input order. */
function windows(partitionBy: readonly (keyof Row)[], orderBy: readonly Key[]): Row[][] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = JSON.stringify(partitionBy.map((k) => row[k]));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const compare = (a: Row, b: Row): number => {
    for (const { name, ascending } of orderBy) {
      const x = a[name];
      const y = b[name];
      if (x === y) continue;
      if (x === null || y === null) return (x === null) === ascending ? -1 : 1;
      return (x < y ? -1 : 1) * (ascending ? 1 : -1);
    }
    return 0;
  };
  return [...groups.values()].map((group) => [...group].sort((a, b) => compare(a, b) || a.id - b.id));
}

/** Per row id, the model's value of each function over the window. */
function model(partitionBy: readonly (keyof Row)[], orderBy: readonly Key[]): Map<number, Record<string, unknown>> {
  const out = new Map<number, Record<string, unknown>>();
  const peers = (a: Row, b: Row) => orderBy.every(({ name }) => a[name] === b[name]);
  for (const part of windows(partitionBy, orderBy)) {
    let rankValue = 0;
    let dense = 0;
    part.forEach((row, i) => {
      const newPeers = i === 0 || !peers(part[i - 1]!, row);
      if (newPeers) {
        rankValue = i + 1;
        dense++;
      }
      let end = i + 1;
      while (end < part.length && peers(part[end]!, row)) end++;
      const frame = orderBy.length === 0 ? part : part.slice(0, end);
      const values = frame.map((r) => r.amount).filter((v): v is number => v !== null);
      const total = values.reduce((a, b) => a + b, 0);
      out.set(row.id, {
        rn: i + 1,
        rk: rankValue,
        drk: dense,
        prev: i >= 1 ? part[i - 1]!.amount : null,
        next2: i + 2 < part.length ? part[i + 2]!.amount : -1,
        rows: frame.length,
        n: values.length,
        total: values.length === 0 ? null : total,
        avg: values.length === 0 ? null : total / values.length,
        low: values.length === 0 ? null : Math.min(...values),
        high: values.length === 0 ? null : Math.max(...values),
      });
    });
  }
  return out;
}

function byId(got: readonly DatasetRow[], names: readonly string[]): Map<number, Record<string, unknown>> {
  return new Map(got.map((r) => [r['id'] as number, Object.fromEntries(names.map((n) => [n, r[n]]))]));
}

const CASES: readonly { title: string; partitionBy: (keyof Row)[]; orderBy: Key[] }[] = [
  { title: 'partitionBy(dept).orderBy(day)', partitionBy: ['dept'], orderBy: [{ name: 'day', ascending: true }] },
  {
    title: 'partitionBy(dept, g).orderBy(day desc, id)',
    partitionBy: ['dept', 'g'],
    orderBy: [
      { name: 'day', ascending: false },
      { name: 'id', ascending: true },
    ],
  },
  { title: 'orderBy(day) over one window', partitionBy: [], orderBy: [{ name: 'day', ascending: true }] },
];

onEveryBackend('window functions', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    for (const { title, partitionBy, orderBy } of CASES) {
      test(`${title}: ranking, offsets and running aggregates (${partitions} partitions)`, async () => {
        const w = Window.partitionBy(...partitionBy).orderBy(
          ...orderBy.map((k) => (k.ascending ? k.name : col(k.name).desc())),
        );
        const ds = on
          .kc()
          .parallelize(rows, partitions)
          .toDataset()
          .withColumn('rn', rowNumber().over(w))
          .withColumn('rk', rank().over(w))
          .withColumn('drk', denseRank().over(w))
          .withColumn('prev', lag('amount').over(w))
          .withColumn('next2', lead('amount', 2, -1).over(w))
          .withColumn('rows', count().over(w))
          .withColumn('n', count('amount').over(w))
          .withColumn('total', sum('amount').over(w))
          .withColumn('avg', mean('amount').over(w))
          .withColumn('low', min('amount').over(w))
          .withColumn('high', max('amount').over(w));
        const got = await ds.collect();
        assert.equal(got.length, rows.length);
        const names = ['rn', 'rk', 'drk', 'prev', 'next2', 'rows', 'n', 'total', 'avg', 'low', 'high'];
        assert.deepEqual(byId(got, names), model(partitionBy, orderBy));
        // Eleven window columns over one window: one shuffle, one window operator.
        assert.equal(ds.explain().match(/window over/g)?.length, 1);
      });
    }

    test(`aggregates over an unordered window cover the whole partition (${partitions} partitions)`, async () => {
      const w = Window.partitionBy('dept');
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .withColumn('total', sum('amount').over(w))
        .withColumn('rows', count().over(w))
        .filter(col('g').eq(1))
        .collect();
      const expected = model(['dept'], []);
      assert.deepEqual(
        byId(got, ['total', 'rows']),
        new Map(
          rows
            .filter((r) => r.g === 1)
            .map((r) => [r.id, { total: expected.get(r.id)!['total'], rows: expected.get(r.id)!['rows'] }]),
        ),
      );
    });
  }

  test('explain shows the hash shuffle by the partition keys and the window operator', () => {
    const w = Window.partitionBy('dept').orderBy('day');
    const plan = on.kc().parallelize(rows, 3).toDataset().withColumn('rn', rowNumber().over(w)).explain();
    assert.match(plan, /hash-partition rows by \[dept\]/);
    assert.match(
      plan,
      /window over partitionBy \[dept\] orderBy \[day asc\] \(sorted per task, frame: range unbounded preceding to current row\): row-number\(\) as rn/,
    );
  });

  test('bad window arguments are plan errors that say what to do', () => {
    const ds = on.kc().parallelize(rows, 2).toDataset();
    assert.throws(() => rowNumber().over(Window.partitionBy('dept')), /expected an ordered window: add \.orderBy/);
    assert.throws(() => lag('amount', -1), PlanError);
    assert.throws(() => lag('amount', 1, {} as never), /default/);
    assert.throws(() => rank().over({} as never), /expected a Window\.partitionBy/);
    assert.throws(() => Window.partitionBy(''), PlanError);
    assert.throws(() => Window.orderBy(3 as never), /Window\.orderBy\(\): expected a column name/);
    assert.throws(() => ds.withColumn('', rowNumber().over(Window.orderBy('id'))), PlanError);
    assert.throws(() => ds.withColumn('x', rowNumber() as never), /expected a column expression/);
  });

  test('lag and lead take col(name) as they take a name, as Spark does; an expression is refused with a hint', async () => {
    const w = Window.partitionBy('dept').orderBy('day', 'id');
    const ds = on.kc().parallelize(rows, 2).toDataset();
    const byName = ds.withColumn('prev', lag('amount').over(w)).withColumn('next', lead('amount', 2, -1).over(w));
    const byCol = ds
      .withColumn('prev', lag(col('amount')).over(w))
      .withColumn('next', lead(col('amount'), 2, -1).over(w));
    assert.deepEqual(await byCol.orderBy('id').collect(), await byName.orderBy('id').collect());
    assert.throws(
      () => lag(col('amount').add(1)),
      /lag\(\): expected a column name or col\(name\), found the expression \(amount \+ 1\): add it as a column first/,
    );
  });

  test('a window over a missing column fails the job naming the column', async () => {
    const ds = on.kc().parallelize(rows, 2).toDataset();
    await assert.rejects(
      ds.withColumn('rn', rowNumber().over(Window.partitionBy('dept').orderBy('nope'))).collect(),
      /no column 'nope'/,
    );
  });
});
