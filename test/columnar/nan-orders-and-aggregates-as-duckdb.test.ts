// NaN is the largest number and equals NaN, as in Spark, DuckDB and Polars: orderBy puts it last ascending and
// first among the values descending (nulls where asked), over several partitions (the range partitioner's key bytes
// and each partition's sort agree) and with a limit (top n per task); min ignores NaN unless every value is NaN,
// max is NaN as soon as one value is; likewise for running and ROWS-frame window min/max, and a window's top
// ranks by a NaN-holding key. Checked against DuckDB on seeded rows with NaN, -0, 0, ±Infinity and nulls.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import { col, Context, max, min, rowNumber, Window, type Dataset, type SortKey } from '../../src/index.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('nan-orders-and-aggregates-as-duckdb');
const rng = new Rng(seed);

type Row = { id: number; g: number; x: number | null };

const SPECIALS = [Number.NaN, -0, 0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null];
// Groups 0–5 random; 6 all NaN; 7 all null; 8 NaN and one number; 9 ±Infinity and NaN.
const rows: Row[] = [
  ...Array.from({ length: 900 }, (_, id) => ({
    id,
    g: rng.nextInt(6),
    x: rng.nextInt(4) === 0 ? SPECIALS[rng.nextInt(SPECIALS.length)]! : (rng.nextInt(201) - 100) / 4,
  })),
  ...[
    [6, NaN],
    [6, NaN],
    [7, null],
    [8, NaN],
    [8, 3],
    [8, NaN],
    [9, NaN],
    [9, Infinity],
    [9, -Infinity],
  ].map(([g, x], i) => ({ id: 900 + i, g: g!, x: x ?? null })),
];

const sqlNumber = (x: number | null) =>
  x === null
    ? 'NULL'
    : Number.isNaN(x)
      ? "'nan'::DOUBLE"
      : x === Infinity
        ? "'inf'::DOUBLE"
        : x === -Infinity
          ? "'-inf'::DOUBLE"
          : Object.is(x, -0)
            ? "'-0.0'::DOUBLE"
            : `${x}::DOUBLE`;

/** A value as both sides are compared: -0 as 0 (DuckDB and we may differ on a zero's sign only), bigints as numbers. */
const canonical = (v: unknown): unknown =>
  typeof v === 'bigint' ? Number(v) : typeof v === 'number' && v === 0 ? 0 : v === undefined ? null : v;

describe(`NaN orders and aggregates as DuckDB's (SEED=${seed})`, () => {
  let kc: Context;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  before(async () => {
    kc = new Context({ threads: 2 });
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
    await db.run('CREATE TABLE t (id INTEGER, g INTEGER, x DOUBLE)');
    await db.run(`INSERT INTO t VALUES ${rows.map((r) => `(${r.id}, ${r.g}, ${sqlNumber(r.x)})`).join(', ')}`);
  });
  after(async () => {
    db.closeSync();
    instance.closeSync();
    await kc.stop();
  });

  const duck = async (sql: string, columns: readonly string[]) => {
    const reader = await db.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => columns.map((c) => canonical(row[c])));
  };
  const ours = (got: readonly Record<string, unknown>[], columns: readonly string[]) =>
    got.map((row) => columns.map((c) => canonical(row[c])));
  const dataset = (partitions: number): Dataset => kc.parallelize(rows, partitions).toDataset();

  const ORDERS: readonly [string, (c: ReturnType<typeof col>) => SortKey][] = [
    ['ASC NULLS FIRST', (c) => c.ascNullsFirst()],
    ['ASC NULLS LAST', (c) => c.ascNullsLast()],
    ['DESC NULLS FIRST', (c) => c.descNullsFirst()],
    ['DESC NULLS LAST', (c) => c.descNullsLast()],
  ];

  for (const partitions of [1, 3, 8]) {
    for (const [sql, key] of ORDERS) {
      test(`orderBy x ${sql} over ${partitions} partitions, and its first 25, give DuckDB's order`, async () => {
        // Ties (NaN with NaN, -0 with 0, equal values) keep input order, which is id order here.
        const expected = await duck(`SELECT id, x FROM t ORDER BY x ${sql}, id`, ['id', 'x']);
        const sorted = dataset(partitions).orderBy(key(col('x')));
        assert.deepEqual(ours(await sorted.collect(), ['id', 'x']), expected);
        assert.deepEqual(ours(await sorted.limit(25).collect(), ['id', 'x']), expected.slice(0, 25));
      });
    }

    test(`groupBy min and max, and min and max of all rows, over ${partitions} partitions are DuckDB's`, async () => {
      const got = await dataset(partitions).groupBy('g').agg(min('x'), max('x')).orderBy('g').collect();
      const expected = await duck('SELECT g, min(x) AS mn, max(x) AS mx FROM t GROUP BY g ORDER BY g', [
        'g',
        'mn',
        'mx',
      ]);
      assert.deepEqual(ours(got, ['g', 'min(x)', 'max(x)']), expected);
      const all = await dataset(partitions).agg(min('x'), max('x')).collect();
      assert.deepEqual(
        ours(all, ['min(x)', 'max(x)']),
        await duck('SELECT min(x) AS mn, max(x) AS mx FROM t', ['mn', 'mx']),
      );
    });
  }

  test("running and ROWS-frame window min and max are DuckDB's", async () => {
    const w = Window.partitionBy('g').orderBy('id');
    const framed = w.rowsBetween(-3, 0);
    const got = await dataset(4)
      .withColumn('rmin', min('x').over(w))
      .withColumn('rmax', max('x').over(w))
      .withColumn('fmin', min('x').over(framed))
      .withColumn('fmax', max('x').over(framed))
      .orderBy('id')
      .collect();
    const columns = ['id', 'rmin', 'rmax', 'fmin', 'fmax'];
    const frame = 'PARTITION BY g ORDER BY id ROWS BETWEEN 3 PRECEDING AND CURRENT ROW';
    const expected = await duck(
      `SELECT id, min(x) OVER (PARTITION BY g ORDER BY id) AS rmin, max(x) OVER (PARTITION BY g ORDER BY id) AS rmax,
         min(x) OVER (${frame}) AS fmin, max(x) OVER (${frame}) AS fmax FROM t ORDER BY id`,
      columns,
    );
    assert.deepEqual(ours(got, columns), expected);
  });

  for (const [sql, key] of ORDERS) {
    test(`a window's top 3 rows by x ${sql} hold DuckDB's values`, async () => {
      // Which of tied rows are kept is left open; the values kept per group and rank are not.
      const w = Window.partitionBy('g').orderBy(key(col('x')));
      const got = await dataset(4)
        .withColumn('rn', rowNumber().over(w))
        .filter(col('rn').le(3))
        .orderBy('g', 'rn')
        .collect();
      const expected = await duck(
        `SELECT g, rn, x FROM (SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x ${sql}) AS rn FROM t)
         WHERE rn <= 3 ORDER BY g, rn`,
        ['g', 'rn', 'x'],
      );
      assert.deepEqual(ours(got, ['g', 'rn', 'x']), expected);
    });
  }
});
