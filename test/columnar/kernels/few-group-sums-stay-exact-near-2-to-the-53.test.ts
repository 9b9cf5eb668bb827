// The few-groups pass of the fused sums reorders the additions of its exact lanes (counts, int32 sums): that is
// exact only while every partial total stays an integer of at most 2^53. It serves a chunk only while its states
// have room for the chunk (`fewGroupsServe`: |state| ≤ 2^53 − rows × 2^31), with no bound on the aggregation's
// rows: states at and around that bound, int32 values at the ends of the range, with the count or without, by group
// ids and by key, come out bit for bit as adding the rows one at a time in row order; where no row-order partial
// total passes 2^53 (checked with BigInt) that is the exact sum. And a `HashAggregator` whose sums cross 2^53 after
// 4 M rows of one partition answers as the row-order pass does. Seeded: SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import { fewGroupsServe } from '../../../src/executor/columnar/aggregates/few-group-sums.js';
import { addChunk, addChunkByKey, type SumValues } from '../../../src/executor/columnar/aggregates/fused-sums.js';
import { Rng, testSeed } from '../random-rows.js';
import { rowOrderSums } from './row-order-sums.js';

const seed = testSeed('few-group-sums-stay-exact-near-2-to-the-53');
const EXACT_MAX = 2 ** 53;
const INT32_MAX = 2 ** 31 - 1;

test('the few-groups pass serves states up to 2^53 − rows × 2^31 in magnitude, in exact lanes only', () => {
  const rows = 1000;
  const room = EXACT_MAX - rows * 2 ** 31;
  const ints = new Int32Array(rows);
  const floats = new Float64Array(rows);
  // Lane 0 the count, lane 1 an int32 sum, lane 2 a float64 sum (never checked: it is added in row order).
  const states = (count: number, sum: number) => Float64Array.of(0, 0, 0, count, sum, 2 ** 60);
  for (const sign of [1, -1]) {
    assert.ok(fewGroupsServe(states(0, sign * room), 3, [1, 2], [ints, floats], 0, 2, rows));
    assert.ok(!fewGroupsServe(states(0, sign * (room + 1)), 3, [1, 2], [ints, floats], 0, 2, rows));
    assert.ok(!fewGroupsServe(states(room + 1, 0), 3, [1, 2], [ints, floats], 0, 2, rows));
    assert.ok(fewGroupsServe(states(room + 1, 0), 3, [1, 2], [ints, floats], -1, 2, rows));
    // Only the first `groups` groups' states count.
    assert.ok(fewGroupsServe(states(0, sign * (room + 1)), 3, [1, 2], [ints, floats], 0, 1, rows));
  }
});

/** A near-extreme int32 of sign `sign` (odd or even, so row-order additions past 2^53 round), now and then the other sign. */
function extremeValue(rng: Rng, sign: number): number {
  const magnitude = INT32_MAX - rng.nextInt(4);
  return rng.nextInt(8) === 0 ? -sign * magnitude : sign * magnitude;
}

test(`sums near 2^53 equal the row-order pass bit for bit, and the exact sum while it fits (seed ${seed})`, () => {
  const rng = new Rng(seed);
  let crossed = 0;
  for (let round = 0; round < 400; round++) {
    const groups = [1, 2, 3, 7][rng.nextInt(4)]!;
    const from = rng.nextInt(20);
    const rows = groups * 16 + rng.nextInt(3000);
    const to = from + rows;
    const counted = rng.nextInt(2) === 0;
    // Lanes: [count,] int32 sum, float64 sum, int32 sum; width one more.
    const countLane = counted ? 0 : -1;
    const first = counted ? 1 : 0;
    const lanes = [first, first + 1, first + 2];
    const width = first + 4;
    const signs = Array.from({ length: groups }, () => (rng.nextInt(2) === 0 ? 1 : -1));
    const ids = Int32Array.from({ length: rows }, () => rng.nextInt(groups));
    const columns = [new Int32Array(to), new Float64Array(to), new Int32Array(to)];
    for (let i = from; i < to; i++) {
      const sign = signs[ids[i - from]!]!;
      columns[0]![i] = extremeValue(rng, sign);
      columns[1]![i] = (rng.nextInt(2_000_000) - 1_000_000) / 7;
      columns[2]![i] = extremeValue(rng, sign);
    }
    const values: SumValues[] = columns;
    // Exact lanes' states around the pass's bound (room for the chunk, just past it, far past it), of the values' sign.
    const bound = EXACT_MAX - rows * 2 ** 31;
    const near = () => [bound, bound + 1, bound - 1, bound + rows * 2 ** 30, EXACT_MAX - 2][rng.nextInt(5)]!;
    const before = new Float64Array(groups * width);
    for (let g = 0; g < groups; g++) {
      if (counted) before[g * width] = rng.nextInt(3) === 0 ? near() : rng.nextInt(1000);
      before[g * width + first] = signs[g]! * near();
      before[g * width + first + 1] = rng.nextInt(1000) / 3;
      before[g * width + first + 2] = signs[g]! * (rng.nextInt(2) === 0 ? near() : rng.nextInt(1000));
    }
    const expected = rowOrderSums(before, width, lanes, values, countLane, ids, from, to);
    const byIds = before.slice();
    addChunk({ values: byIds, width }, lanes, values, countLane, ids, from, to, groups, true);
    // By key: keys 5 … 5 + groups - 1, group g's key 5 + g.
    const keys = new Int32Array(to);
    for (let i = from; i < to; i++) keys[i] = 5 + ids[i - from]!;
    const directory = Int32Array.from({ length: groups }, (_, g) => g + 1);
    const byKey = before.slice();
    const at = addChunkByKey(
      { values: byKey, width },
      lanes,
      values,
      countLane,
      { keys, directory, base: 5 },
      from,
      to,
      groups,
      true,
    );
    assert.equal(at, to, `round ${round}: by key stopped at ${at}`);
    for (let g = 0; g < groups; g++) {
      for (let l = 0; l < width; l++) {
        const k = g * width + l;
        const where = `round ${round}: group ${g} of ${groups}, lane ${l} (count lane ${countLane}), ${rows} rows`;
        assert.ok(Object.is(byIds[k], expected[k]), `${where}: by ids ${byIds[k]}, row order ${expected[k]}`);
        assert.ok(Object.is(byKey[k], expected[k]), `${where}: by key ${byKey[k]}, row order ${expected[k]}`);
      }
      // Exact lanes: where no row-order partial total passes 2^53, the answer is the exact sum.
      const exactLanes = counted ? [0, first, first + 2] : [first, first + 2];
      for (const l of exactLanes) {
        let sum = BigInt(before[g * width + l]!);
        let fits = true;
        for (let i = from; i < to; i++) {
          if (ids[i - from] !== g) continue;
          sum += l === countLane ? 1n : BigInt(values[l === first ? 0 : 2]![i]!);
          if (sum > BigInt(EXACT_MAX) || sum < -BigInt(EXACT_MAX)) fits = false;
        }
        if (fits)
          assert.equal(BigInt(byIds[g * width + l]!), sum, `round ${round}: group ${g}, lane ${l} is not exact`);
        else crossed++;
      }
    }
  }
  // The rounds must reach past 2^53, where a pass that reorders would differ from the row order.
  assert.ok(crossed > 50, `only ${crossed} lanes passed 2^53`);
});

test('a partition whose sums cross 2^53 after 4 M rows answers as the row-order pass', () => {
  // Keys 0 (7 rows in 8, each 2^31 - 1: its sum passes 2^53 after 4 194 306 of them) and 1 (small values).
  const rows = 5_000_000;
  const keys = Int32Array.from({ length: rows }, (_, i) => (i % 8 === 7 ? 1 : 0));
  const values = Int32Array.from({ length: rows }, (_, i) => (i % 8 === 7 ? (i % 1000) - 500 : INT32_MAX));
  const expected = [0, 0];
  const exact = [0n, 0n];
  for (let i = 0; i < rows; i++) {
    expected[keys[i]!] = expected[keys[i]!]! + values[i]!;
    exact[keys[i]!] = exact[keys[i]!]! + BigInt(values[i]!);
  }
  assert.ok(exact[0]! > BigInt(EXACT_MAX) && BigInt(expected[0]!) !== exact[0]);
  // Int32 keys (the number table's directory: by key) and float64 ones (group ids), in one batch and in four.
  for (const keyColumn of [
    { type: 'i32', values: keys, valid: undefined },
    { type: 'f64', values: Float64Array.from(keys), valid: undefined },
  ] as Column[]) {
    for (const parts of [1, 4]) {
      const aggregator = new HashAggregator(['k'], [{ fn: 'sum', column: 'a', name: 's' }], 'partial');
      const batch: Batch = { rows, names: ['k', 'a'], columns: [keyColumn, { type: 'i32', values, valid: undefined }] };
      const step = Math.ceil(rows / parts);
      for (let from = 0; from < rows; from += step) aggregator.add(batch, from, Math.min(rows, from + step));
      const { batch: result } = aggregator.result();
      const ks = (result.columns[0] as { values: ArrayLike<number> }).values;
      const sums = (result.columns[1] as { values: Float64Array }).values;
      for (let g = 0; g < 2; g++) {
        const where = `${keyColumn.type} keys, ${parts} parts, key ${ks[g]}`;
        assert.ok(Object.is(sums[g], expected[ks[g]!]), `${where}: ${sums[g]}, row order ${expected[ks[g]!]}`);
      }
      assert.equal(BigInt(sums[ks[0] === 1 ? 0 : 1]!), exact[1], `${keyColumn.type} keys: key 1 is not exact`);
    }
  }
});
