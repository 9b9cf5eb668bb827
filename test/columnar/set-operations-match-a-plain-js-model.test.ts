// intersect, intersectAll, subtract and exceptAll (Spark's set operations) against a plain-JS multiset model, on
// seeded tables with nulls and duplicates over several partition counts, read directly and through cache(): rows
// compare by every column (nulls equal nulls, as Spark's set operations), distinct forms give each row once, the
// `All` forms min(l, r) and max(0, l - r) copies; an int32 column meets a float64 one by value, columns are named
// as the left's. Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col, PlanError, type Dataset, type Row } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('set-operations-match-a-plain-js-model');
type Tuple = { s: string | null; i: number | null; x: number | null };

/** Few distinct values, so both sides share rows and repeat them. */
function randomTable(rng: Rng, rows: number): Tuple[] {
  const maybe = <T>(value: () => T): T | null => (rng.nextInt(5) === 0 ? null : value());
  return Array.from({ length: rows }, () => ({
    s: maybe(() => ['a', 'é', '', '😀'][rng.nextInt(4)]!),
    i: maybe(() => rng.nextInt(3)),
    x: maybe(() => [0.5, -1, 2][rng.nextInt(3)]!),
  }));
}

const keyOf = (row: Tuple | Row) => JSON.stringify([row.s ?? null, row.i ?? null, row.x ?? null]);

function counted(rows: readonly Tuple[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(keyOf(row), (counts.get(keyOf(row)) ?? 0) + 1);
  return counts;
}

/** The model: copies of each distinct left row as `copies(l, r)` says, in sorted key order. */
function model(left: readonly Tuple[], right: readonly Tuple[], copies: (l: number, r: number) => number): string[] {
  const r = counted(right);
  const out: string[] = [];
  for (const [key, l] of counted(left)) for (let n = copies(l, r.get(key) ?? 0); n > 0; n--) out.push(key);
  return out.sort();
}

const sortedKeys = (rows: readonly Row[]) => rows.map(keyOf).sort();

const OPERATIONS: readonly [string, (a: Dataset, b: Dataset) => Dataset, (l: number, r: number) => number][] = [
  ['intersect', (a, b) => a.intersect(b), (l, r) => (l > 0 && r > 0 ? 1 : 0)],
  ['intersectAll', (a, b) => a.intersectAll(b), (l, r) => Math.min(l, r)],
  ['subtract', (a, b) => a.subtract(b), (l, r) => (l > 0 && r === 0 ? 1 : 0)],
  ['exceptAll', (a, b) => a.exceptAll(b), (l, r) => Math.max(0, l - r)],
];

test(`set operations keep the rows a multiset model keeps (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    for (const [leftPartitions, rightPartitions, cached] of [
      [1, 1, false],
      [3, 2, false],
      [4, 5, true],
    ] as const) {
      const left = randomTable(rng, 150 + rng.nextInt(150));
      const right = randomTable(rng, 100 + rng.nextInt(150));
      const of = (rows: Tuple[], numPartitions: number) => {
        const ds = kc.fromColumns(
          { s: rows.map((r) => r.s), i: rows.map((r) => r.i), x: rows.map((r) => r.x) },
          { numPartitions },
        );
        return cached ? ds.cache() : ds;
      };
      const a = of(left, leftPartitions);
      const b = of(right, rightPartitions);
      for (const [name, run, copies] of OPERATIONS) {
        const where = `${name} (${leftPartitions}×${rightPartitions} partitions${cached ? ', cached' : ''})`;
        assert.deepEqual(sortedKeys(await run(a, b).collect()), model(left, right, copies), where);
        assert.deepEqual(sortedKeys(await run(b, a).collect()), model(right, left, copies), `${where}, swapped`);
        assert.deepEqual(sortedKeys(await run(a, a).collect()), model(left, left, copies), `${where}, with itself`);
      }
    }
  } finally {
    await kc.stop();
  }
});

test('set operations match columns by position, widen numbers, and keep an empty answer typed', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const ints = kc
      .fromColumns({ n: [1, 2, 2, 3, null], tag: ['a', 'b', 'b', 'c', null] }, { numPartitions: 2 })
      .withColumn('n', col('n').cast('int32'));
    const floats = kc.fromColumns({ value: [2, 3.5, null], label: ['b', 'c', null] });
    const byN = (rows: Row[]) => [...rows].sort((p, q) => Number(p['n'] ?? -1) - Number(q['n'] ?? -1));
    assert.deepEqual(byN(await ints.intersect(floats).collect()), [
      { n: null, tag: null },
      { n: 2, tag: 'b' },
    ]);
    assert.deepEqual(byN(await ints.exceptAll(floats).collect()), [
      { n: 1, tag: 'a' },
      { n: 2, tag: 'b' },
      { n: 3, tag: 'c' },
    ]);
    const none = ints.subtract(ints);
    assert.deepEqual(await none.collect(), []);
    assert.deepEqual(
      (await none.schema()).map((f) => f.name),
      ['n', 'tag'],
    );
    assert.throws(() => ints.intersect([] as unknown as Dataset), PlanError);
    assert.throws(() => ints.exceptAll(floats, { numPartitions: 0 }), PlanError);
    await assert.rejects(
      ints.intersect(floats.select('label')).collect(),
      /^PlanError: intersect\(\): expected the same number of columns on both sides \(matched by position\), found 2 on the left \(n int32, tag string\) and 1 on the right \(label string\)$/,
    );
    await assert.rejects(
      ints.subtract(floats.select('label', 'value')).collect(),
      /subtract\(\): column 1 \('n' on the left, 'label' on the right\) is int32 on the left and string on the right/,
    );
  } finally {
    await kc.stop();
  }
});
