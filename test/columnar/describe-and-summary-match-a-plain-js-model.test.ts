// describe() and summary() (Spark's column statistics) against a plain-JS model on a seeded table with nulls over
// several partitions, read directly and through cache() (strings dictionary-coded): the answer is a dataset of
// strings with a `summary` column, one column per number and string column by default; count, mean, sample
// stddev, min, max, exact percentiles and count_distinct; strings have count, min and max (UTF-16 order, as JS
// `<`), dates and timestamps count, min and max. Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, col, type Row } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { PARTITIONS_AND_CACHING, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('describe-and-summary-match-a-plain-js-model');
type Table = { i: (number | null)[]; n: (bigint | null)[]; x: (number | null)[]; s: (string | null)[] };

function randomTable(rng: Rng, rows: number): Table {
  const maybe = <T>(value: () => T): T | null => (rng.nextInt(5) === 0 ? null : value());
  const column = <T>(value: () => T) => Array.from({ length: rows }, () => maybe(value));
  return {
    i: column(() => rng.nextInt(1000) - 500),
    n: column(() => BigInt(rng.nextInt(1_000_000)) * 1_000_000_007n),
    x: column(() => (rng.nextInt(4001) - 2000) / 4),
    s: column(() => TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!),
  };
}

/** Exact interpolated quantile, as `quantile`. */
function quantileOf(sorted: readonly number[], q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** The model's statistic of one column; numbers as numbers (compared within rounding), others as strings. */
function modelStatistic(values: readonly (number | bigint | string | null)[], stat: string): number | string | null {
  const present = values.filter((v) => v !== null);
  if (stat === 'count') return String(present.length);
  if (stat === 'count_distinct') return String(new Set(present).size);
  if (typeof present[0] === 'string' || present.length === 0) {
    if (present.length === 0 || !(stat === 'min' || stat === 'max')) return null;
    const sorted = [...(present as string[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return stat === 'min' ? sorted[0]! : sorted[sorted.length - 1]!;
  }
  if (typeof present[0] === 'bigint' && (stat === 'min' || stat === 'max')) {
    const sorted = [...(present as bigint[])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return String(stat === 'min' ? sorted[0]! : sorted[sorted.length - 1]!);
  }
  const numbers = present.map(Number).sort((a, b) => a - b);
  const meanOf = numbers.reduce((a, b) => a + b, 0) / numbers.length;
  if (stat === 'mean') return meanOf;
  if (stat === 'stddev') {
    if (numbers.length < 2) return null;
    return Math.sqrt(numbers.reduce((a, v) => a + (v - meanOf) ** 2, 0) / (numbers.length - 1));
  }
  if (stat === 'min') return String(numbers[0]!);
  if (stat === 'max') return String(numbers[numbers.length - 1]!);
  return quantileOf(numbers, Number(stat.slice(0, -1)) / 100);
}

function checkAnswer(got: Row[], table: Record<string, unknown[]>, columns: string[], stats: string[], where: string) {
  assert.deepEqual(
    got.map((r) => r['summary']),
    stats,
    where,
  );
  assert.deepEqual(Object.keys(got[0] ?? {}), ['summary', ...columns], where);
  stats.forEach((stat, k) => {
    for (const name of columns) {
      const want = modelStatistic(table[name] as (number | bigint | string | null)[], stat);
      const value = got[k]![name];
      const at = `${where}: ${stat} of ${name}`;
      if (typeof want === 'number') {
        assert.equal(typeof value, 'string', at);
        assert.ok(Math.abs(Number(value) - want) <= 1e-9 * Math.max(1, Math.abs(want)), `${at}: ${value} vs ${want}`);
      } else assert.equal(value, want, at);
    }
  });
}

test(`describe and summary match a plain-JS model (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const [partitions, cached] of PARTITIONS_AND_CACHING) {
      const rows = 200 + rng.nextInt(300);
      const table = randomTable(rng, rows);
      const flags = Array.from({ length: rows }, () => (rng.nextInt(3) === 0 ? null : rng.nextInt(2) === 0));
      const source = kc.fromColumns({ ...table, b: flags }, { numPartitions: partitions });
      const ds = cached ? source.cache() : source;
      const where = `${partitions} partitions${cached ? ', cached' : ''}`;
      const all = ['i', 'n', 'x', 's'];
      checkAnswer(await (await ds.describe()).collect(), table, all, ['count', 'mean', 'stddev', 'min', 'max'], where);
      const summary = ['count', 'mean', 'stddev', 'min', '25%', '50%', '75%', 'max'];
      checkAnswer(await (await ds.summary()).collect(), table, all, summary, `${where}, summary`);
      const chosen = ['count_distinct', '90%', 'max', '0%'];
      checkAnswer(await (await ds.summary(...chosen)).collect(), table, all, chosen, `${where}, summary(...)`);
      checkAnswer(
        await (await ds.describe('s', 'x')).collect(),
        table,
        ['s', 'x'],
        ['count', 'mean', 'stddev', 'min', 'max'],
        where,
      );
      // Booleans only when named: counted, no mean or order.
      const flagged = await (await ds.describe('b')).collect();
      assert.deepEqual(
        flagged.map((r) => r['b']),
        [String(flags.filter((f) => f !== null).length), null, null, null, null],
      );
    }
  } finally {
    await kc.stop();
  }
});

test('describe gives dates and timestamps their order, an empty dataset counts 0, and bad names are refused', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const days = [Date.UTC(2024, 0, 31), null, Date.UTC(2023, 11, 1, 8, 30), Date.UTC(2024, 5, 2)];
    const ds = kc
      .fromColumns({ at: days.map((d) => (d === null ? null : new Date(d))) }, { numPartitions: 2 })
      .withColumn('day', col('at').cast('date'));
    assert.deepEqual(await (await ds.describe('at', 'day')).collect(), [
      { summary: 'count', at: '3', day: '3' },
      { summary: 'mean', at: null, day: null },
      { summary: 'stddev', at: null, day: null },
      { summary: 'min', at: '2023-12-01 08:30:00', day: '2023-12-01' },
      { summary: 'max', at: '2024-06-02 00:00:00', day: '2024-06-02' },
    ]);
    const none = kc.fromColumns({ s: ['a', null], x: [1, 2] }, { numPartitions: 2 }).filter(col('x').gt(5));
    const empty = await (await none.describe()).collect();
    assert.deepEqual(
      empty.map((r) => [r['s'], r['x']]),
      [
        ['0', '0'],
        [null, null],
        [null, null],
        [null, null],
        [null, null],
      ],
    );
    assert.deepEqual(await (await none.summary('mean')).schema(), [
      { name: 'summary', type: 'string' },
      { name: 's', type: 'string' },
      { name: 'x', type: 'string' },
    ]);
    await assert.rejects(ds.describe('nope'), /describe\(\): no column 'nope'; the dataset has columns 'at', 'day'/);
    await assert.rejects(ds.summary('avg'), PlanError);
    await assert.rejects(
      ds.withColumnRenamed('at', 'summary').describe('summary'),
      /withColumnRenamed\('summary', 'summary_'\)/,
    );
    await assert.rejects(ds.summary('101%'), PlanError);
  } finally {
    await kc.stop();
  }
});
