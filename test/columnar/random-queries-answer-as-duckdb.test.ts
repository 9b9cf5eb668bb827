// Differential test: seeded random tables (nulls in every column, NaN, ±0, ±Infinity, empty, multi-byte, astral
// and long strings, skewed keys, empty and one-row tables) and random queries (filter, select expressions, groupBy
// with several aggregates, joins of every type, window functions, distinct, orderBy with limit, union), each run at
// 1, 3 and 8 partitions and compared with DuckDB's answer to the same question in SQL. Where kindling documents a
// rule other than DuckDB's (float64 arithmetic, truncating casts, Spark's concat), the SQL asks for kindling's
// rule explicitly (random-expressions.ts), rather than the comparison being loosened. Rows compare as a multiset
// unless the query orders them; aggregates whose float summation order legitimately differs are compared to 10
// significant digits (random-queries.ts marks them). `npm run test:heavy` runs more cases.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import { deriveSeed } from '../../src/common/rng.js';
import { col, Context, lit, type Dataset } from '../../src/index.js';
import { sized } from '../support/test-scale.js';
import { Rng, testSeed } from './random-rows.js';
import { randomQuery, type RandomQuery } from './random-queries.js';
import { createTableSql, randomJoinTable, randomMainTable, randomRowCount, type RandomTable } from './random-tables.js';

const seed = testSeed('random-queries-answer-as-duckdb');
const CASES = sized(40, 400);
/** Failures reported before the test stops looking (FAILURES_MAX= to see more when hunting). */
const FAILURES_MAX = Number(process.env['FAILURES_MAX'] ?? 5);
const PARTITIONS = [1, 3, 8];

/** A value as both sides are compared: numbers as text (NaN and ±Infinity too; -0 as 0), dates as epoch ms. */
function canonical(value: unknown, approx: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return canonical(Number(value), approx);
  if (value instanceof Date) return `T${value.getTime()}`;
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (value === 0) return 0;
    if (!Number.isFinite(value)) return String(value);
    return approx ? (Math.abs(value) < 1e-9 ? 0 : Number(value.toPrecision(10))) : value;
  }
  return value;
}

function rowsAsText(rows: readonly Record<string, unknown>[], query: RandomQuery): string[] {
  const text = rows.map((row) => JSON.stringify(query.columns.map((c) => canonical(row[c], query.approx.includes(c)))));
  return query.ordered ? text : text.sort();
}

/** The rows of `a` not in `b`, as a multiset difference. */
function minus(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const row of b) left.set(row, (left.get(row) ?? 0) + 1);
  return a.filter((row) => {
    const n = left.get(row) ?? 0;
    left.set(row, n - 1);
    return n <= 0;
  });
}

function fromTable(kc: Context, table: RandomTable, partitions: number): Dataset {
  const ds = kc.fromColumns(table.columns as Parameters<Context['fromColumns']>[0], { numPartitions: partitions });
  // fromColumns makes a JS number array float64: the integer columns are cast to int32, as DuckDB's INTEGER.
  const ints = Object.keys(table.columns).filter((c) => table.sqlTypes[c] === 'INTEGER');
  const typed = ds.withColumns(Object.fromEntries(ints.map((c) => [c, col(c).cast('int')])));
  return table.rows === 0 ? typed.filter(lit(false)) : typed; // see RandomTable.columns
}

describe(`random queries answer as DuckDB does (SEED=${seed}, ${CASES} cases)`, () => {
  let kc: Context;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  before(async () => {
    kc = new Context({ threads: 2, broadcastJoinBytesMax: 0 });
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
  });
  after(async () => {
    db.closeSync();
    instance.closeSync();
    await kc.stop();
  });

  test('every query gives DuckDB answer at 1, 3 and 8 partitions', async () => {
    const failures: string[] = [];
    for (let c = 0; c < CASES && failures.length < FAILURES_MAX; c++) {
      const rng = new Rng(deriveSeed(seed, c));
      const t = randomMainTable(rng, randomRowCount(rng, 120));
      const u = randomJoinTable(rng, randomRowCount(rng, 40));
      const query = randomQuery(rng);
      for (const statement of [...createTableSql(t), ...createTableSql(u)]) await db.run(statement);
      const expected = rowsAsText((await db.runAndReadAll(query.sql)).getRowObjectsJS(), query);
      for (const partitions of PARTITIONS) {
        const where = `case ${c} (SEED=${seed}), ${query.label}, ${partitions} partitions, t ${t.rows} rows, u ${u.rows} rows\n  SQL: ${query.sql}`;
        let got: string[];
        try {
          const ds = query.build(fromTable(kc, t, partitions), fromTable(kc, u, partitions));
          got = rowsAsText(await ds.collect(), query);
        } catch (error) {
          failures.push(`${where}\n  kindling failed: ${(error as Error).message.split('\n')[0]}`);
          break;
        }
        const same = query.ordered
          ? JSON.stringify(got) === JSON.stringify(expected)
          : minus(got, expected).length === 0 && got.length === expected.length;
        if (!same) {
          failures.push(
            `${where}\n  only kindling: ${minus(got, expected).slice(0, 5).join(' ')}\n  only DuckDB: ${minus(expected, got).slice(0, 5).join(' ')}` +
              (query.ordered
                ? `\n  kindling: ${got.slice(0, 8).join(' ')}\n  DuckDB:   ${expected.slice(0, 8).join(' ')}`
                : ''),
          );
          break;
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});
