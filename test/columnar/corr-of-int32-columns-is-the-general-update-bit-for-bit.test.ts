// corr's Welford update has a loop of its own for two int32 columns without nulls (db-benchmark q9's v1 and v2,
// moments.ts `addCorrInt32`): it must give the same doubles, bit for bit, as the general loop, which the same rows
// take when their columns carry a validity array of no null, four rows at a time as one at a time (the last rows of a
// chunk). Seeded random rows over few and many groups, values from a narrow range (q9's) up to the whole int32 range.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Batch, Column } from '../../src/executor/columnar/batches/batch.js';
import { Moments } from '../../src/executor/columnar/aggregates/moments.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('corr-of-int32-columns-is-the-general-update-bit-for-bit');

function statesOf(batch: Batch, groupOf: Int32Array, groups: number): Float64Array[] {
  const moments = new Moments('corr', 'partial', ['x', 'y']);
  // Not a multiple of 4: the loop takes rows four at a time, and every chunk ends with 1–3 rows of the last loop.
  const chunkRows = 4093;
  const ids = new Int32Array(chunkRows);
  for (let from = 0; from < batch.rows; from += chunkRows) {
    const to = Math.min(batch.rows, from + chunkRows);
    ids.set(groupOf.subarray(from, to));
    moments.add(batch, ids, from, to, groups);
  }
  const numbers = (column: Column): Float64Array => (column as { values: Float64Array }).values;
  return [...moments.partial(groups).map(numbers), numbers(moments.final(groups))];
}

for (const [groups, span] of [
  [7, 5],
  [10_000, 15],
  [300, 2 ** 31 - 1],
] as const) {
  test(`corr over ${groups} groups of int32 values in a span of ${span}: the int32 loop equals the general one`, () => {
    const rng = new Rng(seed + groups);
    const rows = 50_000;
    const x = new Int32Array(rows);
    const y = new Int32Array(rows);
    const groupOf = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      x[i] = Math.floor((rng.nextFloat() - 0.5) * span);
      y[i] = Math.floor((rng.nextFloat() - 0.5) * span);
      groupOf[i] = rng.nextInt(groups);
    }
    const noNull = new Uint8Array(rows).fill(1);
    const batchOf = (valid: Uint8Array | undefined): Batch => ({
      rows,
      names: ['x', 'y'],
      columns: [x, y].map((values): Column => ({ type: 'i32', values, ...(valid === undefined ? {} : { valid }) })),
    });
    const fast = statesOf(batchOf(undefined), groupOf, groups);
    const general = statesOf(batchOf(noNull), groupOf, groups);
    fast.forEach((values, k) => {
      assert.ok(
        Buffer.from(values.buffer, values.byteOffset, values.byteLength).equals(
          Buffer.from(general[k]!.buffer, general[k]!.byteOffset, general[k]!.byteLength),
        ),
        `state column ${k} differs (SEED=${seed})`,
      );
    });
  });
}
