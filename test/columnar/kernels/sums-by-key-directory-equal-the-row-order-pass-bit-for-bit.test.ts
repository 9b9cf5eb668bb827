// The fused sums by int32 key (`addChunkByKey`: each row's group looked up in the number table's directory inside
// the loop that adds its values, few-groups pass or row order) give the same doubles, bit for bit, as adding the
// rows one at a time in row order, and stop at (or up to 3 rows before) the first row whose key the directory does
// not hold. And a
// `HashAggregator` over int32 keys (which takes that pass) answers exactly as one over the same keys as float64
// (which groups through the group ids): negative keys, int32 extremes in keys and values, float64 values with -0,
// NaN and infinities, a key outside the directory mid-batch, nulls, many batches. Seeded: SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator } from '../../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import { addChunkByKey } from '../../../src/executor/columnar/aggregates/fused-sums.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';
import { sized } from '../../support/test-scale.js';
import { earlierStates, float64Value, int32Value, randomSumLayout, rowOrderSums } from './row-order-sums.js';

const seed = testSeed('sums-by-key-directory-equal-the-row-order-pass-bit-for-bit');
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** The lowest key of a directory of `span` keys: at either end of the int32 range, around zero, or negative. */
function directoryBase(rng: Rng, span: number): number {
  switch (rng.nextInt(4)) {
    case 0:
      return INT32_MIN;
    case 1:
      return INT32_MAX - span + 1;
    case 2:
      return rng.nextInt(200) - 100;
    default:
      return -1_000_000 - rng.nextInt(1000);
  }
}

/** A key the directory does not span: just outside it, or at the far end of the int32 range. */
function keyOutside(rng: Rng, base: number, span: number): number {
  const candidates = [base - 1, base + span, INT32_MIN, INT32_MAX].filter(
    (k) => k >= INT32_MIN && k <= INT32_MAX && (k < base || k >= base + span),
  );
  return candidates[rng.nextInt(candidates.length)]!;
}

test(`sums by key equal the row-order pass bit for bit and stop where the directory ends (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < sized(100, 300); round++) {
    const span = [1, 2, 7, 100, 1000, 1200, 100_000][rng.nextInt(7)]!;
    // Integer states the few-groups pass may take (where the groups are few), or mixed sums it may not.
    const integerStates = rng.nextInt(2) === 0;
    const base = directoryBase(rng, span);
    // Most keys have a group (numbered in any order), some not yet.
    const directory = new Int32Array(span);
    // A shuffle (Fisher–Yates): a sort by a random comparator took 1.7 M draws a round of 100,000 keys.
    const order = Int32Array.from({ length: span }, (_, o) => o);
    for (let o = span - 1; o > 0; o--) {
      const other = rng.nextInt(o + 1);
      [order[o], order[other]] = [order[other]!, order[o]!];
    }
    let groups = 0;
    for (const o of order) if (rng.nextInt(10) !== 0 || o === 0) directory[o] = ++groups;
    const held = Array.from({ length: span }, (_, o) => o).filter((o) => directory[o] !== 0);
    const layout = randomSumLayout(rng);
    const { width, countLane, lanes, from, to, values } = layout;
    const rows = to - from;
    const keys = Int32Array.from({ length: to }, () => base + held[rng.nextInt(held.length)]!);
    // Half the rounds, a row mid-chunk whose key is outside the directory or has no group yet.
    let stop = to;
    if (rng.nextInt(2) === 0) {
      stop = from + rng.nextInt(rows);
      const unheld = Array.from({ length: span }, (_, o) => o).filter((o) => directory[o] === 0);
      keys[stop] =
        unheld.length > 0 && rng.nextInt(2) === 0
          ? base + unheld[rng.nextInt(unheld.length)]!
          : keyOutside(rng, base, span);
    }
    const before = earlierStates(rng, groups, layout);
    const got = before.slice();
    const states = { values: got, width };
    const byKey = { keys, directory, base };
    const at = addChunkByKey(states, lanes, values, countLane, byKey, from, to, groups, integerStates);
    const where = `round ${round}: width ${width}, count lane ${countLane}, lanes ${lanes}, base ${base}, span ${span}`;
    // Passes that check 4 rows at a time may stop up to 3 rows before the row they cannot add.
    assert.ok(at <= stop && at >= Math.max(from, stop - 3), `${where}: stopped at row ${at}, expected ${stop}`);
    const ids = Int32Array.from({ length: at - from }, (_, r) => directory[keys[from + r]! - base]! - 1);
    const expected = rowOrderSums(before, width, lanes, values, countLane, ids, from, at);
    // The message is made only for a state that differs: made for each of up to 600,000 states a round, it was
    // most of this test's time.
    for (let k = 0; k < got.length; k++) {
      if (!Object.is(got[k], expected[k]))
        assert.fail(
          `${where}: state ${k} (group ${Math.floor(k / width)}, lane ${k % width}) is ${got[k]}, expected ${expected[k]}`,
        );
    }
  }
});

/**
 * Batches of key `k` (int32, `span` keys from `base`; now and then a key far outside), int32 `a` and float64 `b`
 * (with nulls in some batches when `nulls`).
 */
function randomBatches(rng: Rng, count: number, base: number, span: number, nulls: boolean): Batch[] {
  return Array.from({ length: count }, (_, n) => {
    const rows = 1 + rng.nextInt(n === 0 ? 200 : 90_000);
    const k = Int32Array.from({ length: rows }, () => base + rng.nextInt(span));
    // Now and then a key just outside the range (the directory grows), rarely one far away (it is given up).
    if (rng.nextInt(4) === 0) k[rng.nextInt(rows)] = rng.nextInt(4) === 0 ? keyOutside(rng, base, span) : base + span;
    const a = Int32Array.from({ length: rows }, () => int32Value(rng));
    const b = Float64Array.from({ length: rows }, () => float64Value(rng));
    const valid =
      nulls && rng.nextInt(3) === 0
        ? Uint8Array.from({ length: rows }, () => (rng.nextInt(5) === 0 ? 0 : 1))
        : undefined;
    const columns: Column[] = [
      { type: 'i32', values: k, valid: undefined },
      { type: 'i32', values: a, valid: undefined },
      { type: 'f64', values: b, valid },
    ];
    return { rows, names: ['k', 'a', 'b'], columns };
  });
}

/** `batch` with its int32 key column as float64: grouped through the group ids, never by the int32 key. */
function float64Keys(batch: Batch): Batch {
  const k = batch.columns[0] as Extract<Column, { type: 'i32' }>;
  return {
    ...batch,
    columns: [{ type: 'f64', values: Float64Array.from(k.values), valid: undefined }, ...batch.columns.slice(1)],
  };
}

test(`an aggregation by an int32 key answers as the same keys as float64, bit for bit (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  const specs: AggregateSpec[] = [
    { fn: 'count', column: null, name: 'n' },
    { fn: 'mean', column: 'a', name: 'ma' },
    { fn: 'sum', column: 'b', name: 'sb' },
    { fn: 'mean', column: 'b', name: 'mb' },
    { fn: 'count', column: 'b', name: 'nb' },
  ];
  for (let round = 0; round < 24; round++) {
    const span = [1, 3, 100, 1000, 5000, 100_000][rng.nextInt(6)]!;
    const base = directoryBase(rng, span);
    const batches = randomBatches(rng, 1 + rng.nextInt(6), base, span, round % 2 === 1);
    const byInt32 = new HashAggregator(['k'], specs, 'partial');
    const byFloat64 = new HashAggregator(['k'], specs, 'partial');
    for (const batch of batches) {
      // Row ranges too, as a map task feeds a cached partition.
      const cut = rng.nextInt(batch.rows + 1);
      byInt32.add(batch, 0, cut);
      byInt32.add(batch, cut, batch.rows);
      byFloat64.add(float64Keys(batch));
    }
    const got = byInt32.result().batch;
    const expected = byFloat64.result().batch;
    assert.deepEqual(got.names, expected.names);
    assert.equal(got.rows, expected.rows, `round ${round}: ${got.rows} groups, expected ${expected.rows}`);
    got.columns.forEach((column, c) => {
      const want = expected.columns[c]!;
      // The key keeps its input's type (int32 here, float64 there); every other column is typed alike.
      assert.equal(column.type, c === 0 ? 'i32' : want.type, `round ${round}: column ${got.names[c]}`);
      const [g, e] = [column as { values: ArrayLike<number> }, want as { values: ArrayLike<number> }];
      assert.deepEqual((column as { valid?: Uint8Array }).valid, (want as { valid?: Uint8Array }).valid);
      for (let r = 0; r < got.rows; r++) {
        if (!Object.is(g.values[r], e.values[r]))
          assert.fail(
            `round ${round} (base ${base}, span ${span}): ${got.names[c]} of group ${r} is ${g.values[r]}, expected ${e.values[r]}`,
          );
      }
    });
  }
});
