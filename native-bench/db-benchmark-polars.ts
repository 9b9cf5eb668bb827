// The db-benchmark groupby questions in nodejs-polars, written as db-benchmark's polars script writes them
// (groupby-polars.py: eager group_by/agg; q8 sorts v3 descending and takes the head of each group). nodejs-polars is
// not a dependency: its native binary is 40 MB and per platform, so the runner uses it when it is installed
// (`npm install --no-save nodejs-polars@0.26.1 nodejs-polars-linux-x64-gnu@0.26.1`, as `npm run test:interop` does)
// and says how to install it when it is not. Types below are the few calls used, not the package's own. The join
// runner (db-benchmark-join-questions.ts) uses `loadPolars` and these types too.
import type { GroupbyQuestion } from './db-benchmark-groupby.js';

/** The slice of nodejs-polars' expression API the questions use. */
interface PolarsExpr {
  sum(): PolarsExpr;
  mean(): PolarsExpr;
  median(): PolarsExpr;
  std(): PolarsExpr;
  max(): PolarsExpr;
  min(): PolarsExpr;
  head(length: number): PolarsExpr;
  pow(exponent: number): PolarsExpr;
  minus(other: PolarsExpr): PolarsExpr;
  alias(name: string): PolarsExpr;
}

interface PolarsSeries {
  readonly length: number;
  [Symbol.iterator](): Iterator<number | bigint | string | null>;
}

export interface PolarsFrame {
  readonly height: number;
  select(...exprs: PolarsExpr[]): PolarsFrame;
  join(other: PolarsFrame, options: { on: string; how: 'inner' | 'left' }): PolarsFrame;
  groupBy(by: string | string[]): { agg(...exprs: PolarsExpr[]): PolarsFrame };
  dropNulls(column: string): PolarsFrame;
  sort(by: string, descending: boolean): PolarsFrame;
  explode(columns: string[]): PolarsFrame;
  getColumn(name: string): PolarsSeries;
}

/** The module's entry points used here. */
export interface Polars {
  col(name: string): PolarsExpr;
  len(): PolarsExpr;
  pearsonCorr(a: string, b: string): PolarsExpr;
  readCSV(path: string, options: { dtypes: Record<string, unknown> }): PolarsFrame;
  /** Column types of the CSV schemas. */
  Utf8: unknown;
  Int32: unknown;
  Float64: unknown;
}

/** The installed nodejs-polars, or null with the reason (not installed, or no binary for this platform). */
export async function loadPolars(): Promise<{ pl: Polars } | { missing: string }> {
  // A name in a variable: the type checker must not require a package that is optional.
  const name = 'nodejs-polars';
  try {
    const module = (await import(name)) as { default: Polars };
    return { pl: module.default };
  } catch (error) {
    return { missing: error instanceof Error ? error.message.split('\n')[0]! : String(error) };
  }
}

/** `pl.readCSV` with the G1 table's types: ids id1–id3 as strings (as DuckDB's VARCHAR and kindling's), the rest ints. */
export function polarsLoad(pl: Polars, csv: string): PolarsFrame {
  const int = pl.Int32;
  return pl.readCSV(csv, {
    dtypes: {
      id1: pl.Utf8,
      id2: pl.Utf8,
      id3: pl.Utf8,
      id4: int,
      id5: int,
      id6: int,
      v1: int,
      v2: int,
      v3: pl.Float64,
    },
  });
}

/** Polars' answer to question `q` over the loaded frame `x`. */
export function polarsQuestion(pl: Polars, x: PolarsFrame, q: GroupbyQuestion): PolarsFrame {
  const c = (name: string) => pl.col(name);
  switch (q) {
    case 'q1':
      return x.groupBy('id1').agg(c('v1').sum().alias('v1'));
    case 'q2':
      return x.groupBy(['id1', 'id2']).agg(c('v1').sum().alias('v1'));
    case 'q3':
      return x.groupBy('id3').agg(c('v1').sum().alias('v1'), c('v3').mean().alias('v3'));
    case 'q4':
      return x.groupBy('id4').agg(c('v1').mean().alias('v1'), c('v2').mean().alias('v2'), c('v3').mean().alias('v3'));
    case 'q5':
      return x.groupBy('id6').agg(c('v1').sum().alias('v1'), c('v2').sum().alias('v2'), c('v3').sum().alias('v3'));
    case 'q6':
      return x.groupBy(['id4', 'id5']).agg(c('v3').median().alias('median_v3'), c('v3').std().alias('sd_v3'));
    case 'q7':
      return x.groupBy('id3').agg(c('v1').max().minus(c('v2').min()).alias('range_v1_v2'));
    case 'q8':
      return x
        .dropNulls('v3')
        .sort('v3', true)
        .groupBy('id6')
        .agg(c('v3').head(2).alias('largest2_v3'))
        .explode(['largest2_v3']);
    case 'q9':
      return x.groupBy(['id2', 'id4']).agg(pl.pearsonCorr('v1', 'v2').pow(2).alias('r2'));
    case 'q10':
      return x
        .groupBy(['id1', 'id2', 'id3', 'id4', 'id5', 'id6'])
        .agg(c('v3').sum().alias('v3'), pl.len().alias('count'));
  }
}
