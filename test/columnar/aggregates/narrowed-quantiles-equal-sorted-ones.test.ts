// Long ranges (512 values and more) are narrowed by samples before quickselect finishes (`narrowedPercentile`):
// the answer must still be exactly the sort-based definition (typed-array order: NaN last, -0 before 0; Spark's
// interpolation) when the samples mislead (periodic values the evenly spaced samples all land on, a NaN no sample
// saw, ties at a bound, ±Infinity or both zeros at the wanted ranks), at the extreme quantiles whose bounds are open,
// and for a range longer than the scratch kept between calls. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { selectPercentile } from '../../../src/executor/columnar/aggregates/quantile.js';
import { Rng, testSeed } from '../random-rows.js';
import { sortedPercentile } from './sorted-percentile.js';

const seed = testSeed('narrowed-quantiles-equal-sorted-ones');
const rng = new Rng(seed);

const QUANTILES = [0, 0.001, 0.1, 0.5, 0.5001, 0.9, 0.999, 1];

function check(values: Float64Array, what: string): void {
  for (const q of QUANTILES) {
    const expected = sortedPercentile(values, q);
    const range = new Float64Array(values.length + 4).fill(-1e300);
    range.set(values, 2);
    const found = selectPercentile(range, 2, 2 + values.length, q);
    assert.ok(Object.is(found, expected), `${what}, q ${q}: expected ${expected}, found ${found}`);
  }
}

/** Random values with `special` (NaN, ±Infinity, ±0 …) put at `placed` random positions. */
function sprinkled(n: number, special: readonly number[], placed: number): Float64Array {
  const values = Float64Array.from({ length: n }, () => rng.nextInt(2_000_000) / 64 - 15_000);
  for (let k = 0; k < placed; k++) values[rng.nextInt(n)] = special[rng.nextInt(special.length)]!;
  return values;
}

test(`narrowed quantiles of random long ranges equal the sorted definition (seed ${seed})`, () => {
  for (let round = 0; round < 80; round++) {
    const n = 512 + rng.nextInt(round < 70 ? 4000 : 40_000);
    const kind = rng.nextInt(5);
    const values =
      kind === 0
        ? sprinkled(n, [NaN], 1)
        : kind === 1
          ? sprinkled(n, [Infinity, -Infinity], 1 + rng.nextInt(n))
          : kind === 2
            ? Float64Array.from({ length: n }, () => [-0, 0, -1, 1][rng.nextInt(4)]!)
            : kind === 3
              ? Float64Array.from({ length: n }, () => rng.nextInt(1 + rng.nextInt(50)))
              : sprinkled(n, [], 0);
    check(values, `round ${round} (${n} values, kind ${kind})`);
  }
});

test('narrowed quantiles when the samples mislead', () => {
  for (const n of [512, 640, 6400, 64 * 1000 + 7]) {
    const stride = n / 64;
    // Every sampled position holds the same value, the rest are spread out: the bounds bracket nothing.
    const onSamples = Float64Array.from({ length: n }, (_, i) =>
      Math.floor(Math.floor(i / stride) * stride) === i ? 42 : rng.nextInt(1000),
    );
    check(onSamples, `samples all 42 (${n})`);
    // Ascending except the sampled positions, which hold the maximum.
    check(
      Float64Array.from({ length: n }, (_, i) => (Math.floor(Math.floor(i / stride) * stride) === i ? n : i)),
      `samples all maximal (${n})`,
    );
    // A NaN where no sample looks: the narrowing must notice it and fall back.
    const hidden = Float64Array.from({ length: n }, (_, i) => i);
    hidden[Math.floor(stride / 2)] = NaN;
    check(hidden, `hidden NaN (${n})`);
    // Both zeros and the infinities straddle the median.
    const zeros = Float64Array.from({ length: n }, (_, i) =>
      i < n / 2 - 2 ? -1 - i : i < n / 2 ? -0 : i < n / 2 + 2 ? 0 : i,
    );
    check(zeros, `zeros at the median (${n})`);
    const infinite = Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? -Infinity : Infinity));
    check(infinite, `infinities either side of the median (${n})`);
  }
});

test('a high bound that lands on the lower of the two wanted ranks', () => {
  // 640 values 0 … 639 (so a value is its rank); the median lies between ranks 319 and 320, and a round's high bound
  // is the 43rd least of the 64 samples (every 10th position). Samples 0 … 41, 319 and 600 … 620 make that bound
  // 319 itself: the kept values end at rank 319, one short of rank 320.
  const sampledValues = [
    ...Array.from({ length: 42 }, (_, i) => i),
    319,
    ...Array.from({ length: 21 }, (_, i) => 600 + i),
  ];
  const rest = Array.from({ length: 640 }, (_, i) => i).filter((v) => !sampledValues.includes(v));
  const values = new Float64Array(640);
  for (let i = 0, s = 0, r = 0; i < 640; i++) values[i] = i % 10 === 0 ? sampledValues[s++]! : rest[r++]!;
  // The scratch holds values from a previous range past the kept ones, as it would in a task.
  check(
    Float64Array.from({ length: 4000 }, (_, i) => 1e6 + i),
    'a range before',
  );
  check(values, 'the bound on rank 319');
});

test('a range longer than the kept scratch, then a short one', () => {
  const long = sprinkled(100_000, [0, -0], 50);
  check(long, 'long range (100 000 values)');
  check(sprinkled(700, [], 0), 'short range after it');
});
