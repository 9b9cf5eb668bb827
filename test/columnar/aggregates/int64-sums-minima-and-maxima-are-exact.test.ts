// int64 sum, min, max (and the sum under a mean) are exact, not float64 (exact only to 2^53): hand-computed BigInt
// answers for values near ±2^62 and across 2^53, seeded random tables against a BigInt model and the RDD path
// (few and many groups, string and number keys, a whole-table aggregate, in memory and with every shuffle output
// spilled), the overflow error of a sum outside the int64 range, and a window's running sum.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { count, max, mean, min, sum, Window } from '../../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../../api/helpers.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('int64-sums-minima-and-maxima-are-exact');
const P62 = 2n ** 62n;
const P53 = 2n ** 53n;
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

interface Row {
  readonly k: string;
  readonly g: number;
  readonly v: bigint | null;
  readonly m: bigint | null;
}

/** Random rows: `v` near ±2^58 or 2^53 (any partial sum of a group fits int64), `m` anywhere near ±2^63. */
function randomRows(rng: Rng, rows: number, groups: number): Row[] {
  const near = (base: bigint) => base + BigInt(rng.nextInt(2001) - 1000);
  return Array.from({ length: rows }, () => {
    const g = rng.nextInt(groups);
    const v = [near(2n ** 58n), near(-(2n ** 58n)), near(P53), BigInt(rng.nextInt(7) - 3)][rng.nextInt(4)]!;
    const m = [near(MAX - 1000n), near(MIN + 1000n), near(P53), near(-P53)][rng.nextInt(4)]!;
    return { k: `k${g}`, g, v: rng.nextInt(9) === 0 ? null : v, m: rng.nextInt(9) === 0 ? null : m };
  });
}

interface Answer {
  s: bigint | null;
  lo: bigint | null;
  hi: bigint | null;
  n: number;
}

/** The BigInt model: per key, sum(v), min(m), max(m), count(v), nulls skipped. */
function model(rows: readonly Row[], keyOf: (row: Row) => string | number): Map<string | number, Answer> {
  const out = new Map<string | number, Answer>();
  for (const row of rows) {
    const a = out.get(keyOf(row)) ?? { s: null, lo: null, hi: null, n: 0 };
    if (row.v !== null) {
      a.s = (a.s ?? 0n) + row.v;
      a.n++;
    }
    if (row.m !== null) {
      a.lo = a.lo === null || row.m < a.lo ? row.m : a.lo;
      a.hi = a.hi === null || row.m > a.hi ? row.m : a.hi;
    }
    out.set(keyOf(row), a);
  }
  return out;
}

const aggregates = () => [
  sum('v').as('s'),
  min('m').as('lo'),
  max('m').as('hi'),
  count('v').as('n'),
  mean('v').as('mean'),
];

for (const spilled of [false, true]) {
  const where = spilled ? 'with every shuffle output spilled' : 'in memory';
  onEveryBackend(
    `int64 aggregates are exact ${where}`,
    (on) => {
      test('sums, minima and maxima near ±2^62 and across 2^53 (hand-computed)', async () => {
        const rows = [
          { k: 'a', v: P62 + 1n },
          { k: 'a', v: P62 - 2n },
          { k: 'a', v: -P62 },
          { k: 'b', v: P53 },
          { k: 'b', v: 1n },
          { k: 'b', v: 1n },
          { k: 'c', v: MAX },
          { k: 'c', v: null },
          { k: 'd', v: MIN + 1n },
          { k: 'e', v: null },
        ];
        for (const partitions of PARTITION_COUNTS) {
          const got = await on
            .kc()
            .parallelize(rows, partitions)
            .toDataset()
            .groupBy('k')
            .agg(sum('v').as('s'), min('v').as('lo'), max('v').as('hi'), mean('v').as('mean'))
            .orderBy('k')
            .collect();
          assert.deepEqual(
            got,
            [
              { k: 'a', s: P62 - 1n, lo: -P62, hi: P62 + 1n, mean: Number(P62 - 1n) / 3 },
              { k: 'b', s: P53 + 2n, lo: 1n, hi: P53, mean: Number(P53 + 2n) / 3 },
              { k: 'c', s: MAX, lo: MAX, hi: MAX, mean: Number(MAX) },
              { k: 'd', s: MIN + 1n, lo: MIN + 1n, hi: MIN + 1n, mean: Number(MIN + 1n) },
              { k: 'e', s: null, lo: null, hi: null, mean: null },
            ],
            `${partitions} partitions`,
          );
        }
      });

      test('seeded random tables match a BigInt model and the RDD path', async () => {
        const rng = new Rng(seed);
        for (const [rowCount, groups] of [
          [400, 3],
          [3000, 1500],
        ] as const) {
          const rows = randomRows(rng, rowCount, groups);
          for (const partitions of PARTITION_COUNTS) {
            const ds = on.kc().parallelize(rows, partitions).toDataset();
            for (const key of ['k', 'g'] as const) {
              const want = model(rows, (row) => row[key]);
              const got = await ds
                .groupBy(key)
                .agg(...aggregates())
                .collect();
              assert.equal(got.length, want.size);
              for (const row of got) {
                const w = want.get(row[key] as string | number)!;
                const label = `${rowCount} rows, ${partitions} partitions, key ${key} = ${String(row[key])}`;
                assert.deepEqual([row.s, row.lo, row.hi, row.n], [w.s, w.lo, w.hi, w.n], label);
                assert.equal(row.mean, w.s === null ? null : Number(w.s) / w.n, label);
              }
              const byRdd = await on
                .kc()
                .parallelize(rows, partitions)
                .filter((row) => row.v !== null)
                .map((row) => [row[key], row.v!] as const, { key })
                .reduceByKey((a, b) => a + b)
                .collect();
              for (const [k, s] of byRdd) assert.equal(want.get(k)!.s, s, `RDD path, key ${key} = ${k}`);
            }
            const whole = model(rows, () => 0).get(0)!;
            const [all] = await ds.agg(min('m').as('lo'), max('m').as('hi')).collect();
            assert.deepEqual([all!.lo, all!.hi], [whole.lo, whole.hi], `whole table, ${partitions} partitions`);
          }
        }
      });
    },
    spilled ? { shuffleMemoryBytesMax: 0 } : {},
  );
}

onEveryBackend('int64 sums outside the int64 range', (on) => {
  test('fail with ERR_COLUMNAR_OVERFLOW, as Spark ANSI mode; the range ends are sums', async () => {
    const sumOf = (values: bigint[]) =>
      on
        .kc()
        .parallelize(
          values.map((v) => ({ v })),
          1,
        )
        .toDataset()
        .agg(sum('v').as('s'))
        .collect();
    assert.deepEqual(await sumOf([P62, P62 - 1n]), [{ s: MAX }]);
    assert.deepEqual(await sumOf([-P62, -P62]), [{ s: MIN }]);
    // Out of the range and back within one task: exact (only the sums written out are checked).
    assert.deepEqual(await sumOf([P62, P62, P62, -P62, -P62]), [{ s: P62 }]);
    await assert.rejects(sumOf([P62, P62]), /ERR_COLUMNAR_OVERFLOW|left the int64 range/);
    await assert.rejects(sumOf([-P62, -P62, -1n]), /left the int64 range/);
  });

  test('an overflow fails the job at its first attempt: every attempt would fail alike', async () => {
    const ds = on
      .kc()
      .parallelize([{ v: P62 }, { v: P62 }], 1)
      .toDataset();
    await assert.rejects(
      ds.agg(sum('v').as('s')).collect(),
      (error: Error & { cause?: Error & { code?: string } }) =>
        /failed 1 time; last failure: .*left the int64 range/.test(error.message) &&
        error.cause?.code === 'ERR_COLUMNAR_OVERFLOW',
    );
  });

  test('a running sum over a window is exact and int64, its mean divides the exact sum', async () => {
    const rows = [
      { p: 1, t: 1, v: P62 + 1n },
      { p: 1, t: 2, v: P53 + 1n },
      { p: 1, t: 3, v: null },
      { p: 1, t: 4, v: -P62 },
      { p: 2, t: 1, v: MAX },
    ];
    const got = await on
      .kc()
      .parallelize(rows, 2)
      .toDataset()
      .withColumn('s', sum('v').over(Window.partitionBy('p').orderBy('t')))
      .withColumn('hi', max('v').over(Window.partitionBy('p').orderBy('t')))
      .withColumn('m', mean('v').over(Window.partitionBy('p').orderBy('t')))
      .orderBy('p', 't')
      .select('s', 'hi', 'm')
      .collect();
    assert.deepEqual(got, [
      { s: P62 + 1n, hi: P62 + 1n, m: Number(P62 + 1n) },
      { s: P62 + P53 + 2n, hi: P62 + 1n, m: Number(P62 + P53 + 2n) / 2 },
      { s: P62 + P53 + 2n, hi: P62 + 1n, m: Number(P62 + P53 + 2n) / 2 },
      { s: P53 + 2n, hi: P62 + 1n, m: Number(P53 + 2n) / 3 },
      { s: MAX, hi: MAX, m: Number(MAX) },
    ]);
    const overflow = on
      .kc()
      .parallelize(
        [
          { p: 1, t: 1, v: MAX },
          { p: 1, t: 2, v: 1n },
        ],
        1,
      )
      .toDataset()
      .withColumn('s', sum('v').over(Window.partitionBy('p').orderBy('t')))
      .collect();
    await assert.rejects(overflow, /left the int64 range/);
  });
});
