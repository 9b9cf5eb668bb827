// percentileOfRanges (a median's reduce side: each group's lists read in place from the map outputs, copied into
// quickselect's first round) gives exactly the value of the sort-based definition over the ranges' concatenation,
// and the value selectPercentile gives for that concatenation (the copy-then-select path it replaces): seeded
// random groups of one to four ranges (of one value, two, even and odd counts, empty ranges) with ties, NaN (as a
// pivot sample too), both zeros and infinities, and sorted, reversed and constant groups. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { percentileOfRanges, selectPercentile } from '../../../src/executor/columnar/aggregates/quantile.js';
import { Rng, testSeed } from '../random-rows.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('quantiles-of-ranges-equal-sorted-ones');
const rng = new Rng(seed);

const QUANTILES = [0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 1];

/** `values` cut into `ranges` pieces, each in an array of its own between other numbers; checked at every quantile. */
function check(values: Float64Array, ranges: number, what: string): void {
  const cuts = Array.from({ length: ranges - 1 }, () => rng.nextInt(values.length + 1)).sort((a, b) => a - b);
  const bounds = [0, ...cuts, values.length];
  const views: Float64Array[] = [];
  const starts = new Int32Array(ranges);
  const ends = new Int32Array(ranges);
  for (let r = 0; r < ranges; r++) {
    const piece = values.subarray(bounds[r]!, bounds[r + 1]!);
    const before = rng.nextInt(4);
    const view = new Float64Array(before + piece.length + 3).fill(-1e300);
    view.set(piece, before);
    views.push(view);
    starts[r] = before;
    ends[r] = before + piece.length;
  }
  const originals = views.map((view) => view.slice());
  for (const q of QUANTILES) {
    const expected = sortedPercentile(values, q);
    const run = new Float64Array(values.length + rng.nextInt(3)).fill(5);
    const found = percentileOfRanges(run, views, starts, ends, ranges, q);
    assert.ok(Object.is(found, expected), `${what}, q ${q}: expected ${expected}, found ${found}`);
    const old = selectPercentile(values.slice(), 0, values.length, q);
    assert.ok(Object.is(found, old), `${what}, q ${q}: the copy-then-select path gives ${old}, found ${found}`);
    assert.deepEqual(
      Array.from(run.slice(0, values.length).sort()),
      Array.from(values.slice().sort()),
      `${what}: run holds the group's values (NaN as NaN)`,
    );
  }
  views.forEach((view, r) => assert.deepEqual(view, originals[r], `${what}: range ${r} is read, not changed`));
}

test(`quantiles of ranges equal the sorted definition of their concatenation (seed ${seed})`, () => {
  const pools = [
    [NaN, -0, 0, 1, -1, 2.5, Infinity, -Infinity],
    [-0, 0],
    [0, -0, 3],
    [1, 2, 3],
    [NaN, 1],
  ];
  for (let round = 0; round < 800; round++) {
    const n = 1 + rng.nextInt(round < 400 ? 40 : 2000);
    const pool = pools[rng.nextInt(pools.length)]!;
    const values =
      rng.nextInt(3) === 0
        ? Float64Array.from({ length: n }, () => Math.round((rng.nextFloat() * 100 - 50) * 1e6) / 1e6)
        : Float64Array.from({ length: n }, () => pool[rng.nextInt(pool.length)]!);
    check(values, 1 + rng.nextInt(4), `round ${round} (${n} values)`);
  }
});

test('quantiles of sorted, reversed, constant and mostly-NaN groups across ranges', () => {
  for (const n of [1, 2, 3, 17, 100, 1001, 5000]) {
    const ascending = Float64Array.from({ length: n }, (_, i) => i);
    for (const ranges of [1, 2, 3]) {
      check(ascending, ranges, `ascending ${n} in ${ranges}`);
      check(ascending.slice().reverse(), ranges, `descending ${n} in ${ranges}`);
      check(new Float64Array(n).fill(7), ranges, `constant ${n} in ${ranges}`);
      check(
        Float64Array.from({ length: n }, (_, i) => (i % 5 === 2 ? i : NaN)),
        ranges,
        `mostly NaN ${n} in ${ranges}`,
      );
      check(
        Float64Array.from({ length: n }, (_, i) => (i % 3 === 0 ? NaN : i % 2 === 0 ? -0 : 0)),
        ranges,
        `zeros and NaN ${n} in ${ranges}`,
      );
    }
  }
});
