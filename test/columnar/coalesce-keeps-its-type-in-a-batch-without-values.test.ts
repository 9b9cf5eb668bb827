// coalesce and when/otherwise keep a string result in a batch holding no value (no rows after a filter, or only
// nulls): the result was typed float64 there, so a string function over it failed the job with "upper(): expected
// a string for argument 1, found a float64 column" on data where other batches worked. Found by the differential
// test random-queries-answer-as-duckdb.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { coalesce, col, Context, length, lit, upper, when } from '../../src/index.js';

const kc = new Context({ threads: 0 });
after(() => kc.stop());

// Partition 0 holds only nulls in s and t; partition 1 holds values.
const ds = () =>
  kc.fromColumns({ id: [0, 1, 2, 3], s: [null, null, 'a', null], t: [null, null, null, 'é'] }, { numPartitions: 2 });

test('a string coalesce over a batch of only nulls stays a string column', async () => {
  const rows = await ds()
    .select(
      col('id'),
      upper(coalesce(col('s'), col('t'))).as('u'),
      length(when(col('id').gt(0), col('s')).otherwise(col('t'))).as('n'),
    )
    .orderBy('id')
    .collect();
  assert.deepEqual(
    rows.map((r) => [r['id'], r['u'], r['n']]),
    [
      [0, null, null],
      [1, null, null],
      [2, 'A', 1],
      [3, 'É', null],
    ],
  );
});

test('a string coalesce over partitions a filter emptied stays a string column', async () => {
  const rows = await ds()
    .filter(col('id').ge(3))
    .select(upper(coalesce(lit('x'), col('s'))).as('u'))
    .collect();
  assert.deepEqual(rows, [{ u: 'X' }]);
});
