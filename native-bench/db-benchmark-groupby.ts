// The db-benchmark groupby questions (H2O.ai's, maintained by DuckDB Labs) on its G1 table: a seeded generator
// following groupby-datagen.R, each question as a kindling Dataset and as the DuckDB SQL of db-benchmark's
// duckdb/groupby-duckdb.R, and which answer columns are measures. Shared by the benchmark runner (db-benchmark.ts)
// and by the test that checks every answer against DuckDB's on a small table.
import { closeSync, openSync, writeSync } from 'node:fs';

import { Rng } from '../src/common/rng.js';
import {
  col,
  corr,
  count,
  max,
  mean,
  median,
  min,
  pow,
  rowNumber,
  stddev,
  sum,
  Window,
  type Dataset,
} from '../src/index.js';

/** The ten groupby questions, in db-benchmark's order. */
export const GROUPBY_QUESTIONS = ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8', 'q9', 'q10'] as const;
export type GroupbyQuestion = (typeof GROUPBY_QUESTIONS)[number];

/** The G1 table's columns as kindling's CSV schema: ids as strings (id1–id3) and ints (id4–id6), v1–v3. */
export const G1_SCHEMA = {
  id1: 'string',
  id2: 'string',
  id3: 'string',
  id4: 'int',
  id5: 'int',
  id6: 'int',
  v1: 'int',
  v2: 'int',
  v3: 'double',
} as const;

/** DuckDB's statement loading the G1 CSV at `csv` into table `x`, strings as VARCHAR (as db-benchmark's). */
export function duckDbLoadSql(csv: string): string {
  return `CREATE TABLE x AS SELECT * FROM read_csv('${csv}', header = true,
    columns = {'id1': 'VARCHAR', 'id2': 'VARCHAR', 'id3': 'VARCHAR', 'id4': 'INT', 'id5': 'INT', 'id6': 'INT',
               'v1': 'INT', 'v2': 'INT', 'v3': 'DOUBLE'})`;
}

/**
 * groupby-datagen.R for G1_<n>_<k>_0_0 (no NAs, unsorted), with our seeded generator in place of R's: id1/id2
 * `id%03d` of 1..k, id3 `id%010d` of 1..n/k, id4/id5 1..k, id6 1..n/k, v1 1..5, v2 1..15, v3 runif × 100 to 6
 * decimals.
 */
export function generateGroupbyTable(path: string, n: number, k: number, seed = 20240101): void {
  const rng = new Rng(seed);
  const nk = Math.max(1, Math.floor(n / k));
  const pad = (v: number, w: number) => String(v).padStart(w, '0');
  const fd = openSync(path, 'w');
  const chunk: string[] = ['id1,id2,id3,id4,id5,id6,v1,v2,v3\n'];
  for (let i = 0; i < n; i++) {
    const v3 = Math.round(rng.nextFloat() * 100 * 1e6) / 1e6;
    chunk.push(
      `id${pad(1 + rng.nextInt(k), 3)},id${pad(1 + rng.nextInt(k), 3)},id${pad(1 + rng.nextInt(nk), 10)},` +
        `${1 + rng.nextInt(k)},${1 + rng.nextInt(k)},${1 + rng.nextInt(nk)},${1 + rng.nextInt(5)},` +
        `${1 + rng.nextInt(15)},${v3}\n`,
    );
    if (chunk.length >= 100_000) {
      writeSync(fd, chunk.join(''));
      chunk.length = 0;
    }
  }
  writeSync(fd, chunk.join(''));
  closeSync(fd);
}

/** kindling's answer to question `q` over the loaded table `x` (a fresh plan each call). */
export function groupbyQuestion(x: Dataset, q: GroupbyQuestion): Dataset {
  switch (q) {
    case 'q1':
      return x.groupBy('id1').agg(sum('v1').as('v1'));
    case 'q2':
      return x.groupBy('id1', 'id2').agg(sum('v1').as('v1'));
    case 'q3':
      return x.groupBy('id3').agg(sum('v1').as('v1'), mean('v3').as('v3'));
    case 'q4':
      return x.groupBy('id4').agg(mean('v1').as('v1'), mean('v2').as('v2'), mean('v3').as('v3'));
    case 'q5':
      return x.groupBy('id6').agg(sum('v1').as('v1'), sum('v2').as('v2'), sum('v3').as('v3'));
    case 'q6':
      return x.groupBy('id4', 'id5').agg(median('v3').as('median_v3'), stddev('v3').as('sd_v3'));
    case 'q7':
      return x
        .groupBy('id3')
        .agg(max('v1').as('max_v1'), min('v2').as('min_v2'))
        .select(col('id3'), col('max_v1').sub(col('min_v2')).as('range_v1_v2'));
    case 'q8':
      // The SQL's subquery selects id6 and v3 before its window: so does this (DuckDB prunes the other columns).
      return x
        .filter(col('v3').isNotNull())
        .select('id6', 'v3')
        .withColumn('order_v3', rowNumber().over(Window.partitionBy('id6').orderBy(col('v3').desc())))
        .filter(col('order_v3').le(2))
        .select(col('id6'), col('v3').as('largest2_v3'));
    case 'q9':
      return x
        .groupBy('id2', 'id4')
        .agg(corr('v1', 'v2').as('r'))
        .select(col('id2'), col('id4'), pow(col('r'), 2).as('r2'));
    case 'q10':
      return x.groupBy('id1', 'id2', 'id3', 'id4', 'id5', 'id6').agg(sum('v3').as('v3'), count().as('count'));
  }
}

/** The same questions in DuckDB's SQL (db-benchmark's duckdb/groupby-duckdb.R). */
export const GROUPBY_SQL: Record<GroupbyQuestion, string> = {
  q1: 'SELECT id1, sum(v1) AS v1 FROM x GROUP BY id1',
  q2: 'SELECT id1, id2, sum(v1) AS v1 FROM x GROUP BY id1, id2',
  q3: 'SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM x GROUP BY id3',
  q4: 'SELECT id4, avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3 FROM x GROUP BY id4',
  q5: 'SELECT id6, sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3 FROM x GROUP BY id6',
  q6: 'SELECT id4, id5, median(v3) AS median_v3, stddev(v3) AS sd_v3 FROM x GROUP BY id4, id5',
  q7: 'SELECT id3, max(v1) - min(v2) AS range_v1_v2 FROM x GROUP BY id3',
  q8: 'SELECT id6, v3 AS largest2_v3 FROM (SELECT id6, v3, row_number() OVER (PARTITION BY id6 ORDER BY v3 DESC) AS order_v3 FROM x WHERE v3 IS NOT NULL) sub_query WHERE order_v3 <= 2',
  q9: 'SELECT id2, id4, pow(corr(v1, v2), 2) AS r2 FROM x GROUP BY id2, id4',
  q10: 'SELECT id1, id2, id3, id4, id5, id6, sum(v3) AS v3, count(*) AS count FROM x GROUP BY id1, id2, id3, id4, id5, id6',
};

/** Each answer's key columns, then its measure columns (the rest). */
export const GROUPBY_COLUMNS: Record<GroupbyQuestion, { keys: string[]; measures: string[] }> = {
  q1: { keys: ['id1'], measures: ['v1'] },
  q2: { keys: ['id1', 'id2'], measures: ['v1'] },
  q3: { keys: ['id3'], measures: ['v1', 'v3'] },
  q4: { keys: ['id4'], measures: ['v1', 'v2', 'v3'] },
  q5: { keys: ['id6'], measures: ['v1', 'v2', 'v3'] },
  q6: { keys: ['id4', 'id5'], measures: ['median_v3', 'sd_v3'] },
  q7: { keys: ['id3'], measures: ['range_v1_v2'] },
  q8: { keys: ['id6'], measures: ['largest2_v3'] },
  q9: { keys: ['id2', 'id4'], measures: ['r2'] },
  q10: { keys: ['id1', 'id2', 'id3', 'id4', 'id5', 'id6'], measures: ['v3', 'count'] },
};
