// Parquet DECIMAL columns read as the double nearest the exact decimal, for every physical type DuckDB writes
// (INT32 for precision ≤ 9, INT64 for ≤ 18, 16-byte FIXED_LEN_BYTE_ARRAY beyond), plain and dictionary-coded (and
// dictionary-coded FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY decimals from hyparquet-writer, which DuckDB never writes), with
// negatives, nulls, scale 0 and values at each precision's limits. The oracle is DuckDB's exact decimal text parsed by
// Number (which rounds once, to the nearest double). hyparquet alone divides an already rounded unscaled integer
// (DECIMAL(38,4) 123456789012345.0000 read as 123456789012345.02). DuckDB's own CAST(d AS DOUBLE) misses by an ulp
// now and then for large values (v1.5: 9233427162331289.4418 → …288, the nearest is …290), so it is no oracle here.
// A decimal with only the logical type (newer writers may omit the converted type) is scaled as well.
// Row-group statistics are rounded hyparquet's way; pruning must still keep the row groups holding a filtered value.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parquetWriteFile } from 'hyparquet-writer';

import { Rng } from '../../src/common/rng.js';
import { col, Context } from '../../src/index.js';
import { temporaryDirectory } from '../api/helpers.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('parquet-decimals-read-as-the-nearest-double');
const ROWS = 1500;
/** Columns of the table: name, precision, scale; `dict` columns draw from a few values, so DuckDB dictionary-codes them. */
const COLUMNS = [
  { name: 'd9', precision: 9, scale: 2, dict: false },
  { name: 'd18', precision: 18, scale: 6, dict: false },
  { name: 'd38', precision: 38, scale: 4, dict: false },
  { name: 'd38s0', precision: 38, scale: 0, dict: false },
  { name: 'd38s30', precision: 38, scale: 30, dict: false },
  { name: 'k9', precision: 9, scale: 3, dict: true },
  { name: 'k18', precision: 18, scale: 6, dict: true },
] as const;

/** The decimal text of `unscaled` · 10^-scale. */
function decimalText(unscaled: bigint, scale: number): string {
  const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  return `${unscaled < 0n ? '-' : ''}${whole}${scale === 0 ? '' : `.${digits.slice(digits.length - scale)}`}`;
}

/** A random unscaled integer of up to `precision` digits (each digit count equally likely), either sign. */
function randomUnscaled(rng: Rng, precision: number): bigint {
  const count = 1 + rng.nextInt(precision);
  let text = '';
  for (let i = 0; i < count; i++) text += String(rng.nextInt(10));
  const value = BigInt(text);
  return rng.nextInt(2) === 0 ? -value : value;
}

/** Values at the edges: ±(10^p − 1), ±1 unit, 0, ±2^53 ± 1 where they fit, and the example of the issue. */
function extremes(precision: number, scale: number): bigint[] {
  const top = 10n ** BigInt(precision) - 1n;
  const safe = 2n ** 53n;
  const edges = [top, -top, 1n, -1n, 0n, top / 2n + 1n, -(top / 3n)];
  if (safe < top) edges.push(safe - 1n, safe + 1n, -(safe + 1n), safe * 1000n + 7n);
  if (precision === 38 && scale === 4) edges.push(1234567890123450000n);
  return edges.filter((v) => (v < 0n ? -v : v) <= top);
}

/** Each column's unscaled values by row (null for a null). */
function table(rng: Rng): (bigint | null)[][] {
  return COLUMNS.map(({ precision, scale, dict }) => {
    const pool = dict ? Array.from({ length: 6 }, () => randomUnscaled(rng, precision)) : [];
    const edges = extremes(precision, scale);
    return Array.from({ length: ROWS }, (_, row) => {
      if (row < edges.length) return edges[row]!;
      if (rng.nextInt(9) === 0) return null;
      return dict ? pool[rng.nextInt(pool.length)]! : randomUnscaled(rng, precision);
    });
  });
}

/** A decimal of what hyparquet makes of an unscaled integer: rounded to a double, then divided. */
const hyparquetValue = (unscaled: bigint, scale: number) => Number(unscaled) / 10 ** scale;

describe('kc.read.parquet reads decimals as the nearest double', () => {
  const dir = temporaryDirectory('parquet-decimals');
  const file = () => join(dir(), 'decimals.parquet');
  let kc: Context;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  const duck = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();

  before(async () => {
    kc = new Context({ threads: 2 });
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
    const columns = table(new Rng(seed));
    const rows = Array.from({ length: ROWS }, (_, row) => {
      const cells = COLUMNS.map(({ precision, scale }, c) => {
        const v = columns[c]![row];
        return v === null || v === undefined ? 'NULL' : `'${decimalText(v, scale)}'::DECIMAL(${precision},${scale})`;
      });
      return `(${row}, ${cells.join(', ')})`;
    });
    await db.run(
      `COPY (SELECT * FROM (VALUES ${rows.join(',\n')}) t(id, ${COLUMNS.map((c) => c.name).join(', ')})) ` +
        `TO '${file()}' (FORMAT parquet, ROW_GROUP_SIZE 4096)`,
    );
  });
  after(async () => {
    await kc.stop();
    db.closeSync();
    instance.closeSync();
  });

  test('DuckDB wrote each physical type the test means, dictionary-coded where meant', async () => {
    const meta = await duck(
      `SELECT path_in_schema AS name, type, encodings FROM parquet_metadata('${file()}') WHERE path_in_schema <> 'id'`,
    );
    const byName = new Map(meta.map((m) => [String(m.name), m]));
    for (const { name, precision, dict } of COLUMNS) {
      const m = byName.get(name)!;
      assert.equal(m.type, precision <= 9 ? 'INT32' : precision <= 18 ? 'INT64' : 'FIXED_LEN_BYTE_ARRAY', name);
      assert.equal(String(m.encodings).includes('DICTIONARY'), dict, `${name}: ${String(m.encodings)}`);
    }
  });

  test('every value is the double nearest its exact decimal, nulls null', async () => {
    const names = COLUMNS.map((c) => c.name);
    const rows = await kc.read
      .parquet(file())
      .select('id', ...names)
      .orderBy('id')
      .collect();
    const exact = await duck(`SELECT id, ${names.map((n) => `${n}::VARCHAR AS ${n}`).join(', ')} FROM '${file()}'
      ORDER BY id`);
    assert.equal(rows.length, ROWS);
    let wrong = 0;
    const misses: string[] = [];
    for (let row = 0; row < ROWS; row++) {
      for (const name of names) {
        const text = exact[row]![name] as string | null;
        const expected = text === null ? null : Number(text);
        const found = rows[row]![name];
        if (!Object.is(found, expected)) {
          wrong++;
          if (misses.length < 5)
            misses.push(`row ${row}, ${name} = ${text}: read ${String(found)}, expected ${expected}`);
        }
      }
    }
    assert.equal(wrong, 0, `${wrong} values read wrong (SEED=${seed}), e.g.\n${misses.join('\n')}`);
  });

  test('dictionary-coded FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY decimals read as the nearest double too', async () => {
    const rng = new Rng(seed ^ 0x3c3c);
    const pool = [...extremes(38, 4), ...Array.from({ length: 5 }, () => randomUnscaled(rng, 38))];
    const pick = (): bigint | null => (rng.nextInt(8) === 0 ? null : pool[rng.nextInt(pool.length)]!);
    const fixed = Array.from({ length: 300 }, pick);
    const varying = Array.from({ length: 300 }, pick);
    const written = join(dir(), 'byte-decimals.parquet');
    const decimal = { converted_type: 'DECIMAL', scale: 4, precision: 38, repetition_type: 'OPTIONAL' } as const;
    await parquetWriteFile({
      filename: written,
      columnData: [
        { name: 'f', data: fixed, encoding: 'RLE_DICTIONARY' },
        { name: 'v', data: varying, encoding: 'RLE_DICTIONARY' },
      ],
      schema: [
        { name: 'root', num_children: 2 },
        { name: 'f', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 16, ...decimal },
        { name: 'v', type: 'BYTE_ARRAY', ...decimal },
      ],
    });
    const meta = await duck(`SELECT path_in_schema AS name, type, encodings FROM parquet_metadata('${written}')`);
    assert.deepEqual(
      meta.map((m) => [m.name, m.type, String(m.encodings).includes('DICTIONARY')]),
      [
        ['f', 'FIXED_LEN_BYTE_ARRAY', true],
        ['v', 'BYTE_ARRAY', true],
      ],
    );
    const text = (u: bigint | null) => (u === null ? null : decimalText(u, 4));
    // DuckDB reads the file as written: the exact decimals.
    const exact = await duck(`SELECT f::VARCHAR AS f, v::VARCHAR AS v FROM '${written}'`);
    assert.deepEqual(
      exact,
      fixed.map((f, i) => ({ f: text(f), v: text(varying[i]!) })),
    );
    const nearest = (u: bigint | null) => (u === null ? null : Number(decimalText(u, 4)));
    const rows = await kc.read.parquet(written).collect();
    assert.deepEqual(
      rows,
      fixed.map((f, i) => ({ f: nearest(f), v: nearest(varying[i]!) })),
    );
  });

  test('a decimal marked only by its logical type (no converted type) reads scaled too', async () => {
    const written = join(dir(), 'logical-only.parquet');
    const values = [12345n, -9007199254740993n, null, 999999999999999999n];
    await parquetWriteFile({
      filename: written,
      columnData: [{ name: 'x', data: values }],
      schema: [
        { name: 'root', num_children: 1 },
        {
          name: 'x',
          type: 'INT64',
          repetition_type: 'OPTIONAL',
          logical_type: { type: 'DECIMAL', precision: 18, scale: 3 },
        },
      ],
    });
    const rows = await kc.read.parquet(written).collect();
    assert.deepEqual(
      rows,
      values.map((u) => ({ x: u === null ? null : Number(decimalText(u, 3)) })),
    );
  });

  test('statistics rounded by hyparquet never skip a row group holding the filtered value', async () => {
    // Single-value files whose statistics (min = max, rounded hyparquet's way) lie below the value read.
    const rng = new Rng(seed ^ 0x5a5a);
    const values: bigint[] = [];
    for (let tries = 0; values.length < 3 && tries < 100_000; tries++) {
      const u = randomUnscaled(rng, 38);
      if (hyparquetValue(u, 4) < Number(decimalText(u, 4))) values.push(u);
    }
    assert.equal(values.length, 3, `found values that hyparquet rounds down (SEED=${seed})`);
    const folder = join(dir(), 'single');
    mkdirSync(folder, { recursive: true });
    for (const [i, u] of values.entries()) {
      await db.run(
        `COPY (SELECT '${decimalText(u, 4)}'::DECIMAL(38,4) AS d) TO '${join(folder, `v${i}.parquet`)}' (FORMAT parquet)`,
      );
    }
    const targets = values.map((u) => Number(decimalText(u, 4)));
    const ds = kc.read.parquet(folder);
    assert.equal(await ds.filter(col('d').isin(...targets)).count(), 3);
    for (const target of targets) {
      assert.equal(await ds.filter(col('d').ge(target)).filter(col('d').le(target)).count(), 1, `d = ${target}`);
    }
  });
});
