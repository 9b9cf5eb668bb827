// The fused sums pass for many groups (aggregates/sums-four-rows-at-a-time.ts: it reads four rows' states before
// writing them when the four rows have four different groups) gives the same doubles, bit for bit, as adding the
// rows one at a time in row order: seeded random lane layouts (width, count lane or none, runs of one to three
// sums), 1 to 5000 groups (few groups: four rows often share one, and must then go one at a time), float64 values
// with fractions, NaN, -0 and infinities, states that already hold earlier chunks' sums. And a `HashAggregator`
// over a table with nulls in its int key and in its values (db-benchmark q5's shape: three sums by an int key)
// equals a row-order model bit for bit. Seeded: SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch } from '../../../src/executor/columnar/batches/batch.js';
import { batchesToRecords } from '../../../src/executor/columnar/batches/blocks.js';
import { addChunk, type SumValues } from '../../../src/executor/columnar/aggregates/fused-sums.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';
import { rowOrderSums } from './row-order-sums.js';

const seed = testSeed('fused-sums-of-many-groups-equal-the-row-order-pass-bit-for-bit');

function float64Value(rng: Rng): number {
  const pick = rng.nextInt(80);
  if (pick === 0) return NaN;
  if (pick === 1) return -0;
  if (pick === 2) return rng.nextInt(2) === 0 ? Infinity : -Infinity;
  // Magnitudes far apart: their sum depends on the order of the additions.
  return ((rng.nextInt(2_000_000) - 1_000_000) / 7) * 10 ** (rng.nextInt(13) - 6);
}

test(`fused sums of many groups equal the row-order pass bit for bit (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 400; round++) {
    const groups = [1, 2, 3, 5, 8, 100, 5000][rng.nextInt(7)]!;
    const counted = rng.nextInt(2) === 0;
    const sums = 1 + rng.nextInt(3);
    // Lanes as `HashAggregator` lays them out: the count, then the sums side by side; now and then a gap.
    const gap = rng.nextInt(4) === 0 ? 1 : 0;
    const countLane = counted ? rng.nextInt(2) : -1;
    const first = (counted ? countLane + 1 : rng.nextInt(2)) + gap;
    const lanes = Array.from({ length: sums }, (_, c) => first + c);
    const width = first + sums + rng.nextInt(2);
    const rows = 1 + rng.nextInt(3000);
    const from = rng.nextInt(30);
    const to = from + rows;
    const values: SumValues[] = lanes.map(() => {
      const int = rng.nextInt(3) === 0;
      const column = int ? new Int32Array(to) : new Float64Array(to);
      for (let i = 0; i < to; i++) column[i] = int ? rng.nextInt(2000) - 1000 : float64Value(rng);
      return column;
    });
    // Runs of one group now and then, so four rows in a row share a group even among many groups.
    const ids = new Int32Array(rows);
    for (let r = 0; r < rows; r++) ids[r] = r > 0 && rng.nextInt(6) === 0 ? ids[r - 1]! : rng.nextInt(groups);
    const before = Float64Array.from({ length: groups * width }, () => float64Value(rng));
    const expected = rowOrderSums(before, width, lanes, values, countLane, ids, from, to);
    const got = before.slice();
    // States not kept integer: never the few-groups pass (which reorders exact lanes), always the row-order one.
    addChunk({ values: got, width }, lanes, values, countLane, ids, from, to, groups, false);
    // The message is made only for a state that differs (made for each state, it took most of the test's time).
    for (let k = 0; k < got.length; k++) {
      if (Object.is(got[k], expected[k])) continue;
      assert.fail(
        `round ${round}: state ${k} (group ${Math.floor(k / width)}, lane ${k % width}) is ${got[k]}, expected ` +
          `${expected[k]} (width ${width}, count lane ${countLane}, lanes ${lanes}, ${groups} groups, rows ${from}…${to})`,
      );
    }
  }
});

test(`three sums by an int key with nulls equal a row-order model (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  const specs: AggregateSpec[] = [
    { fn: 'sum', column: 'v1', name: 'v1' },
    { fn: 'sum', column: 'v2', name: 'v2' },
    { fn: 'sum', column: 'v3', name: 'v3' },
    { fn: 'mean', column: 'v4', name: 'v4' },
  ];
  for (let round = 0; round < 6; round++) {
    const keys = [3, 2000, 100_000][round % 3]!;
    const aggregator = new HashAggregator(['k'], specs, 'partial');
    const model = new Map<number | null, number[]>();
    for (let b = 0; b < 3; b++) {
      const rows = 1 + rng.nextInt(90_000);
      const batch = randomBatch(rng, rows, keys, b === 1);
      aggregator.add(batch);
      addToModel(model, batch);
    }
    const got = new Map<number | null, (number | null)[]>();
    for (const row of batchesToRecords([aggregator.result().batch])) {
      const r = row as Record<string, number | null>;
      got.set(r['k']!, [r['__p0_sum']!, r['__p1_sum']!, r['__p2_sum']!, r['__p3_sum']!]);
    }
    assert.equal(got.size, model.size, `round ${round}: groups`);
    for (const [key, sums] of model) {
      const found = got.get(key);
      assert.ok(found !== undefined, `round ${round}: no group ${key}`);
      // A group whose v4 values are all null has a null sum of them, as SQL's.
      const expected = [sums[0]!, sums[1]!, sums[2]!, sums[4] === 0 ? null : sums[3]!];
      expected.forEach((sum, c) => {
        if (!Object.is(found[c], sum))
          assert.fail(`round ${round}: group ${key} sum ${c} is ${found[c]}, expected ${sum}`);
      });
    }
  }
});

/** Key `k` (int32, 1 … `keys`, one row in 40 null when `keyNulls`), int32 `v1`, `v2`, float64 `v3`, `v4` (nulls). */
function randomBatch(rng: Rng, rows: number, keys: number, keyNulls: boolean): Batch {
  const k = Int32Array.from({ length: rows }, () => 1 + rng.nextInt(keys));
  const kValid = keyNulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(40) === 0 ? 0 : 1)) : undefined;
  const v1 = Int32Array.from({ length: rows }, () => 1 + rng.nextInt(5));
  const v2 = Int32Array.from({ length: rows }, () => 1 + rng.nextInt(15));
  const v3 = Float64Array.from({ length: rows }, () => float64Value(rng));
  const v4 = Float64Array.from({ length: rows }, () => float64Value(rng));
  const v4Valid = Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1));
  return {
    rows,
    names: ['k', 'v1', 'v2', 'v3', 'v4'],
    columns: [
      { type: 'i32', values: k, valid: kValid },
      { type: 'i32', values: v1, valid: undefined },
      { type: 'i32', values: v2, valid: undefined },
      { type: 'f64', values: v3, valid: undefined },
      { type: 'f64', values: v4, valid: v4Valid },
    ],
  };
}

/**
 * Adds `batch`'s rows to per-key sums of v1 … v4 (v4 skipping its nulls), one row at a time in row order, and
 * counts v4's values (the fifth entry).
 */
function addToModel(model: Map<number | null, number[]>, batch: Batch): void {
  type Numbers = { readonly values: Int32Array | Float64Array; readonly valid: Uint8Array | undefined };
  const [k, ...vs] = batch.columns as readonly Numbers[];
  for (let r = 0; r < batch.rows; r++) {
    const key = k!.valid !== undefined && k!.valid[r] === 0 ? null : k!.values[r]!;
    let sums = model.get(key);
    if (sums === undefined) model.set(key, (sums = [0, 0, 0, 0, 0]));
    vs.forEach((v, c) => {
      if (v.valid === undefined || v.valid[r] === 1) sums[c] = sums[c]! + v.values[r]!;
    });
    if (vs[3]!.valid![r] === 1) sums[4]!++;
  }
}
