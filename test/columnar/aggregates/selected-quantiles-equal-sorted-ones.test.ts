// selectPercentile (quickselect of a quantile's two neighbours) gives exactly the value of the sort-based
// definition — the typed-array sort's order (NaN last, -0 before 0), then Spark's interpolation — on seeded random
// ranges with many ties, NaN, both zeros and infinities, on sorted, reversed and constant ranges (the inputs that
// defeat a naive pivot), and on a range inside a larger array. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { selectPercentile } from '../../../src/executor/columnar/aggregates/quantile.js';
import { Rng, testSeed } from '../random-rows.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('selected-quantiles-equal-sorted-ones');
const rng = new Rng(seed);

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

function check(values: Float64Array, what: string): void {
  for (const q of QUANTILES) {
    const expected = sortedPercentile(values, q);
    // Inside a larger array, so the range's bounds matter.
    const padded = new Float64Array(values.length + 6).fill(-1e300);
    padded.set(values, 3);
    const found = selectPercentile(padded, 3, 3 + values.length, q);
    assert.ok(Object.is(found, expected), `${what}, q ${q}: expected ${expected}, found ${found}`);
    assert.deepEqual(
      Array.from(padded.slice(3, 3 + values.length).sort()),
      Array.from(Float64Array.from(values).sort()),
      `${what}: the range holds the same values`,
    );
  }
}

test(`quantiles by selection equal the sorted definition (seed ${seed})`, () => {
  const pools = [
    [NaN, -0, 0, 1, -1, 2.5, Infinity, -Infinity],
    [-0, 0],
    [0, -0, 3],
    [1, 2, 3],
  ];
  for (let round = 0; round < 600; round++) {
    const n = 1 + rng.nextInt(round < 300 ? 12 : 2000);
    const pool = pools[rng.nextInt(pools.length)]!;
    const values =
      rng.nextInt(3) === 0
        ? Float64Array.from({ length: n }, () => rng.nextFloat() * 100 - 50)
        : Float64Array.from({ length: n }, () => pool[rng.nextInt(pool.length)]!);
    check(values, `round ${round} (${n} values)`);
  }
});

test('quantiles of sorted, reversed and constant ranges', () => {
  for (const n of [1, 2, 3, 100, 5000]) {
    const ascending = Float64Array.from({ length: n }, (_, i) => i);
    check(ascending, `ascending ${n}`);
    check(ascending.slice().reverse(), `descending ${n}`);
    check(new Float64Array(n).fill(7), `constant ${n}`);
    check(
      Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? i : n - i)),
      `organ pipe ${n}`,
    );
  }
});
