// The few-groups pass of the fused sums (aggregates/few-group-sums.ts: counts and int32 sums spread over private
// copies, float64 sums in row order) gives the same doubles, bit for bit, as adding the rows one at a time in row
// order: seeded random lane layouts (width, count lane or none, int32 and float64 columns in any order), 1 to 1024
// groups, int32 values up to both ends of the range, float64 values with fractions, NaN, -0 and infinities, states
// that already hold earlier chunks' sums. And `HashAggregator.add` of row ranges (how a map task feeds a cached
// partition) equals `add` of the same rows sliced, through both passes. Seeded: SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import { sliceBatch, type Batch, type Column } from '../../../src/executor/columnar/batches/batch.js';
import { batchesToRecords } from '../../../src/executor/columnar/batches/blocks.js';
import { addFewGroups } from '../../../src/executor/columnar/aggregates/few-group-sums.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';
import { earlierStates, float64Value, int32Value, randomSumLayout, rowOrderSums } from './row-order-sums.js';

const seed = testSeed('few-group-sums-equal-the-row-order-pass-bit-for-bit');

test(`few-group sums equal the row-order pass bit for bit (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 300; round++) {
    const groups = [1, 2, 3, 7, 100, 1024][rng.nextInt(6)]!;
    const layout = randomSumLayout(rng);
    const { width, countLane, lanes, from, to, values } = layout;
    const rows = to - from;
    const ids = Int32Array.from({ length: rows }, () => rng.nextInt(groups));
    const before = earlierStates(rng, groups, layout);
    const expected = rowOrderSums(before, width, lanes, values, countLane, ids, from, to);
    const got = before.slice();
    addFewGroups(got, width, lanes, values, countLane, ids, from, to, groups);
    for (let k = 0; k < got.length; k++) {
      assert.ok(
        Object.is(got[k], expected[k]),
        `round ${round}: state ${k} (group ${Math.floor(k / width)}, lane ${k % width}) is ${got[k]}, expected ${expected[k]} ` +
          `(width ${width}, count lane ${countLane}, lanes ${lanes}, ${groups} groups, rows ${from}…${to})`,
      );
    }
  }
});

/** A batch of `rows` rows: key `k` (int32, `keys` distinct), int32 `a`, float64 `b` (some nulls when `nulls`). */
function randomBatch(rng: Rng, rows: number, keys: number, nulls: boolean): Batch {
  const k = Int32Array.from({ length: rows }, () => rng.nextInt(keys));
  const a = Int32Array.from({ length: rows }, () => int32Value(rng));
  const b = Float64Array.from({ length: rows }, () => float64Value(rng));
  const valid = nulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1)) : undefined;
  const columns: Column[] = [
    { type: 'i32', values: k, valid: undefined },
    { type: 'i32', values: a, valid: undefined },
    { type: 'f64', values: b, valid },
  ];
  return { rows, names: ['k', 'a', 'b'], columns };
}

function rowsOf(aggregator: HashAggregator): string[] {
  const text = (_key: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
  return [...batchesToRecords([aggregator.result().batch])].map((row) => JSON.stringify(row, text)).sort();
}

test(`adding row ranges of a batch equals adding its slices (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  const specs: AggregateSpec[] = [
    { fn: 'count', column: null, name: 'n' },
    { fn: 'sum', column: 'a', name: 'sa' },
    { fn: 'mean', column: 'a', name: 'ma' },
    { fn: 'mean', column: 'b', name: 'mb' },
    { fn: 'count', column: 'b', name: 'nb' },
    { fn: 'max', column: 'b', name: 'xb' },
  ];
  for (let round = 0; round < 12; round++) {
    // 100 keys take the few-groups pass, 5000 the row-order one; a batch longer than one 64K chunk.
    const keys = round % 3 === 2 ? 5000 : 1 + rng.nextInt(100);
    const batch = randomBatch(rng, 20_000 + rng.nextInt(120_000), keys, round % 2 === 1);
    const step = [1000, 4096, 65_536, 100_000][rng.nextInt(4)]!;
    const ranged = new HashAggregator(['k'], specs, 'partial');
    const sliced = new HashAggregator(['k'], specs, 'partial');
    for (let from = 0; from < batch.rows; from += step) {
      ranged.add(batch, from, Math.min(batch.rows, from + step));
      sliced.add(sliceBatch(batch, step, from));
    }
    assert.deepEqual(rowsOf(ranged), rowsOf(sliced), `round ${round}: ${keys} keys, steps of ${step}`);
  }
});

test('a sum that took float64 values, then int32 ones, still adds in row order', () => {
  // 0.1, then +M and -M in turns: row by row the fraction is rounded away once M is added (0.0999999046…), while
  // the int32 rows' exact total (0) added at once would leave 0.1. Ten groups, rows enough for the few-groups pass.
  const groups = 10;
  const rows = 4000;
  const M = 2 ** 31 - 1;
  const k = Int32Array.from({ length: rows }, (_, i) => i % groups);
  const first: Batch = {
    rows: groups,
    names: ['k', 'a'],
    columns: [
      { type: 'i32', values: k.slice(0, groups), valid: undefined },
      { type: 'f64', values: new Float64Array(groups).fill(0.1), valid: undefined },
    ],
  };
  const ints = Int32Array.from({ length: rows }, (_, i) => (Math.floor(i / groups) % 2 === 0 ? M : -M));
  const second: Batch = {
    rows,
    names: ['k', 'a'],
    columns: [
      { type: 'i32', values: k, valid: undefined },
      { type: 'i32', values: ints, valid: undefined },
    ],
  };
  const aggregator = new HashAggregator(['k'], [{ fn: 'sum', column: 'a', name: 's' }], 'partial');
  aggregator.add(first);
  aggregator.add(second);
  let expected = 0.1;
  for (let i = 0; i < rows; i += groups) expected += ints[i]!;
  assert.notEqual(expected, 0.1);
  const { batch } = aggregator.result();
  const sums = (batch.columns[1] as { values: Float64Array }).values;
  for (let g = 0; g < groups; g++) assert.ok(Object.is(sums[g], expected), `group ${g}: ${sums[g]} ≠ ${expected}`);
});
