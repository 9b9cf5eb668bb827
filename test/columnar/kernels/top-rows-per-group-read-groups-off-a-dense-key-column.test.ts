// topRowsPerGroupByNumber with a group base (the int32 key column itself as `groupOf`, its lowest key as the base:
// q8's map side, which no longer writes a per-row group array) keeps exactly the rows it keeps with the groups
// written out as key − lowest: negative and positive keys, keys no row has, order values with nulls, NaN and ties
// (the rank-class path) and without (the kept-keys path), limits 1, 2, 3 and 64. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { topRowsPerGroupByNumber } from '../../../src/executor/columnar/kernels/top-rows-per-group.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('top-rows-per-group-read-groups-off-a-dense-key-column');
const rng = new Rng(seed);

test(`top rows per group read off a dense key column equal those of its groups written out (seed ${seed})`, () => {
  for (let round = 0; round < 80; round++) {
    const rows = 1 + rng.nextInt(4000);
    const lowest = rng.nextInt(2000) - 1000;
    const span = 1 + rng.nextInt(rows < 50 ? rows : 1500);
    const keys = Int32Array.from({ length: rows }, () => lowest + rng.nextInt(span));
    // The lowest key need not occur: the span is then counted from a key no row has.
    const groups = span + rng.nextInt(3);
    const groupOf = Int32Array.from(keys, (k) => k - lowest);
    const plain = rng.nextInt(2) === 0;
    const pool = [NaN, -0, 0, 0.5, -2, 7, Infinity, -Infinity];
    const values = Float64Array.from({ length: rows }, () =>
      plain || rng.nextInt(3) > 0 ? rng.nextInt(50) / 4 - 5 : pool[rng.nextInt(pool.length)]!,
    );
    const valid = plain ? undefined : Uint8Array.from({ length: rows }, () => (rng.nextInt(6) === 0 ? 0 : 1));
    const column = { type: 'f64', values, valid } as Extract<Column, { type: 'f64' }>;
    const limit = [1, 2, 3, 64][rng.nextInt(4)]!;
    const ascending = rng.nextInt(2) === 0;
    const nullsFirst = rng.nextInt(2) === 0;
    const found = topRowsPerGroupByNumber(keys, groups, rows, limit, column, ascending, nullsFirst, lowest);
    const expected = topRowsPerGroupByNumber(groupOf, groups, rows, limit, column, ascending, nullsFirst);
    const what = `round ${round}: ${rows} rows, keys from ${lowest} over ${span}, limit ${limit}, plain ${plain}`;
    assert.deepEqual(Array.from(found), Array.from(expected), what);
  }
});
