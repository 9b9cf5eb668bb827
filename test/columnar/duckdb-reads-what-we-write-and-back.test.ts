// Interop with DuckDB (@duckdb/node-api, a devDependency), exact values: DuckDB reads the Parquet, CSV and
// Hive-partitioned folders kindling writes, and kindling reads the ones DuckDB writes, on seeded random tables with
// nulls in every column (int32, int64, float64, bool, utf8 with quotes / commas / line breaks / '' vs null, dates,
// timestamps in ms and µs, with and without zone) and row groups small enough that a file holds several.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import { Rng } from '../../src/common/rng.js';
import { col, Context, type Dataset } from '../../src/index.js';
import { temporaryDirectory } from '../api/helpers.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('duckdb-reads-what-we-write-and-back');
const ROWS = 3000;
const WORDS = ['', 'plain', 'a,b', 'say "hi"', 'two\nlines', 'é😀', '日本語', ' padded ', 'x/y=z', 'NULL'];

/** The model: one column per type, nulls about one row in eight, values kindling and DuckDB both hold exactly. */
interface Table {
  readonly k: number[];
  readonly i: (number | null)[];
  readonly l: (bigint | null)[];
  readonly f: (number | null)[];
  readonly b: (boolean | null)[];
  readonly s: (string | null)[];
  readonly d: (string | null)[];
  /** ISO instants with milliseconds (`…Z`). */
  readonly t: (string | null)[];
  /** A small partition key (with nulls). */
  readonly g: (number | null)[];
}

function randomTable(rng: Rng): Table {
  const maybe = <T>(make: () => T): T | null => (rng.nextInt(8) === 0 ? null : make());
  const table: Table = { k: [], i: [], l: [], f: [], b: [], s: [], d: [], t: [], g: [] };
  for (let r = 0; r < ROWS; r++) {
    table.k.push(r);
    table.i.push(maybe(() => (rng.nextInt(50) === 0 ? 2147483647 : rng.nextInt(2000001) - 1000000)));
    table.l.push(maybe(() => (rng.nextInt(40) === 0 ? -(2n ** 63n) : BigInt(rng.nextInt(1 << 30)) * 8589934592n + 7n)));
    table.f.push(maybe(() => [0.1, -0, 1e-300, 1.5e300, (rng.nextInt(1 << 30) - (1 << 29)) / 1024][rng.nextInt(5)]!));
    table.b.push(maybe(() => rng.nextInt(2) === 0));
    table.s.push(maybe(() => WORDS[rng.nextInt(WORDS.length)]!));
    table.d.push(
      maybe(() =>
        new Date(Date.UTC(1900 + rng.nextInt(200), rng.nextInt(12), 1 + rng.nextInt(28))).toISOString().slice(0, 10),
      ),
    );
    table.t.push(
      maybe(() => new Date(Date.UTC(2000, 0, 1) + rng.nextInt(2 ** 30) * 997 + rng.nextInt(1000)).toISOString()),
    );
    table.g.push(maybe(() => rng.nextInt(3)));
  }
  return table;
}

/** A row with values every engine can state alike: dates as `YYYY-MM-DD`, timestamps as µs since the epoch. */
type Canonical = Record<string, unknown>;

function modelRows(table: Table, columns: readonly (keyof Table)[]): Canonical[] {
  return table.k.map((_, r) =>
    Object.fromEntries(
      columns.map((c) => {
        const v = table[c][r]!;
        if (c === 't') return [c, v === null ? null : BigInt(Date.parse(v as string)) * 1000n];
        return [c, v];
      }),
    ),
  );
}

/** kindling's rows in canonical form: timestamps cast to text first (exact µs), then parsed here. */
async function kindlingRows(ds: Dataset, timestamps: readonly string[]): Promise<Canonical[]> {
  let text = ds;
  for (const name of timestamps) text = text.withColumn(name, col(name).cast('string'));
  const rows = await text.collect();
  return rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, v]) => {
        if (v instanceof Date) return [name, v.toISOString().slice(0, 10)];
        if (timestamps.includes(name)) return [name, v === null ? null : microsOf(v as string)];
        return [name, v];
      }),
    ),
  );
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC) as µs since the epoch. */
function microsOf(text: string): bigint {
  const [base, fraction = ''] = text.split('.');
  return BigInt(Date.parse(`${base!.replace(' ', 'T')}Z`)) * 1000n + BigInt(fraction.padEnd(6, '0'));
}

/** DuckDB's rows in canonical form: dates as text, timestamp columns through epoch_us. */
async function duckRows(db: DuckDBConnection, from: string, columns: readonly string[], timestamps: readonly string[]) {
  const select = columns.map((c) => (timestamps.includes(c) ? `epoch_us(${c}) AS ${c}` : c)).join(', ');
  const reader = await db.runAndReadAll(`SELECT ${select} FROM ${from} ORDER BY k`);
  return reader
    .getRowObjectsJS()
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([name, v]) => [name, v instanceof Date ? v.toISOString().slice(0, 10) : v]),
      ),
    );
}

const byK = (a: Canonical, b: Canonical) => (a['k'] as number) - (b['k'] as number);

describe('DuckDB and kindling read each other’s files exactly', () => {
  const dir = temporaryDirectory('duckdb-interop');
  let kc: Context;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  const table = randomTable(new Rng(seed));
  const columns = ['k', 'i', 'l', 'f', 'b', 's', 'd', 't'] as const;

  before(async () => {
    kc = new Context({ threads: 2 });
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
    await db.run("SET TimeZone = 'UTC'");
  });
  after(async () => {
    await kc.stop();
    db.closeSync();
    instance.closeSync();
  });

  const dataset = () =>
    kc
      .fromColumns({ ...table, l: table.l, d: table.d, t: table.t }, { numPartitions: 3 })
      .withColumn('k', col('k').cast('int'))
      .withColumn('i', col('i').cast('int'))
      .withColumn('g', col('g').cast('int'))
      .withColumn('d', col('d').cast('date'))
      .withColumn('t', col('t').cast('timestamp'));

  test('DuckDB reads our Parquet (several row groups per file) with every value and type', async () => {
    const out = join(dir(), 'ours.parquet.d');
    await dataset()
      .select(...columns)
      .write.format('parquet')
      .option('rowGroupRows', 400)
      .save(out);
    const types = (await db.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${out}/*.parquet')`))
      .getRowObjectsJS()
      .map((r) => `${r['column_name']}: ${r['column_type']}`);
    assert.deepEqual(types, [
      'k: INTEGER',
      'i: INTEGER',
      'l: BIGINT',
      'f: DOUBLE',
      'b: BOOLEAN',
      's: VARCHAR',
      'd: DATE',
      't: TIMESTAMP',
    ]);
    const groups = await db.runAndReadAll(
      `SELECT count(DISTINCT (file_name, row_group_id))::INT AS n FROM parquet_metadata('${out}/*.parquet')`,
    );
    assert.ok((groups.getRowObjectsJS()[0]!['n'] as number) >= 6, 'several row groups per file');
    const expected = modelRows(table, columns);
    assert.deepEqual(await duckRows(db, `read_parquet('${out}/*.parquet')`, columns, ['t']), expected);
    assert.deepEqual((await kindlingRows(kc.read.parquet(out), ['t'])).sort(byK), expected);
  });

  test('we read DuckDB’s Parquet: every type it maps to ours, exactly, nulls included', async () => {
    const csvModel = join(dir(), 'model.parquet');
    await dataset()
      .select(...columns, 'g')
      .write.format('parquet')
      .save(csvModel);
    const file = join(dir(), 'duck.parquet');
    await db.run(`
      COPY (SELECT k::INT AS k, i::INT AS i, l, f, b, s, d, t,
                   t::TIMESTAMPTZ + INTERVAL 7 MICROSECOND AS tz, t::TIMESTAMP_MS AS tm, t::TIMESTAMP_NS AS tn,
                   (i / 100)::DECIMAL(12, 2) AS dm, (i % 100)::SMALLINT AS sm, (i % 100)::TINYINT AS ti,
                   abs(i)::UINTEGER AS ui, (i / 8)::FLOAT AS fl
            FROM read_parquet('${csvModel}/*.parquet'))
      TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 500)`);
    const ours = kc.read.parquet(file);
    const types = ours.explain().split('\n')[2]!;
    assert.ok(Number(/\((\d+) row groups in 1 file\)/.exec(types)?.[1]) >= 2, types);
    assert.match(
      types,
      /\[k: int32, i: int32, l: int64, f: float64, b: bool, s: utf8, d: date, t: timestamp, tz: timestamp, tm: timestamp, tn: timestamp, dm: float64, sm: int32, ti: int32, ui: int64, fl: float64\]/,
    );
    const all = ['k', 'i', 'l', 'f', 'b', 's', 'd', 't', 'tz', 'tm', 'tn', 'dm', 'sm', 'ti', 'ui', 'fl'];
    const stamps = ['t', 'tz', 'tm', 'tn'];
    const expected = await duckRows(
      db,
      `(SELECT * REPLACE (dm::DOUBLE AS dm, fl::DOUBLE AS fl, ui::BIGINT AS ui) FROM read_parquet('${file}'))`,
      all,
      stamps,
    );
    assert.deepEqual((await kindlingRows(ours, stamps)).sort(byK), expected);
  });

  test('we read DuckDB’s Parquet in every codec it writes (zstd is Polars’ default)', async () => {
    const model = join(dir(), 'codec-model.parquet');
    await dataset()
      .select(...columns)
      .write.format('parquet')
      .save(model);
    const expected = await duckRows(db, `read_parquet('${model}/*.parquet')`, columns, ['t']);
    const codecs = {
      uncompressed: 'UNCOMPRESSED',
      snappy: 'SNAPPY',
      gzip: 'GZIP',
      brotli: 'BROTLI',
      zstd: 'ZSTD',
      lz4: 'LZ4_RAW',
    };
    for (const [codec, stored] of Object.entries(codecs)) {
      const file = join(dir(), `duck-${codec}.parquet`);
      await db.run(
        `COPY (SELECT * FROM read_parquet('${model}/*.parquet')) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 700)`,
      );
      const written = await db.runAndReadAll(`SELECT DISTINCT compression FROM parquet_metadata('${file}')`);
      assert.deepEqual(
        written.getRowObjectsJS().map((r) => String(r['compression'])),
        [stored],
        `DuckDB wrote ${codec}`,
      );
      assert.deepEqual((await kindlingRows(kc.read.parquet(file), ['t'])).sort(byK), expected, codec);
    }
  });

  test('CSV both ways: nulls apart from empty strings, quotes and line breaks, dates and timestamps', async () => {
    const out = join(dir(), 'ours.csv.d');
    await dataset()
      .select(...columns)
      .write.format('csv')
      .option('header', true)
      .save(out);
    const duckTypes =
      "{'k': 'INT', 'i': 'INT', 'l': 'BIGINT', 'f': 'DOUBLE', 'b': 'BOOLEAN', 's': 'VARCHAR', 'd': 'DATE', 't': 'TIMESTAMPTZ'}";
    const fromOurs = `read_csv('${out}/*.csv', header = true, allow_quoted_nulls = false, columns = ${duckTypes})`;
    const expected = modelRows(table, columns);
    assert.deepEqual(await duckRows(db, fromOurs, columns, ['t']), expected);

    const theirs = join(dir(), 'duck.csv');
    await db.run(`COPY (SELECT * REPLACE (t::TIMESTAMP AS t) FROM ${fromOurs}) TO '${theirs}' (HEADER)`);
    const schema = {
      k: 'int',
      i: 'int',
      l: 'bigint',
      f: 'double',
      b: 'boolean',
      s: 'string',
      d: 'date',
      t: 'timestamp',
    };
    const back = kc.read.csv(theirs, { header: true, multiLine: true, schema, mode: 'FAILFAST' });
    assert.deepEqual((await kindlingRows(back, ['t'])).sort(byK), expected);
  });

  test('Hive-partitioned folders both ways, in Parquet and CSV, nulls as __HIVE_DEFAULT_PARTITION__', async () => {
    const parts = ['k', 'i', 'l', 'f', 'b', 's', 'd', 't', 'g'] as const;
    const expected = modelRows(table, parts);
    const ds = dataset().select(...parts);
    const pq = join(dir(), 'hive.parquet.d');
    const csv = join(dir(), 'hive.csv.d');
    await ds.write.format('parquet').partitionBy('g', 's').save(pq);
    await ds.write.format('csv').option('header', true).partitionBy('g', 's').save(csv);
    assert.ok(readdirSync(pq).includes('g=__HIVE_DEFAULT_PARTITION__'));
    assert.ok(readdirSync(join(pq, 'g=0')).includes('s=x%2Fy%3Dz'));
    const select = 'k, i, l, f, b, s, d, t, g::INT AS g';
    const duckParquet = await duckRows(
      db,
      `(SELECT ${select} FROM read_parquet('${pq}/**/*.parquet', hive_partitioning = true))`,
      parts,
      ['t'],
    );
    // A partition folder cannot tell '' from null: both are the default partition (as in Spark). DuckDB also
    // reads a folder `s=NULL` as null, where Hive, Spark and kindling read the string 'NULL'.
    const folded = expected.map((row) => ({ ...row, s: row['s'] === '' ? null : row['s'] }));
    const duckFolded = folded.map((row) => ({ ...row, s: row['s'] === 'NULL' ? null : row['s'] }));
    assert.deepEqual(duckParquet, duckFolded);
    const csvTypes =
      "{'k': 'INT', 'i': 'INT', 'l': 'BIGINT', 'f': 'DOUBLE', 'b': 'BOOLEAN', 'd': 'DATE', 't': 'TIMESTAMPTZ'}";
    const duckCsv = await duckRows(
      db,
      `(SELECT ${select} FROM read_csv('${csv}/**/*.csv', header = true, hive_partitioning = true, allow_quoted_nulls = false, columns = ${csvTypes}))`,
      parts,
      ['t'],
    );
    assert.deepEqual(duckCsv, duckFolded);
    assert.deepEqual((await kindlingRows(kc.read.parquet(pq), ['t'])).sort(byK), folded);

    const theirs = join(dir(), 'duck-hive');
    await db.run(`COPY (SELECT * FROM read_parquet('${pq}/**/*.parquet', hive_partitioning = true))
                  TO '${theirs}' (FORMAT parquet, PARTITION_BY (g, s))`);
    const back = kc.read.parquet(theirs);
    assert.match(back.explain(), /g \(partition\), s \(partition\)/);
    assert.deepEqual((await kindlingRows(back, ['t'])).sort(byK), duckFolded);
  });
});
