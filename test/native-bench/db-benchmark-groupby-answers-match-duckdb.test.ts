// Every db-benchmark groupby question (q1–q10) gives DuckDB's answer, row for row, on a seeded 1e5-row G1 table:
// the benchmark's timings mean nothing unless both engines answer the same question. Keys must be equal, measures
// equal within 1e-9 relative (sums of doubles in another order, medians and correlations computed differently).
// The table is read as 7 partitions so partial aggregates from several map tasks meet on the reduce side.
// SEED=<n> replays a run with another table.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import { Context, type Dataset } from '../../src/index.js';
import {
  duckDbLoadSql,
  G1_SCHEMA,
  generateGroupbyTable,
  GROUPBY_COLUMNS,
  GROUPBY_QUESTIONS,
  GROUPBY_SQL,
  groupbyQuestion,
} from '../../native-bench/db-benchmark-groupby.js';
import { temporaryDirectory } from '../api/helpers.js';
import { testSeed } from '../columnar/random-rows.js';

const seed = testSeed('db-benchmark-groupby-answers-match-duckdb');
const ROWS = 100_000;
const K = 100;

type Row = (string | number)[];

/** Rows as [keys…, measures…] with numbers as JS numbers, sorted by keys then measures (answers have no order). */
function canonical(rows: Row[]): Row[] {
  const compare = (a: Row, b: Row): number => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      const y = b[i]!;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };
  return rows.sort(compare);
}

function toNumber(value: unknown): number | string {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (value === null) return NaN;
  return Number(value);
}

async function kindlingAnswer(x: Dataset, columns: string[], q: (typeof GROUPBY_QUESTIONS)[number]): Promise<Row[]> {
  const table = await groupbyQuestion(x, q).toArrow();
  const vectors = columns.map((name) => {
    const child = table.getChild(name);
    assert.ok(child !== null, `${q}: kindling's answer has no column '${name}'`);
    return child.toArray() as ArrayLike<unknown>;
  });
  return canonical(Array.from({ length: table.numRows }, (_, r) => vectors.map((v) => toNumber(v[r]))));
}

async function duckDbAnswer(db: DuckDBConnection, columns: string[], q: (typeof GROUPBY_QUESTIONS)[number]) {
  const reader = await db.runAndReadAll(`SELECT ${columns.join(', ')} FROM (${GROUPBY_SQL[q]})`);
  return canonical(reader.getRowObjectsJS().map((row) => columns.map((name) => toNumber(row[name]))));
}

describe(`db-benchmark groupby answers match DuckDB's on G1_1e5_1e2_0_0 (SEED=${seed})`, () => {
  const dir = temporaryDirectory('db-benchmark-groupby');
  let kc: Context;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  let x: Dataset;
  before(async () => {
    const csv = join(dir(), 'G1.csv');
    generateGroupbyTable(csv, ROWS, K, seed);
    kc = new Context({ threads: 2 });
    x = kc.read.csv(csv, { header: true, schema: G1_SCHEMA, minPartitions: 7 }).cache();
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
    await db.run(duckDbLoadSql(csv));
  });
  after(async () => {
    db.closeSync();
    instance.closeSync();
    await kc.stop();
  });

  for (const q of GROUPBY_QUESTIONS) {
    test(`${q}: ${GROUPBY_SQL[q]}`, async () => {
      const { keys, measures } = GROUPBY_COLUMNS[q];
      const columns = [...keys, ...measures];
      const ours = await kindlingAnswer(x, columns, q);
      const theirs = await duckDbAnswer(db, columns, q);
      assert.ok(theirs.length > 0, `${q}: DuckDB answered no rows`);
      assert.equal(ours.length, theirs.length, `${q}: row count`);
      for (let r = 0; r < ours.length; r++) {
        const a = ours[r]!;
        const b = theirs[r]!;
        for (let c = 0; c < columns.length; c++) {
          const mine = a[c]!;
          const duck = b[c]!;
          const close =
            mine === duck ||
            (Number.isNaN(mine) && Number.isNaN(duck)) ||
            (typeof mine === 'number' &&
              typeof duck === 'number' &&
              Math.abs(mine - duck) <= 1e-9 * Math.max(1, Math.abs(mine), Math.abs(duck)));
          assert.ok(close, `${q} row ${r} column ${columns[c]}: kindling ${mine}, DuckDB ${duck} (row ${a} vs ${b})`);
        }
      }
    });
  }
});
