// NumberKeyTable gives every distinct key one dense group id, in first-seen order, exactly as a Map would:
// through the int32 directory (small key ranges), after the directory grows, after it is refused for a wide
// range, and when int32 batches and single float64 keys mix; float64 batches of integers go through the directory
// too, and a fraction, NaN, -0 or a key beyond int32 among them is still the key it is. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { NumberKeyTable } from '../../../src/executor/columnar/kernels/number-key-table.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('number-key-table-matches-a-map');

/** Feeds `batches` to a table (int32 batches through `assignInt32` in chunks, numbers one by one) and to a Map. */
function compare(batches: readonly (Int32Array | Float64Array | number[])[], chunk: number): void {
  const table = new NumberKeyTable();
  const expected = new Map<number, number>();
  const idOf = (key: number): number => {
    const k = key === 0 ? 0 : Number.isNaN(key) ? NaN : key;
    let g = expected.get(k);
    if (g === undefined) expected.set(k, (g = expected.size));
    return g;
  };
  for (const batch of batches) {
    if (batch instanceof Int32Array || batch instanceof Float64Array) {
      const ids = new Int32Array(chunk);
      for (let from = 0; from < batch.length; from += chunk) {
        const to = Math.min(batch.length, from + chunk);
        if (batch instanceof Int32Array) table.assignInt32(batch, from, to, ids);
        else table.assignNumbers(batch, from, to, ids);
        for (let i = from; i < to; i++) assert.equal(ids[i - from], idOf(batch[i]!), `row ${i}, key ${batch[i]}`);
      }
    } else {
      for (const key of batch) assert.equal(table.findOrInsert(key), idOf(key), `key ${key}`);
    }
  }
  assert.equal(table.size, expected.size);
  for (const [key, g] of expected) assert.ok(Object.is(table.keys[g], key), `group ${g} holds ${key}`);
}

function ints(rng: Rng, rows: number, low: number, span: number): Int32Array {
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) out[i] = low + rng.nextInt(span);
  return out;
}

test(`int32 keys in a small range go through the directory (seed ${seed})`, () => {
  const rng = new Rng(seed);
  compare([ints(rng, 50_000, -500, 3000)], 4096);
});

test(`the directory grows when later batches reach below and above it (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  compare([ints(rng, 20_000, 0, 1000), ints(rng, 20_000, -40_000, 1000), ints(rng, 20_000, 90_000, 1000)], 1000);
});

test(`a range too wide for the directory falls back to hashing with the same ids (seed ${seed})`, () => {
  const rng = new Rng(seed + 2);
  const wide = ints(rng, 30_000, -(2 ** 31), 2 ** 32 - 1);
  compare([ints(rng, 10_000, 0, 500), wide, ints(rng, 10_000, 0, 500)], 2048);
});

test(`int32 batches and float64 keys mix, with NaN, -0 and fractions (seed ${seed})`, () => {
  const rng = new Rng(seed + 3);
  compare(
    [[1.5, NaN, -0, 7, NaN, 0], ints(rng, 10_000, -5, 20), [7, 2 ** 40, -3, 0.25], ints(rng, 10_000, -5, 20)],
    333,
  );
});

test('the extreme int32 values', () => {
  compare([Int32Array.of(2 ** 31 - 1, -(2 ** 31), 0, 2 ** 31 - 1, -(2 ** 31))], 2);
  compare([Int32Array.of(-(2 ** 31), -(2 ** 31) + 1), Int32Array.of(2 ** 31 - 1)], 2);
});

test(`float64 batches of integers go through the directory; a fraction, NaN, -0 or a huge key among them too (seed ${seed})`, () => {
  const rng = new Rng(seed + 4);
  const floats = (rows: number, low: number, span: number) => Float64Array.from(ints(rng, rows, low, span));
  compare([floats(20_000, -50, 400), floats(20_000, -50, 400)], 1000);
  // -0 is the key 0 whichever comes first; later odd keys make the table give up the directory for hashing.
  compare([Float64Array.of(-0, 3, 0, 3, -0), floats(5_000, -3, 9), Float64Array.of(0.5, NaN, -0, 2 ** 40, 2)], 3);
  compare([floats(5_000, 0, 100), Float64Array.of(2 ** 31, 7, -(2 ** 31) - 1, 7), floats(5_000, 0, 100)], 700);
  compare([Float64Array.of(NaN, 1, NaN, 1), floats(3_000, 0, 10), ints(rng, 3_000, 0, 10)], 2);
});

test(`keys probed one by one between batches that use the directory are in it afterwards (seed ${seed})`, () => {
  const rng = new Rng(seed + 5);
  // As a key column with nulls in some batches: those rows go key by key (findOrInsert), the others in batches.
  compare([Float64Array.of(0, 10), [3, -0, 7], Float64Array.of(3, 7, 0, 10), ints(rng, 2_000, 0, 11)], 2);
  compare([ints(rng, 2_000, 0, 20), [25, 3, 2 ** 40], ints(rng, 2_000, 0, 30), [3, 2 ** 40]], 500);
});
