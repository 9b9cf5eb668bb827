// Adaptive partial aggregation (HashAggregator.passesThrough / passThrough): once a map task's groups approach its
// rows it stops grouping and sends one partial row per input row, hashed as its table would hash the key. The
// switch happens exactly at the rule's row count and ratio; the reduce side's answers are those of tasks that
// grouped everything (same keys in the same reduce partitions, same aggregates), for string, number and multi-key
// groupings with nulls, NaN and -0. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator, type AggregateResult } from '../../../src/executor/columnar/grouping/aggregate.js';
import { passesThrough } from '../../../src/executor/columnar/grouping/pass-through-rule.js';
import { gatherBatch, type Batch } from '../../../src/executor/columnar/batches/batch.js';
import { batchesToRecords, recordsToBatches } from '../../../src/executor/columnar/batches/blocks.js';
import { partitionOfHash } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { Context, count, sum } from '../../../src/index.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('partial-aggregation-passes-rows-through-when-groups-approach-rows');
const REDUCERS = 5;
const AGGREGATES: AggregateSpec[] = [
  { fn: 'count', column: null, name: 'n' },
  { fn: 'count', column: 'v', name: 'nv' },
  { fn: 'sum', column: 'v', name: 's' },
  { fn: 'mean', column: 'w', name: 'm' },
  { fn: 'min', column: 'v', name: 'lo' },
  { fn: 'max', column: 'w', name: 'hi' },
  { fn: 'median', column: 'v', name: 'med' },
  { fn: 'stddev', column: 'w', name: 'sd' },
  { fn: 'corr', column: 'v', others: ['w'], name: 'r' },
  { fn: 'countDistinct', column: 'w', name: 'dw' },
];

type Row = Record<string, string | number | null>;

/** Rows whose keys come from `keySpace` distinct values per column (large: groups ≈ rows), with nulls. */
function randomRows(rng: Rng, count: number, keySpace: number): Row[] {
  const maybe = <T>(value: T): T | null => (rng.nextInt(10) === 0 ? null : value);
  return Array.from({ length: count }, () => ({
    s: maybe(`k${rng.nextInt(keySpace)}`),
    i: maybe(rng.nextInt(keySpace) - 7),
    f: maybe(rng.nextInt(5) === 0 ? [0.5, -0, 0, NaN][rng.nextInt(4)]! : rng.nextInt(keySpace) / 4),
    v: maybe(rng.nextInt(1000) / 8),
    w: maybe(rng.nextInt(50)),
  }));
}

function batchesOf(rows: readonly Row[], batchRows: number): Batch[] {
  const batches: Batch[] = [];
  for (let at = 0; at < rows.length; at += batchRows) {
    batches.push(...recordsToBatches(rows.slice(at, at + batchRows), 'test rows'));
  }
  return batches;
}

/** One map task as output.ts runs it: grouped rows, then the rows passed through after the switch. */
function mapTask(keys: string[], batches: readonly Batch[], rowsMin: number): AggregateResult[] {
  const aggregator = new HashAggregator(keys, AGGREGATES, 'partial', { rowsMin, groupsPerRowMin: 0.5 });
  const passed: AggregateResult[] = [];
  for (const batch of batches) {
    if (aggregator.passesThrough) passed.push(aggregator.passThrough(batch));
    else aggregator.add(batch);
  }
  return [aggregator.result(), ...passed];
}

/** The final answer of each reduce partition (rows as records, sorted), from the map tasks' partial rows. */
function reduce(keys: string[], outputs: readonly AggregateResult[]): string[][] {
  const finals = Array.from({ length: REDUCERS }, () => new HashAggregator(keys, AGGREGATES, 'final'));
  for (const { batch, hashes } of outputs) {
    const byReducer: number[][] = Array.from({ length: REDUCERS }, () => []);
    for (let r = 0; r < batch.rows; r++) byReducer[partitionOfHash(hashes[r]!, REDUCERS)]!.push(r);
    byReducer.forEach((rows, p) => finals[p]!.add(gatherBatch(batch, Int32Array.from(rows), rows.length)));
  }
  return finals.map((final) =>
    [...batchesToRecords([final.result().batch])].map((row) => JSON.stringify(row, rounded)).sort(),
  );
}

/**
 * Sums added in another order differ in the last bits: compare 9 significant digits. A value that cancels to zero
 * (a correlation of 0) comes out as 0 in one order and ~1e-17 in another, which no count of digits makes equal:
 * below 1e-9 (the data's values are multiples of 1/8) it is 0.
 */
function rounded(_key: string, value: unknown): unknown {
  if (typeof value !== 'number') return value;
  if (Number.isNaN(value)) return 'NaN';
  return Math.abs(value) < 1e-9 ? 0 : Number(value.toPrecision(9));
}

for (const keys of [['s'], ['i'], ['f'], ['s', 'i', 'f'], ['i', 's']]) {
  test(`map tasks that pass rows through give the same answers per reduce partition (keys ${keys.join(', ')}, seed ${seed})`, () => {
    const rng = new Rng(seed);
    let passedBatches = 0;
    for (let round = 0; round < 4; round++) {
      // Key spaces from a few keys (no task switches) to thousands (every task does), so tasks of one shuffle mix.
      const keySpace = () => (round === 0 ? 1_000_000 : 1 + rng.nextInt(2000));
      const tasks = Array.from({ length: 3 }, () => batchesOf(randomRows(rng, 600, keySpace()), 97));
      const grouped = tasks.flatMap((batches) => mapTask(keys, batches, Infinity));
      const passing = tasks.flatMap((batches) => mapTask(keys, batches, 150));
      passedBatches += passing.length - grouped.length;
      assert.deepEqual(reduce(keys, passing), reduce(keys, grouped), `round ${round}`);
    }
    assert.ok(passedBatches > 0, 'some task passed rows through');
  });
}

test('the switch comes at the first batch after rowsMin rows when groups exceed the ratio, never for few groups', () => {
  const rng = new Rng(seed);
  const distinct = batchesOf(randomRows(rng, 1000, 1_000_000), 100);
  const aggregator = new HashAggregator(['s', 'i'], AGGREGATES, 'partial', { rowsMin: 300, groupsPerRowMin: 0.5 });
  const switched: boolean[] = [];
  for (const batch of distinct.slice(0, 4)) {
    switched.push(aggregator.passesThrough);
    aggregator.add(batch);
  }
  assert.deepEqual(switched, [false, false, false, true]);
  const few = new HashAggregator(['s'], AGGREGATES, 'partial', { rowsMin: 300, groupsPerRowMin: 0.5 });
  for (const batch of batchesOf(randomRows(rng, 1000, 20), 100)) {
    assert.equal(few.passesThrough, false);
    few.add(batch);
  }
  // A final (reduce-side) aggregation never passes rows through.
  const final = new HashAggregator(['s'], [{ fn: 'count', column: null, name: 'n' }], 'final', {
    rowsMin: 0,
    groupsPerRowMin: 0,
  });
  final.add(recordsToBatches([{ s: 'a', __p0_count: 1 }], 'rows').next().value as Batch);
  assert.equal(final.passesThrough, false);
});

test('the default rule passes through after one 65,536-row chunk only when groups are over 95% of rows', () => {
  const so = { side: 'partial', keyCount: 6, keyMode: 'coded', rowsAdded: 1 << 16 } as const;
  // q10: ten million groups of ten million rows, nearly every row of the first chunk a new group.
  assert.equal(passesThrough({ ...so, groups: 65_300 }), true);
  // 91.5% of rows (about 350,000 distinct keys): the full probe decides, after 100,000 rows.
  assert.equal(passesThrough({ ...so, groups: 60_000 }), false);
  // q3's 100,000 ids: 73% of 65,536 rows, 56% of 131,072: grouped.
  assert.equal(passesThrough({ ...so, keyCount: 1, keyMode: 'utf8', groups: 48_000 }), false);
  assert.equal(passesThrough({ ...so, rowsAdded: 60_000, groups: 60_000 }), false);
  // A key drawn at random from D values gives D/n × (1 - e^(-n/D)) groups per row after n rows: wherever that is
  // over 95% at 65,536 rows it is over 80% at 131,072, so the early look never contradicts the full probe there.
  const perRow = (d: number, n: number) => (d / n) * (1 - Math.exp(-n / d));
  for (let d = 1_000; d <= 1e9; d *= 1.01) {
    if (perRow(d, 1 << 16) > 0.95) assert.ok(perRow(d, 1 << 17) > 0.8, `D = ${Math.round(d)}`);
  }
});

test('a groupBy job whose map tasks pass rows through gives the answer of a plain Map model', async () => {
  // 2 partitions of 140,000 rows, nearly every key distinct: each map task passes rows through after 65,536 (the
  // default rule's early look).
  const rows = 280_000;
  const rng = new Rng(seed);
  const k = Int32Array.from({ length: rows }, () => rng.nextInt(1_000_000));
  const s = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? null : `s${i % 5}`));
  const v = Float64Array.from({ length: rows }, () => rng.nextInt(100));
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ k, s, v }, { numPartitions: 2 });
    for (const keys of [['k', 's']]) {
      const got = await ds
        .groupBy(...keys, { numPartitions: 4 })
        .agg(count(), sum('v'))
        .collect();
      const model = new Map<string, { n: number; total: number }>();
      for (let i = 0; i < rows; i++) {
        const key = JSON.stringify(keys.length === 1 ? [k[i]] : [k[i], s[i]]);
        const entry = model.get(key) ?? { n: 0, total: 0 };
        entry.n++;
        entry.total += v[i]!;
        model.set(key, entry);
      }
      assert.equal(got.length, model.size, `groups by ${keys.join(', ')}`);
      for (const row of got) {
        const key = JSON.stringify(keys.map((name) => row[name]));
        assert.deepEqual({ n: row['count'], total: row['sum(v)'] }, model.get(key), key);
      }
    }
  } finally {
    await kc.stop();
  }
});
