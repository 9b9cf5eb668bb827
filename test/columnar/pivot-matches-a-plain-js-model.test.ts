// groupBy(...).pivot(column, values?) (Spark's pivot) against a plain-JS model on seeded tables with nulls over
// several partitions: one column per value (per value and aggregate, `value_aggregate`, with several aggregates),
// each over the group's rows holding that value (a null value matches null), null where a group has no such row
// (counts included, as Spark), values not in the data give null columns; without values, the distinct values
// sorted with null first; groupBy() without keys is one group. Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, count, first, max, mean, sum, type Row } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('pivot-matches-a-plain-js-model');
type Tuple = { k: string | null; p: string | null; v: number | null };

function randomTable(rng: Rng, rows: number): Tuple[] {
  const maybe = <T>(value: () => T): T | null => (rng.nextInt(5) === 0 ? null : value());
  return Array.from({ length: rows }, () => ({
    k: maybe(() => ['a', 'b', 'c', 'é'][rng.nextInt(4)]!),
    p: maybe(() => ['x', 'y', 'z'][rng.nextInt(3)]!),
    v: maybe(() => rng.nextInt(200) - 100),
  }));
}

type Stat = 'sum' | 'count' | 'countV' | 'mean' | 'max';
function statOf(rows: readonly Tuple[], stat: Stat): number | null {
  if (rows.length === 0) return null;
  const values = rows.map((r) => r.v).filter((v): v is number => v !== null);
  if (stat === 'count') return rows.length;
  if (stat === 'countV') return values.length;
  if (values.length === 0) return null;
  if (stat === 'sum') return values.reduce((a, b) => a + b, 0);
  if (stat === 'mean') return values.reduce((a, b) => a + b, 0) / values.length;
  return Math.max(...values);
}

/** The model's rows: per distinct key (sorted, null first), the key then `name(value, stat)` per value and stat. */
function model(
  rows: readonly Tuple[],
  values: readonly (string | null)[],
  stats: readonly Stat[],
  name: (value: string | null, stat: Stat) => string,
  keyed = true,
): Record<string, unknown>[] {
  const keys = keyed ? [...new Set(rows.map((r) => r.k))].sort(byKey) : [undefined];
  return keys.map((key) => {
    const out: Record<string, unknown> = keyed ? { k: key } : {};
    for (const value of values) {
      const matching = rows.filter((r) => (!keyed || r.k === key) && r.p === value);
      for (const stat of stats) out[name(value, stat)] = statOf(matching, stat);
    }
    return out;
  });
}

const byKey = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
const normalized = (rows: Row[]) =>
  rows
    .map((r) => Object.fromEntries(Object.entries(r).map(([c, v]) => [c, typeof v === 'bigint' ? Number(v) : v])))
    .sort((a, b) => byKey((a['k'] as string | null) ?? null, (b['k'] as string | null) ?? null));

test(`pivot aggregates each value's rows as a model does (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const partitions of [1, 3, 5]) {
      const rows = randomTable(rng, 100 + rng.nextInt(200));
      const ds = kc.fromColumns(
        { k: rows.map((r) => r.k), p: rows.map((r) => r.p), v: rows.map((r) => r.v) },
        { numPartitions: partitions },
      );
      const at = `${partitions} partitions`;
      const values = ['y', null, 'x', 'absent'];
      const one = await ds.groupBy('k').pivot('p', values).sum('v').collect();
      assert.deepEqual(
        normalized(one),
        model(rows, values, ['sum'], (value) => String(value)),
        at,
      );
      const counted = await ds.groupBy('k').pivot('p', values).count().collect();
      assert.deepEqual(
        normalized(counted),
        model(rows, values, ['count'], (value) => String(value)),
        `${at}, count`,
      );
      const several = await ds
        .groupBy('k')
        .pivot('p', values)
        .agg(sum('v'), count(), count('v'), mean('v'), max('v'))
        .collect();
      const names: Record<Stat, string> = {
        sum: 'sum(v)',
        count: 'count',
        countV: 'count(v)',
        mean: 'mean(v)',
        max: 'max(v)',
      };
      assert.deepEqual(
        normalized(several),
        model(
          rows,
          values,
          ['sum', 'count', 'countV', 'mean', 'max'],
          (value, stat) => `${String(value)}_${names[stat]}`,
        ),
        `${at}, several aggregates`,
      );
      // Without values: the distinct values, null first, then sorted.
      const found = [...new Set(rows.map((r) => r.p))].sort(byKey);
      const auto = await (await ds.groupBy('k').pivot('p')).sum('v').collect();
      assert.deepEqual(Object.keys(auto[0]!), ['k', ...found.map(String)], `${at}, found values`);
      assert.deepEqual(
        normalized(auto),
        model(rows, found, ['sum'], (value) => String(value)),
        `${at}, found values`,
      );
      // No keys: one row over every row.
      const global = await ds.groupBy().pivot('p', ['x', 'z']).max('v').collect();
      assert.deepEqual(
        normalized(global),
        model(rows, ['x', 'z'], ['max'], (value) => String(value), false),
        at,
      );
      assert.deepEqual(await ds.groupBy().count().collect(), [{ count: rows.length }]);
    }
  } finally {
    await kc.stop();
  }
});

test('pivot refuses what it cannot answer, at once', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ k: ['a'], p: ['x'], v: [1] });
    assert.throws(() => ds.groupBy('k').pivot('p', ['x']).pivot('p', ['x']), /already pivoted on 'p'/);
    assert.throws(() => ds.groupBy('k').pivot('p', ['x', 'x']), /value "x" is named twice/);
    assert.throws(
      () => ds.groupBy('k').pivot('p', [new Date(0)] as never),
      /cast a date or timestamp column to string/,
    );
    assert.throws(() => ds.groupBy('k').pivot('p', ['x']).agg(first('v')), /first\('v', true\)/);
    assert.throws(() => ds.groupBy('k').pivot('', ['x']), PlanError);
    assert.deepEqual(await ds.groupBy('k').pivot('p', ['x']).agg(first('v', true)).collect(), [{ k: 'a', x: 1 }]);
  } finally {
    await kc.stop();
  }
});
