// countDistinct, median, quantile, stddev/variance (sample and population), corr, first and last against a
// plain-JS model on seeded random rows with nulls, grouped and global, at 1 and several partitions on both
// backends (so partial states are merged across map tasks), plus hand cases for the edges: one row, constant
// input, only nulls, no rows at all, the interpolation rule, partition order of first/last, and typed errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  col,
  corr,
  count,
  countDistinct,
  first,
  last,
  lit,
  median,
  quantile,
  stddev,
  stddevPop,
  variance,
  varPop,
} from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { corrModel, varianceModel } from './aggregates/moment-models.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('statistical-aggregates-match-a-plain-js-model');

interface Row {
  readonly k: string | null;
  readonly s: string | null;
  readonly n: number | null;
  readonly x: number | null;
}

function randomRows(rng: Rng, count: number): Row[] {
  const maybe = <T>(value: T): T | null => (rng.nextInt(5) === 0 ? null : value);
  return Array.from({ length: count }, () => ({
    k: maybe(['a', 'b', 'é', '', 'only-one'][rng.nextInt(rng.nextInt(20) === 0 ? 5 : 4)]!),
    s: maybe(['p', 'q', 'r', 'é😀', ''][rng.nextInt(5)]!),
    n: maybe(rng.nextInt(7) - 3),
    x: maybe((rng.nextInt(4001) - 2000) / 8),
  }));
}

const rows = randomRows(new Rng(seed), 600);

/** Spark's percentile over sorted values. */
function percentileModel(sorted: readonly number[], q: number): number {
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const higher = Math.ceil(position);
  if (lower === higher) return sorted[lower]!;
  return (higher - position) * sorted[lower]! + (position - lower) * sorted[higher]!;
}

/** The aggregates of one group of rows (in partition order, which `parallelize` keeps as array order). */
function model(group: readonly Row[]): Record<string, unknown> {
  const xs = group.flatMap((r) => (r.x === null ? [] : [r.x]));
  const sorted = [...xs].sort((a, b) => a - b);
  const quant = (q: number) => (sorted.length === 0 ? null : percentileModel(sorted, q));
  const sqrtOrNull = (v: number | null) => (v === null ? null : Math.sqrt(v));
  const nonNull = <T>(values: readonly (T | null)[]) => values.filter((v): v is T => v !== null);
  return {
    'countDistinct(s)': new Set(nonNull(group.map((r) => r.s))).size,
    'countDistinct(s, n)': new Set(group.filter((r) => r.s !== null && r.n !== null).map((r) => `${r.s}|${r.n}`)).size,
    'median(x)': quant(0.5),
    'quantile(x, 0)': quant(0),
    'quantile(x, 0.1)': quant(0.1),
    'quantile(x, 0.9)': quant(0.9),
    'quantile(x, 1)': quant(1),
    'stddev(x)': sqrtOrNull(varianceModel(xs, false)),
    'variance(x)': varianceModel(xs, false),
    'stddevPop(x)': sqrtOrNull(varianceModel(xs, true)),
    'varPop(x)': varianceModel(xs, true),
    'corr(x, n)': corrModel(group.flatMap((r) => (r.x === null || r.n === null ? [] : [[r.x, r.n] as const]))),
    'first(s)': group[0]?.s ?? null,
    'last(s)': group.at(-1)?.s ?? null,
    'first(s, ignoreNulls)': nonNull(group.map((r) => r.s))[0] ?? null,
    'last(n, ignoreNulls)': nonNull(group.map((r) => r.n)).at(-1) ?? null,
    count: group.length,
  };
}

const AGGREGATES = () => [
  countDistinct('s'),
  countDistinct('s', 'n'),
  median('x'),
  quantile('x', 0),
  quantile('x', 0.1),
  quantile('x', 0.9),
  quantile('x', 1),
  stddev('x'),
  variance('x'),
  stddevPop('x'),
  varPop('x'),
  corr('x', 'n'),
  first('s'),
  last('s'),
  first('s', true),
  last('n', true),
  count(),
];

/** Moments are summed in another order than the model's: equal to 1e-9 relative. */
const ROUNDED = new Set(['stddev(x)', 'variance(x)', 'stddevPop(x)', 'varPop(x)', 'corr(x, n)']);

function assertMatches(got: Record<string, unknown>, expected: Record<string, unknown>, where: string): void {
  for (const [name, want] of Object.entries(expected)) {
    const value = got[name];
    if (ROUNDED.has(name) && typeof want === 'number' && typeof value === 'number') {
      assert.ok(Math.abs(value - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${where} ${name}: ${value} vs ${want}`);
    } else assert.deepEqual(value, want, `${where} ${name}`);
  }
}

onEveryBackend('statistical aggregates of columnar datasets', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`grouped aggregates match the model, nulls skipped (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .groupBy('k', { numPartitions: 3 })
        .agg(...AGGREGATES())
        .collect();
      const groups = new Map<string | null, Row[]>();
      for (const r of rows) groups.set(r.k, [...(groups.get(r.k) ?? []), r]);
      assert.equal(got.length, groups.size);
      for (const row of got) {
        const k = row['k'] as string | null;
        assertMatches(row, model(groups.get(k)!), `key ${JSON.stringify(k)}`);
      }
    });

    test(`global aggregates match the model (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .agg(...AGGREGATES())
        .collect();
      assert.equal(got.length, 1);
      assertMatches(got[0]!, model(rows), 'global');
    });
  }

  test('a global aggregate of no rows is one row: counts 0, the rest null', async () => {
    const got = await on
      .kc()
      .parallelize(rows, 3)
      .toDataset()
      .filter(col('x').gt(1e9))
      .agg(...AGGREGATES())
      .collect();
    assert.deepEqual(got, [model([])]);
  });

  test('edge cases: one row, a constant input, only nulls, and the interpolation between middle values', async () => {
    const table = [
      { g: 'one', x: 5, y: 1 },
      { g: 'const', x: 2, y: 7 },
      { g: 'const', x: 2, y: 8 },
      { g: 'nulls', x: null, y: null },
      { g: 'four', x: 4, y: 1 },
      { g: 'four', x: 1, y: 2 },
      { g: 'four', x: 3, y: 3 },
      { g: 'four', x: 2, y: 4 },
    ];
    const got = await on
      .kc()
      .parallelize(table, 3)
      .toDataset()
      .groupBy('g', { numPartitions: 2 })
      .agg(
        stddev('x'),
        varPop('x'),
        corr('x', 'y'),
        median('x'),
        quantile('x', 0.25),
        countDistinct('x'),
        first('x'),
        first('x', true),
      )
      .orderBy('g')
      .collect();
    const row = (g: string, values: unknown[]) =>
      Object.fromEntries(
        [
          'g',
          'stddev(x)',
          'varPop(x)',
          'corr(x, y)',
          'median(x)',
          'quantile(x, 0.25)',
          'countDistinct(x)',
          'first(x)',
          'first(x, ignoreNulls)',
        ].map((k, i) => [k, [g, ...values][i]]),
      );
    assert.deepEqual(got, [
      row('const', [0, 0, null, 2, 2, 1, 2, 2]),
      row('four', [Math.sqrt(5 / 3), 1.25, -0.4, 2.5, 1.75, 4, 4, 4]),
      row('nulls', [null, null, null, null, null, 0, null, null]),
      row('one', [null, 0, null, 5, 5, 1, 5, 5]),
    ]);
  });

  test('first and last follow partition order, keep nulls unless asked, and keep the column type', async () => {
    const table = [
      { g: 'a', v: null, t: '2024-01-03' },
      { g: 'a', v: 'x', t: '2024-01-01' },
      { g: 'a', v: 'y', t: null },
      { g: 'a', v: null, t: '2024-01-02' },
    ];
    for (const partitions of [1, 2, 4]) {
      const got = await on
        .kc()
        .parallelize(table, partitions)
        .toDataset()
        .withColumn('d', col('t').cast('date'))
        .groupBy('g')
        .agg(first('v'), first('v', true), last('v'), last('v', true), first('d'), last('d', true))
        .collect();
      assert.deepEqual(got, [
        {
          g: 'a',
          'first(v)': null,
          'first(v, ignoreNulls)': 'x',
          'last(v)': null,
          'last(v, ignoreNulls)': 'y',
          'first(d)': new Date('2024-01-03T00:00:00Z'),
          'last(d, ignoreNulls)': new Date('2024-01-02T00:00:00Z'),
        },
      ]);
    }
  });

  test('explain names each aggregate with its arguments, on both sides of the shuffle', () => {
    const text = on
      .kc()
      .parallelize(rows, 2)
      .toDataset()
      .groupBy('k')
      .agg(quantile('x', 0.9).as('p90'), corr('x', 'n'), first('s', true), countDistinct('s', 'n'))
      .explain();
    const aggregates = 'quantile(x, 0.9) as p90, corr(x, n), first(s, ignoreNulls), countDistinct(s, n)';
    assert.match(text, new RegExp(`merge partial aggregates by \\[k\\]: ${aggregates.replace(/[()]/g, '\\$&')}`));
    assert.match(text, new RegExp(`partial aggregate by \\[k\\] .*: ${aggregates.replace(/[()]/g, '\\$&')}`));
  });

  test('bad input: a string column to a numeric aggregate names it; a bad quantile is refused', async () => {
    const ds = on
      .kc()
      .parallelize([{ g: 'a', s: 'x' }], 1)
      .toDataset();
    await assert.rejects(
      ds.groupBy('g').agg(median('s')).collect(),
      /median\(\): expected a numeric column 's' to aggregate, found a string column/,
    );
    await assert.rejects(ds.agg(stddev('s')).collect(), /stddev\(\): expected a numeric column 's'/);
    assert.throws(() => quantile('x', 1.5), { code: 'ERR_PLAN_INVALID_ARGUMENT', message: /between 0 and 1/ });
    assert.throws(() => countDistinct(''), { code: 'ERR_PLAN_INVALID_ARGUMENT' });
    assert.equal(lit(1).name, '1');
  });
});
