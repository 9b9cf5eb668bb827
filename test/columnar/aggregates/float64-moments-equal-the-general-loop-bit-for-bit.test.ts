// `stddev` / `variance` (sample and population) of a float64 column without nulls take their own loop
// (`addMomentsFloat64`, db-benchmark q6's v3). It must give the same doubles as the general loop, which the same
// values take when the column carries a validity array of all ones: seeded random groups (one value, two, many;
// duplicates, ±Infinity, NaN, −0; values far from zero, where cancellation would show), fed in chunks at an offset,
// as `HashAggregator` feeds them, then merged across partial states. A two-pass model checks the numbers themselves.
// SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Moments } from '../../../src/executor/columnar/aggregates/moments.js';
import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('float64-moments-equal-the-general-loop-bit-for-bit');
const rng = new Rng(seed);

const FUNCTIONS = ['stddev', 'variance', 'stddevPop', 'varPop'] as const;
const CHUNK_ROWS = 97;

/** The partial states of `fn` over `values` (group of row i: `groupOf[i]`), added in chunks of rows from `from`. */
function partialStates(
  fn: (typeof FUNCTIONS)[number],
  values: Float64Array,
  valid: Uint8Array | undefined,
  groupOf: Int32Array,
  from: number,
  groups: number,
): Column[] {
  const moments = new Moments(fn, 'partial', ['x']);
  const batch: Batch = { rows: values.length, names: ['x'], columns: [{ type: 'f64', values, valid }] };
  for (let start = from; start < values.length; start += CHUNK_ROWS) {
    const end = Math.min(values.length, start + CHUNK_ROWS);
    moments.add(batch, groupOf.subarray(start, end), start, end, groups);
  }
  return moments.partial(groups);
}

/** The final column of `fn` over several partial states (group g of each is group g). */
function merged(
  fn: (typeof FUNCTIONS)[number],
  parts: Column[][],
  groups: number,
): { readonly values: Float64Array; readonly valid?: Uint8Array | undefined } {
  const moments = new Moments(fn, 'final', ['n', 'mean', 'm2']);
  const ids = Int32Array.from({ length: groups }, (_, g) => g);
  for (const columns of parts)
    moments.add({ rows: groups, names: ['n', 'mean', 'm2'], columns }, ids, 0, groups, groups);
  return moments.final(groups) as { readonly values: Float64Array; readonly valid?: Uint8Array | undefined };
}

function twoPassVariance(xs: readonly number[], population: boolean): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (population ? xs.length : xs.length - 1);
}

test(`float64 moments without nulls equal the general loop bit for bit (seed ${seed})`, () => {
  for (let round = 0; round < 40; round++) {
    const groups = 1 + rng.nextInt(round < 10 ? 4 : 300);
    const from = rng.nextInt(5);
    const rows = from + 1 + rng.nextInt(3000);
    const base = rng.nextInt(2) === 0 ? 0 : 1e9;
    const specials = [Infinity, -Infinity, NaN, -0, 0];
    const values = Float64Array.from({ length: rows }, () =>
      rng.nextInt(200) === 0 && round % 4 === 3
        ? specials[rng.nextInt(specials.length)]!
        : base + (rng.nextInt(4) === 0 ? 7.25 : rng.nextInt(1_000_000) / 1e6),
    );
    const groupOf = Int32Array.from({ length: rows }, () => rng.nextInt(groups));
    const allValid = new Uint8Array(rows).fill(1);
    for (const fn of FUNCTIONS) {
      // Two map tasks (rows split at `half`) merged, as across a shuffle.
      const half = from + rng.nextInt(rows - from);
      const split = (valid: Uint8Array | undefined) => [
        partialStates(
          fn,
          values.slice(0, half),
          valid?.slice(0, half),
          groupOf.slice(0, half),
          Math.min(from, half),
          groups,
        ),
        partialStates(fn, values, valid, groupOf, half, groups),
      ];
      const fast = merged(fn, split(undefined), groups);
      const general = merged(fn, split(allValid), groups);
      for (let g = 0; g < groups; g++) {
        assert.equal(fast.valid?.[g], general.valid?.[g], `round ${round}, ${fn}, group ${g}: validity`);
        assert.ok(
          Object.is(fast.values[g], general.values[g]),
          `round ${round}, ${fn}, group ${g}: ${fast.values[g]} vs the general loop's ${general.values[g]}`,
        );
      }
      if (base !== 0 || round % 4 === 3) continue;
      const population = fn.endsWith('Pop');
      for (let g = 0; g < groups; g++) {
        const xs = Array.from(values.subarray(from)).filter((_, i) => groupOf[from + i] === g);
        if (xs.length < (population ? 1 : 2)) continue;
        const variance = twoPassVariance(xs, population);
        const expected = fn.startsWith('stddev') ? Math.sqrt(variance) : variance;
        const found = fast.values[g]!;
        assert.ok(
          Math.abs(found - expected) <= 1e-12 * Math.max(1, Math.abs(expected)),
          `round ${round}, ${fn}, group ${g}: ${found} vs ${expected}`,
        );
      }
    }
  }
});
