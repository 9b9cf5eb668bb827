// A map task that stops grouping (adaptive partial aggregation) sends each further row as its own partial row. For
// counts and sums of columns without nulls those rows are plain copies of the batch's columns: count 1 (or 0 for a
// null counted value), sum the value itself (a float64 column is the batch's own array, not added into states), keys
// as they are (int32 ones stay int32, in a several-key grouping and for one number key alike). A sum of a column with nulls
// or a min still goes through the one-group-per-row aggregation. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('rows-passed-through-copy-their-columns');
const RULE = { rowsMin: 100, groupsPerRowMin: 0.5 };

function valuesOf(column: Column): ArrayLike<number> {
  return (column as { values: ArrayLike<number> }).values;
}

/** True when `column`'s values are a view of `source`'s (the same memory), not a copy. */
function sameMemory(column: Column, source: Column): boolean {
  const [a, b] = [valuesOf(column) as Float64Array, valuesOf(source) as Float64Array];
  return a.buffer === b.buffer && a.byteOffset === b.byteOffset && a.length === b.length;
}

function randomBatch(rng: Rng, rows: number): Batch {
  const ints = () => Int32Array.from({ length: rows }, () => rng.nextInt(1_000_000));
  const u = Float64Array.from({ length: rows }, () => (rng.nextInt(9) === 0 ? -0 : rng.nextInt(1000) / 8));
  const w = Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1));
  return {
    rows,
    names: ['a', 'b', 'u', 'i', 'w'],
    columns: [
      { type: 'i32', values: ints() },
      { type: 'f64', values: Float64Array.from(ints()) },
      { type: 'f64', values: u },
      { type: 'i32', values: ints() },
      { type: 'f64', values: Float64Array.from(ints()), valid: w },
    ],
  };
}

/** The rows `passThrough` makes of a second batch, after a first batch of all-distinct keys was grouped. */
function passed(keys: string[], aggregates: AggregateSpec[], first: Batch, second: Batch): Batch {
  const map = new HashAggregator(keys, aggregates, 'partial', RULE);
  map.add(first);
  assert.ok(map.passesThrough);
  return map.passThrough(second).batch;
}

test(`rows passed through are copies of their columns for counts and sums (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const aggregates: AggregateSpec[] = [
    { fn: 'sum', column: 'u', name: 'su' },
    { fn: 'count', column: null, name: 'n' },
    { fn: 'sum', column: 'i', name: 'si' },
    { fn: 'count', column: 'w', name: 'nw' },
    { fn: 'mean', column: 'u', name: 'mu' },
  ];
  for (let round = 0; round < 10; round++) {
    const [first, second] = [randomBatch(rng, 200), randomBatch(rng, 1 + rng.nextInt(500))];
    const [a, b, u, i, w] = second.columns as [Column, Column, Column, Column, Column];
    for (const keys of [['a', 'b'], ['a']]) {
      const rows = passed(keys, aggregates, first, second);
      const what = `seed ${seed}, round ${round}, keys ${keys.join(', ')}`;
      const column = (name: string) => rows.columns[rows.names.indexOf(name)]!;
      assert.equal(rows.rows, second.rows, what);
      assert.equal(column('a').type, 'i32', what);
      assert.ok(sameMemory(column('a'), a), `${what}: a as it is`);
      assert.deepEqual(Array.from(valuesOf(column('a'))), Array.from(valuesOf(a)), what);
      if (keys.length > 1) assert.ok(sameMemory(column('b'), b), `${what}: b as it is`);
      // Partial columns are named by aggregate index (`partialColumns`): su 0, n 1, si 2, nw 3, mu 4 (sum, count).
      const ones = Array.from({ length: second.rows }, () => 1);
      assert.ok(sameMemory(column('__p0_sum'), u), `${what}: su is the batch's column`);
      assert.deepEqual(valuesOf(column('__p0_sum')), valuesOf(u), what);
      assert.equal(column('__p2_sum').type, 'f64', what);
      assert.deepEqual(Array.from(valuesOf(column('__p2_sum'))), Array.from(valuesOf(i)), what);
      assert.deepEqual(Array.from(valuesOf(column('__p1_count'))), ones, what);
      assert.deepEqual(Array.from(valuesOf(column('__p3_count'))), Array.from(w.valid!), what);
      assert.ok(sameMemory(column('__p4_sum'), u), what);
      assert.deepEqual(Array.from(valuesOf(column('__p4_count'))), ones, what);
    }
  }
});

test('a sum of a column with nulls or a min passes through the one-group-per-row aggregation', () => {
  const rng = new Rng(seed + 1);
  const [first, second] = [randomBatch(rng, 200), randomBatch(rng, 300)];
  for (const aggregates of [
    [{ fn: 'sum', column: 'w', name: 'sw' }],
    [{ fn: 'min', column: 'u', name: 'lo' }],
  ] as AggregateSpec[][]) {
    const rows = passed(['a', 'b'], aggregates, first, second);
    const state = rows.columns[2]!;
    assert.ok(!sameMemory(state, second.columns[second.names.indexOf(aggregates[0]!.column!)]!));
    assert.equal(rows.rows, second.rows);
  }
});
