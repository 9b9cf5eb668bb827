// topRowsPerGroupByNumber (the inlined comparison of a filtered rowNumber() window ordered by one number column)
// keeps exactly the rows a stable sort by (group, order key) puts first in each group, and the same rows as
// topRowsPerGroup with sortComparator: ties (few distinct values) keep the earlier row, NaN is above every
// number (last ascending, first descending, as Spark), -0 ties with 0, nulls go first or last as asked, int32 and float64 columns. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { sortComparator } from '../../../src/executor/columnar/kernels/sort-rows.js';
import { topRowsPerGroup, topRowsPerGroupByNumber } from '../../../src/executor/columnar/kernels/top-rows-per-group.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('top-rows-per-group-by-number-match-a-stable-sort');
const rng = new Rng(seed);

/** The rank of a value in the model: nulls by `nullsFirst`; NaN, the largest number, before the numbers descending. */
function model(
  groupOf: Int32Array,
  groups: number,
  column: Extract<Column, { type: 'f64' | 'i32' }>,
  limit: number,
  ascending: boolean,
  nullsFirst: boolean,
): number[] {
  const rows = groupOf.length;
  const classOf = (r: number) =>
    column.valid !== undefined && column.valid[r] === 0
      ? nullsFirst
        ? 0
        : 4
      : Number.isNaN(column.values[r])
        ? ascending
          ? 3
          : 1
        : 2;
  const order = Array.from({ length: rows }, (_, r) => r).sort((a, b) => {
    const ca = classOf(a);
    const cb = classOf(b);
    if (ca !== cb) return ca - cb;
    if (ca === 2 && column.values[a] !== column.values[b]) {
      return (column.values[a]! < column.values[b]! ? -1 : 1) * (ascending ? 1 : -1);
    }
    return a - b; // Array.prototype.sort is stable; explicit for clarity
  });
  const taken = new Int32Array(groups);
  const kept: number[] = [];
  for (const r of order) if (taken[groupOf[r]!]!++ < limit) kept.push(r);
  return kept.sort((a, b) => a - b);
}

for (const type of ['f64', 'i32'] as const) {
  test(`top rows per group by one ${type} column equal a stable sort's (seed ${seed})`, () => {
    for (let round = 0; round < 40; round++) {
      const rows = 1 + rng.nextInt(3000);
      const groups = 1 + rng.nextInt(rows < 50 ? rows : 400);
      const groupOf = Int32Array.from({ length: rows }, () => rng.nextInt(groups));
      const pool = type === 'f64' ? [NaN, -0, 0, 0.5, -2, 7, Infinity, -Infinity] : [-3, 0, 1, 2, 9];
      const values =
        type === 'f64'
          ? Float64Array.from({ length: rows }, () => pool[rng.nextInt(pool.length)]!)
          : Int32Array.from({ length: rows }, () => pool[rng.nextInt(pool.length)]!);
      const valid =
        rng.nextInt(3) === 0 ? undefined : Uint8Array.from({ length: rows }, () => (rng.nextInt(6) === 0 ? 0 : 1));
      const column = { type, values, valid } as Extract<Column, { type: 'f64' | 'i32' }>;
      const limit = [1, 2, 3, 5][rng.nextInt(4)]!;
      const ascending = rng.nextInt(2) === 0;
      const nullsFirst = rng.nextInt(2) === 0;
      const found = Array.from(topRowsPerGroupByNumber(groupOf, groups, rows, limit, column, ascending, nullsFirst));
      const expected = model(groupOf, groups, column, limit, ascending, nullsFirst);
      const what = `round ${round}: ${rows} rows, ${groups} groups, limit ${limit}, asc ${ascending}, nulls first ${nullsFirst}`;
      assert.deepEqual(found, expected, what);
      const general = topRowsPerGroup(
        groupOf,
        groups,
        rows,
        limit,
        sortComparator([{ column, ascending, nullsFirst }]),
      );
      assert.deepEqual(found, Array.from(general), `${what}: the comparator path`);
    }
  });
}

// Columns with no null, no NaN and no infinity that sorts last (every row of one rank class) take the path that
// keeps each group's best keys beside its best rows: ties, -0 against 0, the infinity that sorts first, groups with
// fewer rows than the limit, and groups no row has.
for (const type of ['f64', 'i32'] as const) {
  test(`top rows per group of a ${type} column of plain numbers equal a stable sort's (seed ${seed})`, () => {
    for (let round = 0; round < 60; round++) {
      const rows = 1 + rng.nextInt(3000);
      const groups = 1 + rng.nextInt(rows < 50 ? rows : 1200);
      const groupOf = Int32Array.from({ length: rows }, () => rng.nextInt(groups));
      const ascending = rng.nextInt(2) === 0;
      // The infinity that sorts first in this direction; in some rounds the one that sorts last (which the empty
      // places of the kept runs stand for, so those rows take the general path).
      const first = ascending ? -Infinity : Infinity;
      const last = rng.nextInt(4) === 0 ? [-first] : [];
      const pool = type === 'f64' ? [-0, 0, 0.5, -2, 7, 1e300, -1e300, first, ...last] : [-3, 0, 1, 2, 9, 2147483647];
      const distinct = rng.nextInt(2) === 0;
      const values =
        type === 'f64'
          ? Float64Array.from({ length: rows }, () =>
              distinct ? rng.nextInt(1_000_000) / 8 - 60_000 : pool[rng.nextInt(pool.length)]!,
            )
          : Int32Array.from({ length: rows }, () =>
              distinct ? rng.nextInt(2_000_000_000) - 1_000_000_000 : pool[rng.nextInt(pool.length)]!,
            );
      // A validity of all ones (a column that could have held nulls) takes the path too.
      const valid = rng.nextInt(3) === 0 ? new Uint8Array(rows).fill(1) : undefined;
      const column = { type, values, valid } as Extract<Column, { type: 'f64' | 'i32' }>;
      const limit = [1, 2, 3, 5, 64][rng.nextInt(5)]!;
      const nullsFirst = rng.nextInt(2) === 0;
      const found = Array.from(topRowsPerGroupByNumber(groupOf, groups, rows, limit, column, ascending, nullsFirst));
      const expected = model(groupOf, groups, column, limit, ascending, nullsFirst);
      const what = `round ${round}: ${rows} rows, ${groups} groups, limit ${limit}, asc ${ascending}, distinct ${distinct}`;
      assert.deepEqual(found, expected, what);
    }
  });
}
