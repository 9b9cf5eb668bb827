// sortedRowOrder puts rows in the same order whether the leading key is bucketed (integers over a small range:
// a counting sort, then each bucket ordered by the other keys) or compared: checked against a plain comparison
// sort of the rows, for int32, date and integral float64 leading keys, ascending and descending, nulls first and
// last, with ties (stable: input order) and a second key of floats. Seeded: SEED= reproduces a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { bucketRowsByInteger } from '../../../src/executor/columnar/kernels/bucket-rows.js';
import { sortedRowOrder } from '../../../src/executor/columnar/kernels/sort-rows.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('sorted-row-order-buckets-small-integer-keys');

interface Key {
  readonly column: Column;
  readonly ascending: boolean;
  readonly nullsFirst?: boolean;
}

/** The order a plain stable comparison sort gives (nulls first for ascending keys unless told, NaN the largest number). */
function referenceOrder(keys: readonly Key[], rows: number): number[] {
  const value = (column: Column, r: number): number | null =>
    column.valid !== undefined && column.valid[r] === 0 ? null : (column as { values: ArrayLike<number> }).values[r]!;
  const indices = Array.from({ length: rows }, (_, i) => i);
  return indices.sort((a, b) => {
    for (const { column, ascending, nullsFirst } of keys) {
      const x = value(column, a);
      const y = value(column, b);
      if (x === null || y === null) {
        if (x === y) continue;
        return (x === null) === (nullsFirst ?? ascending) ? -1 : 1;
      }
      if (x === y || (x !== x && y !== y)) continue;
      const c = x !== x ? 1 : y !== y ? -1 : x < y ? -1 : 1;
      return ascending ? c : -c;
    }
    return a - b;
  });
}

function leadingColumn(rng: Rng, type: 'i32' | 'date' | 'f64', rows: number, span: number, nulls: boolean): Column {
  const valid = nulls ? Uint8Array.from({ length: rows }, () => (rng.nextInt(7) === 0 ? 0 : 1)) : undefined;
  const ints = Int32Array.from({ length: rows }, () => rng.nextInt(span) - (span >> 1));
  if (type === 'f64')
    return { type, values: Float64Array.from(ints, (v) => (v === 0 && rng.nextInt(2) ? -0 : v)), valid };
  return { type, values: ints, valid };
}

test(`bucketed leading keys give the comparison sort's order (SEED=${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 60; round++) {
    const rows = 64 + rng.nextInt(3000);
    const type = (['i32', 'date', 'f64'] as const)[round % 3]!;
    const lead = leadingColumn(rng, type, rows, 1 + rng.nextInt(round % 2 === 0 ? 40 : 2000), round % 4 < 2);
    const second: Column = {
      type: 'f64',
      values: Float64Array.from({ length: rows }, () => [rng.nextInt(5), NaN, 0.5][rng.nextInt(3)]!),
      valid: Uint8Array.from({ length: rows }, () => (rng.nextInt(9) === 0 ? 0 : 1)),
    };
    const ascending = rng.nextInt(2) === 0;
    const nullsFirst = [undefined, true, false][rng.nextInt(3)];
    const keys: Key[] =
      round % 5 === 0
        ? [{ column: lead, ascending, nullsFirst }]
        : [
            { column: lead, ascending, nullsFirst },
            { column: second, ascending: rng.nextInt(2) === 0 },
          ];
    assert.ok(bucketRowsByInteger(lead, rows, ascending, nullsFirst ?? ascending) !== null, 'the fast path runs');
    const got = Array.from(sortedRowOrder(keys, rows));
    assert.deepEqual(got, referenceOrder(keys, rows), `round ${round}: ${type}, ${rows} rows`);
  }
});

test('floats, NaN and wide ranges are left to the comparison sort', () => {
  const rows = 100;
  const floats: Column = { type: 'f64', values: Float64Array.from({ length: rows }, (_, i) => i / 2) };
  const nan: Column = { type: 'f64', values: Float64Array.from({ length: rows }, (_, i) => (i === 3 ? NaN : i)) };
  const wide: Column = { type: 'i32', values: Int32Array.from({ length: rows }, (_, i) => i * 1_000_000) };
  for (const column of [floats, nan, wide]) {
    assert.equal(bucketRowsByInteger(column, rows, true, true), null);
    const keys = [{ column, ascending: false }];
    assert.deepEqual(Array.from(sortedRowOrder(keys, rows)), referenceOrder(keys, rows));
  }
});
