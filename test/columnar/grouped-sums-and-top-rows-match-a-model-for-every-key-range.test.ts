// groupBy(k).agg(count, sum, mean, count(x), min, max) and the top two rows per key of a rowNumber() window (the
// plans of db-benchmark q3/q4/q5/q7/q8) against a plain-JS model, for number keys of every shape the key tables and
// group states take different paths for: a dense int32 range (direct index), a sparse and negative int32 one (past
// what a direct index may span), float64 keys beyond int32 with NaN and both zeros, and keys with nulls; values with
// nulls, NaN and both zeros. On both backends (inline, two threads), with map outputs in memory and in spill files.
// Seeded: SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, count, max, mean, min, rowNumber, sum, Window } from '../../src/index.js';
import type { ColumnArrays, ContextOptions } from '../../src/index.js';
import { onEveryBackend } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('grouped-sums-and-top-rows-match-a-model-for-every-key-range');
const ROWS = 4000;

type Key = number | null;

interface KeyShape {
  readonly title: string;
  readonly keys: (rng: Rng) => Int32Array | Float64Array | (number | null)[];
}

const SHAPES: readonly KeyShape[] = [
  {
    title: 'dense int32 keys from -40',
    keys: (rng) => Int32Array.from({ length: ROWS }, () => rng.nextInt(300) - 40),
  },
  {
    // Spans almost all of int32: no directory may hold it.
    title: 'sparse int32 keys near both ends of the range',
    keys: (rng) =>
      Int32Array.from(
        { length: ROWS },
        () => [-(2 ** 31), 2 ** 31 - 1, -5, 7, 1e9, -1e9][rng.nextInt(6)]! + rng.nextInt(40),
      ),
  },
  {
    title: 'float64 keys beyond int32, NaN, -0 and 0',
    keys: (rng) =>
      Float64Array.from({ length: ROWS }, () => {
        const r = rng.nextInt(10);
        return r === 0
          ? NaN
          : r === 1
            ? -0
            : r === 2
              ? 0
              : r === 3
                ? 2 ** 40 + rng.nextInt(30)
                : rng.nextInt(50) + 0.5 * rng.nextInt(2);
      }),
  },
  {
    title: 'keys with nulls',
    keys: (rng) => Array.from({ length: ROWS }, () => (rng.nextInt(9) === 0 ? null : rng.nextInt(120) - 3)),
  },
];

interface Table {
  readonly k: readonly Key[];
  readonly a: Int32Array;
  /** Multiples of 1/4 (sums exact in any order), nulls now and then. */
  readonly b: (number | null)[];
  /** Multiples of 1/4 with NaN and both zeros, no nulls. */
  readonly c: Float64Array;
  readonly columns: ColumnArrays;
}

function tableOf(rng: Rng, shape: KeyShape): Table {
  const keys = shape.keys(rng);
  const a = Int32Array.from({ length: ROWS }, () => rng.nextInt(2000) - 1000);
  const b = Array.from({ length: ROWS }, () => (rng.nextInt(5) === 0 ? null : (rng.nextInt(4000) - 2000) / 4));
  const c = Float64Array.from({ length: ROWS }, () => {
    const r = rng.nextInt(60);
    return r === 0 ? NaN : r === 1 ? -0 : (rng.nextInt(4000) - 2000) / 4;
  });
  return { k: Array.from(keys), a, b, c, columns: { k: keys, a, b, c } as ColumnArrays };
}

/** A model key: NaN one key, -0 the key 0. */
const keyOf = (k: Key): string => (k === null ? 'null' : Number.isNaN(k) ? 'NaN' : String(k === 0 ? 0 : k));

function groupsOf(table: Table): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  table.k.forEach((k, r) => {
    const rows = groups.get(keyOf(k)) ?? [];
    rows.push(r);
    groups.set(keyOf(k), rows);
  });
  return groups;
}

/** SQL's aggregates per key, nulls skipped. */
function aggregateModel(table: Table): string[] {
  const out: string[] = [];
  for (const [key, rows] of groupsOf(table)) {
    const a = rows.map((r) => table.a[r]!);
    const b = rows.map((r) => table.b[r]!).filter((v): v is number => v !== null);
    const c = rows.map((r) => table.c[r]!);
    const total = (vs: number[]) => vs.reduce((s, v) => s + v, 0);
    const row = {
      k: key,
      n: rows.length,
      sa: total(a),
      ma: total(a) / a.length,
      sc: total(c),
      mc: total(c) / c.length,
      nb: b.length,
      sb: b.length === 0 ? null : total(b),
      mb: b.length === 0 ? null : total(b) / b.length,
      lo: Math.min(...a),
      hi: Math.max(...c),
      lob: b.length === 0 ? null : Math.min(...b),
    };
    out.push(JSON.stringify(row, plain));
  }
  return out.sort();
}

/** The top two rows of each key by b descending (null b filtered out first), as (k, b, rank). */
function topModel(table: Table): string[] {
  const out: string[] = [];
  for (const [key, rows] of groupsOf(table)) {
    const b = rows.map((r) => table.b[r]!).filter((v): v is number => v !== null);
    b.sort((x, y) => y - x);
    b.slice(0, 2).forEach((v, i) => out.push(JSON.stringify({ k: key, b: v, r: i + 1 }, plain)));
  }
  return out.sort();
}

function plain(_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (Number.isNaN(value)) return 'NaN';
  return Object.is(value, -0) ? 0 : value;
}

/** Rows as the model writes them: the key as `keyOf` names it. */
const canonical = (rows: readonly Record<string, unknown>[]): string[] =>
  rows.map((row) => JSON.stringify({ ...row, k: keyOf(row['k'] as Key) }, plain)).sort();

const PATHS: readonly {
  readonly title: string;
  readonly options: Omit<ContextOptions, 'threads'>;
  readonly spilled: boolean;
}[] = [
  { title: 'map outputs in memory', options: { memoryBytesMax: 2 ** 31 }, spilled: false },
  { title: 'map outputs in spill files', options: { shuffleMemoryBytesMax: 0 }, spilled: true },
];

for (const path of PATHS) {
  onEveryBackend(
    `grouped sums and top rows, ${path.title}`,
    (on) => {
      const rng = new Rng(seed);
      for (const shape of SHAPES) {
        const table = tableOf(rng, shape);
        const checkSpill = () => assert.equal(on.kc().lastJobMetrics!.spillBytes > 0, path.spilled, 'spill bytes');
        test(`count, sums, means and extremes by ${shape.title} (seed ${seed})`, async () => {
          const ds = on.kc().fromColumns(table.columns, { numPartitions: 3 });
          const got = await ds
            .groupBy('k', { numPartitions: 2 })
            .agg(
              count().as('n'),
              sum('a').as('sa'),
              mean('a').as('ma'),
              sum('c').as('sc'),
              mean('c').as('mc'),
              count('b').as('nb'),
              sum('b').as('sb'),
              mean('b').as('mb'),
              min('a').as('lo'),
              max('c').as('hi'),
              min('b').as('lob'),
            )
            .collect();
          checkSpill();
          assert.deepEqual(canonical(got), aggregateModel(table));
        });
        test(`top two rows per key by ${shape.title} (seed ${seed})`, async () => {
          const ds = on.kc().fromColumns(table.columns, { numPartitions: 3 });
          const got = await ds
            .filter(col('b').isNotNull())
            .select('k', 'b')
            .withColumn('r', rowNumber().over(Window.partitionBy('k').orderBy(col('b').desc())))
            .filter(col('r').le(2))
            .collect();
          checkSpill();
          assert.deepEqual(canonical(got), topModel(table));
        });
      }
    },
    path.options,
  );
}
