// The tables of db-benchmark's join task (J1_<N>_NA_0_0), made by a seeded generator that follows the rules of its
// join-datagen.R: keys 1..1.1n shuffled and split into common (0.9 n), left-only (0.1 n) and right-only (0.1 n);
// each side samples its keys so that every key of its part appears at least once ("sample all"), then in random
// order; string ids are "id" and the integer; v1 / v2 uniform in [0, 100) rounded to 6 decimals. No NAs, unsorted.
//
// Tables: x (N rows: id1, id2, id3, id4, id5, id6, v1), small (N/1e6 rows: id1, id4, v2), medium (N/1e3 rows:
// id1, id2, id4, id5, v2), big (N rows: id1, id2, id3, id4, id5, id6, v2). The R script needs N >= 1e7; below that
// the key counts are kept at 10 and 100 at least (N/1e6 and N/1e3 round up to those), so a 1e5 table still joins
// small and medium tables with absent keys on both sides.
import { closeSync, openSync, writeSync } from 'node:fs';

import { Rng } from '../src/common/rng.js';

/** One column: integers, doubles, or strings "id<integer>" kept as their integers. */
export interface JoinColumn {
  readonly name: string;
  readonly kind: 'int' | 'double' | 'id-string';
  readonly values: Int32Array | Float64Array;
}

/** A generated table, columns in the order of the R script's CSV files. */
export interface JoinTable {
  readonly name: 'x' | 'small' | 'medium' | 'big';
  readonly rows: number;
  readonly columns: readonly JoinColumn[];
}

/** The seed every run uses unless told otherwise (the R script's is 108). */
export const JOIN_DATA_SEED = 108;

function shuffle(rng: Rng, values: Int32Array): Int32Array {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.nextInt(i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
  return values;
}

/** Keys 1..1.1n shuffled: common (0.9 n), left-only (0.1 n), right-only (0.1 n). */
function splitKeys(rng: Rng, n: number): { common: Int32Array; left: Int32Array; right: Int32Array } {
  const all = new Int32Array(Math.round(n * 1.1));
  for (let i = 0; i < all.length; i++) all[i] = i + 1;
  shuffle(rng, all);
  const c = Math.round(n * 0.9);
  return { common: all.subarray(0, c), left: all.subarray(c, n), right: all.subarray(n) };
}

/** `size` values holding every one of `a` and `b` at least once, the rest drawn with replacement, shuffled. */
function sampleAll(rng: Rng, a: Int32Array, b: Int32Array, size: number): Int32Array {
  const out = new Int32Array(size);
  out.set(a);
  out.set(b, a.length);
  const have = a.length + b.length;
  for (let i = have; i < size; i++) {
    const k = rng.nextInt(have);
    out[i] = k < a.length ? a[k]! : b[k - a.length]!;
  }
  return shuffle(rng, out);
}

function uniform(rng: Rng, size: number): Float64Array {
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = Math.round(rng.nextFloat() * 100 * 1e6) / 1e6;
  return out;
}

/**
 * The four tables of J1_<n>_NA_0_0.
 *
 * @example
 * const { x, small, medium, big } = generateJoinTables(1e5);
 */
export function generateJoinTables(n: number, seed = JOIN_DATA_SEED): Record<JoinTable['name'], JoinTable> {
  if (!Number.isInteger(n) || n < 1000 || n % 1000 !== 0) {
    throw new Error(`generateJoinTables(): expected a multiple of 1000 rows, found ${n}`);
  }
  const rng = new Rng(seed);
  const n1 = Math.max(10, Math.round(n / 1e6));
  const n2 = Math.max(100, Math.round(n / 1e3));
  const key1 = splitKeys(rng, n1);
  const key2 = splitKeys(rng, n2);
  const key3 = splitKeys(rng, n);
  const int = (name: string, values: Int32Array): JoinColumn => ({ name, kind: 'int', values });
  const str = (name: string, values: Int32Array): JoinColumn => ({ name, kind: 'id-string', values });
  const lhs = (k: typeof key1, size: number) => sampleAll(rng, k.common, k.left, size);
  const rhs = (k: typeof key1, size: number) => sampleAll(rng, k.common, k.right, size);
  const [x1, x2, x3] = [lhs(key1, n), lhs(key2, n), lhs(key3, n)];
  const x: JoinTable = {
    name: 'x',
    rows: n,
    columns: [
      int('id1', x1),
      int('id2', x2),
      int('id3', x3),
      str('id4', x1),
      str('id5', x2),
      str('id6', x3),
      { name: 'v1', kind: 'double', values: uniform(rng, n) },
    ],
  };
  const s1 = rhs(key1, n1);
  const small: JoinTable = {
    name: 'small',
    rows: n1,
    columns: [int('id1', s1), str('id4', s1), { name: 'v2', kind: 'double', values: uniform(rng, n1) }],
  };
  const [m1, m2] = [rhs(key1, n2), rhs(key2, n2)];
  const medium: JoinTable = {
    name: 'medium',
    rows: n2,
    columns: [
      int('id1', m1),
      int('id2', m2),
      str('id4', m1),
      str('id5', m2),
      { name: 'v2', kind: 'double', values: uniform(rng, n2) },
    ],
  };
  const [b1, b2, b3] = [rhs(key1, n), rhs(key2, n), rhs(key3, n)];
  const big: JoinTable = {
    name: 'big',
    rows: n,
    columns: [
      int('id1', b1),
      int('id2', b2),
      int('id3', b3),
      str('id4', b1),
      str('id5', b2),
      str('id6', b3),
      { name: 'v2', kind: 'double', values: uniform(rng, n) },
    ],
  };
  return { x, small, medium, big };
}

/** Writes `table` as a CSV file with a header, as the R script's fwrite does. */
export function writeJoinCsv(path: string, table: JoinTable): void {
  const fd = openSync(path, 'w');
  try {
    const cells = table.columns.map((c) =>
      c.kind === 'id-string' ? (r: number) => `id${c.values[r]}` : (r: number) => String(c.values[r]),
    );
    const lines: string[] = [`${table.columns.map((c) => c.name).join(',')}\n`];
    for (let r = 0; r < table.rows; r++) {
      lines.push(`${cells.map((cell) => cell(r)).join(',')}\n`);
      if (lines.length >= 50_000) {
        writeSync(fd, lines.join(''));
        lines.length = 0;
      }
    }
    writeSync(fd, lines.join(''));
  } finally {
    closeSync(fd);
  }
}

/** The CSV schema of `table` for kindling's reader (`int`, `double`, `string`) and DuckDB (SQL types). */
export function joinSchema(table: JoinTable): { kindling: Record<string, string>; duckdb: string } {
  const kindling: Record<string, string> = {};
  const duck: string[] = [];
  for (const c of table.columns) {
    kindling[c.name] = c.kind === 'id-string' ? 'string' : c.kind;
    duck.push(`'${c.name}': '${c.kind === 'id-string' ? 'VARCHAR' : c.kind === 'int' ? 'INTEGER' : 'DOUBLE'}'`);
  }
  return { kindling, duckdb: `{${duck.join(', ')}}` };
}
