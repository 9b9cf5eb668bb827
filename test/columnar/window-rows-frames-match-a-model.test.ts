// Aggregates over ROWS frames (Spark's Window.rowsBetween(start, end)): count(), count(v), sum, mean, min and max
// over frames bounded on both sides, unbounded on one or both, and lying wholly before or after the row, against a
// plain-JS model on seeded window partitions with nulls over several partitions: float64, int32 and exact int64
// values; an empty frame counts 0 and aggregates to null. Bad frames are refused at once. Found missing trying the
// API as a Spark user (moving averages).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, PlanError, Window, col, count, max, mean, min, rowNumber, sum } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('window-rows-frames-match-a-model');
type Row = { g: string; t: number; v: number | null; n: bigint | null };

const FRAMES: readonly [number, number][] = [
  [-2, 0],
  [-1, 1],
  [0, 3],
  [-Infinity, -1],
  [1, Infinity],
  [-Infinity, Infinity],
  [2, 5],
  [-5, -3],
];

/** Per row (rows sorted by g, t), `fn` over the values of its frame within its g. */
function model(
  rows: readonly Row[],
  frame: readonly [number, number],
  fn: string,
  value: (r: Row) => unknown,
): unknown[] {
  return rows.map((row) => {
    const part = rows.filter((r) => r.g === row.g);
    const at = part.indexOf(row);
    const lo = Math.max(0, at + frame[0]);
    const hi = Math.min(part.length - 1, at + frame[1]);
    const values = part
      .slice(lo, Math.max(lo, hi + 1))
      .map(value)
      .filter((v) => v !== null) as (number | bigint)[];
    if (fn === 'countRows') return lo > hi ? 0 : hi - lo + 1;
    if (fn === 'count') return values.length;
    if (values.length === 0) return null;
    if (fn === 'min') return values.reduce((a, b) => (b < a ? b : a));
    if (fn === 'max') return values.reduce((a, b) => (b > a ? b : a));
    const total = values.reduce((a, b) => (typeof a === 'bigint' ? a + (b as bigint) : (a as number) + (b as number)));
    return fn === 'sum' ? total : Number(total) / values.length;
  });
}

test(`aggregates over ROWS frames match a model (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    const rows: Row[] = [];
    for (const g of ['a', 'b', 'c', 'd', 'e']) {
      const length = 1 + rng.nextInt(12);
      for (let t = 0; t < length; t++) {
        rows.push({
          g,
          t: t * 3 + rng.nextInt(3),
          v: rng.nextInt(5) === 0 ? null : (rng.nextInt(400) - 200) / 4,
          n: rng.nextInt(5) === 0 ? null : 2n ** 55n + BigInt(rng.nextInt(1000)),
        });
      }
    }
    const shuffled = [...rows].sort(() => rng.nextInt(3) - 1);
    const ds = kc.fromColumns(
      {
        g: shuffled.map((r) => r.g),
        t: shuffled.map((r) => r.t),
        v: shuffled.map((r) => r.v),
        n: shuffled.map((r) => r.n),
      },
      { numPartitions: 3 },
    );
    const w = Window.partitionBy('g').orderBy('t');
    for (const frame of FRAMES) {
      const over = w.rowsBetween(frame[0], frame[1]);
      const got = await ds
        .withColumn('rows', count().over(over))
        .withColumn('cnt', count('v').over(over))
        .withColumn('sum', sum('v').over(over))
        .withColumn('mean', mean('v').over(over))
        .withColumn('min', min('v').over(over))
        .withColumn('max', max('v').over(over))
        .withColumn('nsum', sum('n').over(over))
        .withColumn('nmax', max('n').over(over))
        .withColumn('imin', min(col('t')).over(over))
        .orderBy('g', 't')
        .collect();
      const at = `rowsBetween(${frame[0]}, ${frame[1]})`;
      const column = (name: string) => got.map((r) => r[name]);
      assert.deepEqual(
        column('rows'),
        model(rows, frame, 'countRows', (r) => r.v),
        `${at} count()`,
      );
      assert.deepEqual(
        column('cnt'),
        model(rows, frame, 'count', (r) => r.v),
        `${at} count(v)`,
      );
      assert.deepEqual(
        column('sum'),
        model(rows, frame, 'sum', (r) => r.v),
        `${at} sum`,
      );
      assert.deepEqual(
        column('mean'),
        model(rows, frame, 'mean', (r) => r.v),
        `${at} mean`,
      );
      assert.deepEqual(
        column('min'),
        model(rows, frame, 'min', (r) => r.v),
        `${at} min`,
      );
      assert.deepEqual(
        column('max'),
        model(rows, frame, 'max', (r) => r.v),
        `${at} max`,
      );
      assert.deepEqual(
        column('nsum'),
        model(rows, frame, 'sum', (r) => r.n),
        `${at} int64 sum`,
      );
      assert.deepEqual(
        column('nmax'),
        model(rows, frame, 'max', (r) => r.n),
        `${at} int64 max`,
      );
      assert.deepEqual(
        column('imin'),
        model(rows, frame, 'min', (r) => r.t),
        `${at} int32 min`,
      );
    }
  } finally {
    await kc.stop();
  }
});

test('bad frames are refused at once', () => {
  const w = Window.partitionBy('g').orderBy('t');
  assert.throws(() => w.rowsBetween(1, -1), /the start \(1\) is after the end \(-1\)/);
  assert.throws(() => w.rowsBetween(Infinity, 0), PlanError);
  assert.throws(() => w.rowsBetween(0.5, 1), PlanError);
  assert.throws(() => rowNumber().over(w.rowsBetween(-1, 0)), /applies to aggregates/);
  assert.throws(() => sum('v').over(Window.partitionBy('g').rowsBetween(-1, 0)), /needs an ordered window/);
  // Spark's huge integer bounds are unbounded too.
  assert.deepEqual(w.rowsBetween(-(2 ** 63), 2 ** 63).rows, { start: null, end: null });
});
