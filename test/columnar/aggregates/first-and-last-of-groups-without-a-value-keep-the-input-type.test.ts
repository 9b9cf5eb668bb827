// first and last answer a column of their input's type even when no group has a value: groups whose rows are all
// null with ignoreNulls (every group so), and an aggregation that met an input column but no rows. Only an
// aggregation that met no column at all answers float64 nulls (it knows no type).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Batch, Column } from '../../../src/executor/columnar/batches/batch.js';
import { FirstLast } from '../../../src/executor/columnar/aggregates/first-last.js';

const NULLS = new Uint8Array(3);
const COLUMNS: readonly Column[] = [
  { type: 'i32', values: new Int32Array(3), valid: NULLS },
  { type: 'i64', values: new BigInt64Array(3), valid: NULLS },
  { type: 'f64', values: new Float64Array(3), valid: NULLS },
  { type: 'date', values: new Int32Array(3), valid: NULLS },
  { type: 'timestamp', values: new Float64Array(3), unit: 'ms', zone: null, valid: NULLS },
  { type: 'bool', values: new Uint8Array(3), valid: NULLS },
  { type: 'utf8', bytes: new Uint8Array(0), starts: new Int32Array(3), ends: new Int32Array(3), valid: NULLS },
];

function batchOf(column: Column): Batch {
  return { rows: 3, names: ['v'], columns: [column] };
}

test('first and last of groups of only nulls (ignoreNulls) are nulls of the input type', () => {
  for (const column of COLUMNS) {
    for (const fn of ['first', 'last'] as const) {
      const agg = new FirstLast(fn, true, 'v');
      agg.add(batchOf(column), Int32Array.of(0, 1, 2), 0, 3, 3);
      for (const answer of [agg.final(3), agg.partial(3)[0]!]) {
        assert.equal(answer.type, column.type, `${fn} of ${column.type}`);
        assert.deepStrictEqual([...answer.valid!], [0, 0, 0], `${fn} of ${column.type}`);
      }
    }
  }
});

test('first and last of no rows are of the input type when a column came, float64 when none did', () => {
  for (const column of COLUMNS) {
    const agg = new FirstLast('first', false, 'v');
    agg.add(batchOf(column), new Int32Array(0), 0, 0, 0);
    assert.equal(agg.final(0).type, column.type, column.type);
  }
  assert.equal(new FirstLast('last', false, 'v').final(0).type, 'f64');
});
