// replace / na.replace (Spark's df.replace and na.replace) and the na namespace, against a plain-JS model on a
// seeded table with nulls over several partitions (cached: strings dictionary-coded): each listed value becomes its
// replacement in the subset, or in every column whose type takes it (strings, numbers, booleans), number columns
// keep their type (int32 truncates, int64 stays exact), nulls stay nulls; mixed kinds are refused at once. Found
// missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, col } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { PARTITIONS_AND_CACHING, testSeed } from './random-rows.js';

const seed = testSeed('replace-matches-spark-replace');
type Row = {
  s: string | null;
  t: string | null;
  i: number | null;
  x: number | null;
  n: bigint | null;
  b: boolean | null;
};

function randomTable(rng: Rng, rows: number): Row[] {
  const maybe = <T>(value: () => T): T | null => (rng.nextInt(5) === 0 ? null : value());
  const words = ['N/A', '', 'a', 'é', '😀'];
  return Array.from({ length: rows }, () => ({
    s: maybe(() => words[rng.nextInt(words.length)]!),
    t: maybe(() => words[rng.nextInt(words.length)]!),
    i: maybe(() => rng.nextInt(5) - 1),
    x: maybe(() => [0.5, -1, 2, 3][rng.nextInt(4)]!),
    n: maybe(() => 2n ** 60n + BigInt(rng.nextInt(3))),
    b: maybe(() => rng.nextInt(2) === 0),
  }));
}

/** Each row with `map` applied to the values of `columns`. */
function model(rows: readonly Row[], columns: readonly (keyof Row)[], map: (v: unknown) => unknown): Row[] {
  return rows.map((r) => ({ ...r, ...Object.fromEntries(columns.map((c) => [c, map(r[c])])) }) as Row);
}

test(`replace changes the listed values as Spark's replace (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const [partitions, cached] of PARTITIONS_AND_CACHING) {
      const rows = randomTable(rng, 200 + rng.nextInt(200));
      const source = kc
        .fromColumns(
          {
            s: rows.map((r) => r.s),
            t: rows.map((r) => r.t),
            i: rows.map((r) => r.i),
            x: rows.map((r) => r.x),
            n: rows.map((r) => r.n),
            b: rows.map((r) => r.b),
          },
          { numPartitions: partitions },
        )
        .withColumn('i', col('i').cast('int32'));
      const ds = cached ? source.cache() : source;
      const at = `${partitions} partitions${cached ? ', cached' : ''}`;
      const strings: (keyof Row)[] = ['s', 't'];
      assert.deepEqual(
        await ds.replace('N/A', null).collect(),
        model(rows, strings, (v) => (v === 'N/A' ? null : v)),
        at,
      );
      assert.deepEqual(
        await ds.na.replace(['', 'a'], ['empty', 'A'], ['t']).collect(),
        model(rows, ['t'], (v) => (v === '' ? 'empty' : v === 'a' ? 'A' : v)),
        at,
      );
      assert.deepEqual(
        await ds.replace({ é: 'e', '😀': 'smile' }, ['s']).collect(),
        model(rows, ['s'], (v) => (v === 'é' ? 'e' : v === '😀' ? 'smile' : v)),
        at,
      );
      // Numbers: every number column; int32 truncates the replacement, float64 takes it, int64 stays exact.
      const numbers = await ds.replace([-1, 2], [7.9, null]).collect();
      assert.deepEqual(
        numbers,
        rows.map((r) => ({
          ...r,
          i: r.i === -1 ? 7 : r.i === 2 ? null : r.i,
          x: r.x === -1 ? 7.9 : r.x === 2 ? null : r.x,
        })),
        at,
      );
      assert.deepEqual(
        await ds.replace(true, false).collect(),
        model(rows, ['b'], (v) => (v === true ? false : v)),
        at,
      );
    }
  } finally {
    await kc.stop();
  }
});

test('replace refuses values of mixed kinds and bad subsets at once; na.fill and na.drop are fillna and dropna', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ s: ['a', null], x: [1, null] });
    assert.throws(() => ds.replace(['a', 1], null), /one kind/);
    assert.throws(() => ds.replace('a', 1), /one kind/);
    assert.throws(() => ds.replace(['a', 'b'], ['x']), /as many replacements/);
    assert.throws(() => ds.replace('a', 'b', []), PlanError);
    await assert.rejects(ds.replace('a', 'b', ['nope']).collect(), /no column 'nope'/);
    assert.deepEqual(await ds.na.fill(0).na.fill('?').collect(), await ds.fillna(0).fillna('?').collect());
    assert.deepEqual(await ds.na.drop({ how: 'all' }).collect(), [{ s: 'a', x: 1 }]);
  } finally {
    await kc.stop();
  }
});
