// `dropna` and `fillna` (PySpark's names for na.drop / na.fill) against a plain-JS model of Spark's rules, on seeded
// tables with nulls and NaN over several partitions, read directly and through cache(): null and NaN are missing;
// how any / all, thresh and subset; a scalar fills the columns whose type takes it (numbers: int32 truncated, int64,
// float64 with its NaN; strings; booleans), a per-column object must fit each column. Found missing trying the API
// as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('dropna-and-fillna-match-spark-na-functions');
type Row = { s: string | null; x: number | null; n: bigint | null; b: boolean | null; i: number | null };

function randomTable(rng: Rng, rows: number): Row[] {
  const maybe = <T>(value: () => T): T | null => (rng.nextInt(4) === 0 ? null : value());
  return Array.from({ length: rows }, () => ({
    s: maybe(() => TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!),
    x: maybe(() => (rng.nextInt(6) === 0 ? NaN : rng.nextInt(1000) / 4)),
    n: maybe(() => BigInt(rng.nextInt(1000)) - 500n),
    b: maybe(() => rng.nextInt(2) === 0),
    i: maybe(() => rng.nextInt(100)),
  }));
}

const missing = (v: unknown) => v === null || (typeof v === 'number' && Number.isNaN(v));

function modelDrop(rows: Row[], columns: (keyof Row)[], minValues: number): Row[] {
  return rows.filter((row) => columns.filter((c) => !missing(row[c])).length >= minValues);
}

const sameRows = (got: Record<string, unknown>[], want: Row[]) =>
  assert.deepEqual(
    got.map((r) => ({ ...r, i: r['i'] === null ? null : Number(r['i']) })),
    want.map((r) => ({ ...r })),
  );

test(`dropna keeps the rows Spark's na.drop keeps (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const cached of [false, true]) {
      const rows = randomTable(rng, 200 + rng.nextInt(300));
      const all: (keyof Row)[] = ['s', 'x', 'n', 'b', 'i'];
      const table = kc.fromColumns(
        {
          s: rows.map((r) => r.s),
          x: rows.map((r) => r.x),
          n: rows.map((r) => r.n),
          b: rows.map((r) => r.b),
          i: rows.map((r) => r.i),
        },
        { numPartitions: 3 },
      );
      const ds = cached ? table.cache() : table;
      sameRows(await ds.dropna().collect(), modelDrop(rows, all, all.length));
      sameRows(await ds.dropna({ how: 'all' }).collect(), modelDrop(rows, all, 1));
      sameRows(await ds.dropna({ subset: ['x', 'b'] }).collect(), modelDrop(rows, ['x', 'b'], 2));
      sameRows(await ds.dropna({ how: 'all', subset: ['x', 'b'] }).collect(), modelDrop(rows, ['x', 'b'], 1));
      sameRows(await ds.dropna({ thresh: 3 }).collect(), modelDrop(rows, all, 3));
      sameRows(await ds.dropna({ thresh: 0 }).collect(), rows);
    }
  } finally {
    await kc.stop();
  }
});

test(`fillna fills the columns whose type takes the value, or each named column (seed ${seed})`, async () => {
  const rng = new Rng(seed + 1);
  const kc = new Context({ threads: 2 });
  try {
    const rows = randomTable(rng, 300);
    const ds = kc.fromColumns(
      {
        s: rows.map((r) => r.s),
        x: rows.map((r) => r.x),
        n: rows.map((r) => r.n),
        b: rows.map((r) => r.b),
        i: new Int32Array(rows.map((r) => r.i ?? 0)),
      },
      { numPartitions: 4 },
    );
    const ints = rows.map((r) => r.i ?? 0);
    const expectRows = (fill: (r: Row, k: number) => Partial<Row>) =>
      rows.map((r, k) => ({ ...r, i: ints[k]!, ...fill(r, k) }));
    sameRows(
      await ds.fillna(7.9).collect(),
      expectRows((r) => ({ x: missing(r.x) ? 7.9 : r.x, n: r.n ?? 7n })),
    );
    sameRows(
      await ds.fillna('?').collect(),
      expectRows((r) => ({ s: r.s ?? '?' })),
    );
    sameRows(
      await ds.fillna(true).collect(),
      expectRows((r) => ({ b: r.b ?? true })),
    );
    sameRows(
      await ds.fillna(-2, ['x']).collect(),
      expectRows((r) => ({ x: missing(r.x) ? -2 : r.x })),
    );
    sameRows(
      await ds.fillna({ s: '', n: 12345678901234567890n, b: false }).collect(),
      expectRows((r) => ({ s: r.s ?? '', n: r.n ?? BigInt.asIntN(64, 12345678901234567890n), b: r.b ?? false })),
    );
    // int32 columns take a number truncated toward zero, as cast('int32'); one out of range leaves the nulls.
    const ints32 = kc
      .fromColumns({ i: [1, null, 3] })
      .select('i')
      .withColumn('i', col('i').cast('int32'));
    assert.deepEqual(await ints32.fillna(-4.7).collect(), [{ i: 1 }, { i: -4 }, { i: 3 }]);
    assert.deepEqual(await ints32.fillna(2 ** 40).collect(), [{ i: 1 }, { i: null }, { i: 3 }]);
  } finally {
    await kc.stop();
  }
});

test('bad arguments are refused at once; a column that does not exist or does not take its value fails the job', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ s: ['a', null], x: [1, null] });
    assert.throws(() => ds.dropna({ how: 'some' as 'any' }), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: `dropna(): how must be 'any' or 'all', found "some"`,
    });
    assert.throws(() => ds.dropna({ thresh: -1 }), /thresh must be a non-negative integer, found -1/);
    assert.throws(() => ds.dropna({ subset: [] }), /subset must be a non-empty array of column names/);
    assert.throws(
      () => ds.fillna([1] as unknown as number),
      /expected a number, bigint, string or boolean to fill with/,
    );
    assert.throws(() => ds.fillna({ s: 'x' }, ['s']), /a value per column takes no subset/);
    await assert.rejects(
      ds.dropna({ subset: ['nope'] }).collect(),
      /dropna\(\): no column 'nope'; the dataset has columns 's', 'x'/,
    );
    await assert.rejects(
      ds.fillna({ s: 5 }).collect(),
      /fillna\(\): column 's' is string and cannot take number 5; fill it with coalesce\(col\('s'\), lit\(…\)\) of its type/,
    );
    assert.deepEqual(await ds.fillna(5, ['s']).collect(), [
      { s: 'a', x: 1 },
      { s: null, x: null },
    ]);
  } finally {
    await kc.stop();
  }
});
