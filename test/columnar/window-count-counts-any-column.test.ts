// count(col) over a window counts the non-null values of a column of any type, as groupBy's count(col) does: a
// running count of a string or boolean column failed with "expected a column of numbers, dates or timestamps".
// Found by the differential test random-queries-answer-as-duckdb.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { col, Context, count, Window } from '../../src/index.js';

const kc = new Context({ threads: 0 });
after(() => kc.stop());

test('a running count of strings and booleans counts their non-null values, peers alike', async () => {
  const rows = await kc
    .fromColumns(
      { g: [1, 1, 1, 1, 2], o: [1, 2, 2, 3, 1], s: ['a', null, '', 'é', null], b: [true, false, null, true, null] },
      { numPartitions: 2 },
    )
    .withColumn('ns', count('s').over(Window.partitionBy('g').orderBy('o')))
    .withColumn('nb', count(col('b')).over(Window.partitionBy('g').orderBy('o')))
    .withColumn('all', count('s').over(Window.partitionBy('g')))
    .orderBy('g', 'o', 's')
    .collect();
  assert.deepEqual(
    rows.map((r) => [r['g'], r['o'], r['ns'], r['nb'], r['all']]),
    [
      [1, 1, 1, 1, 3],
      [1, 2, 2, 2, 3],
      [1, 2, 2, 2, 3],
      [1, 3, 3, 3, 3],
      [2, 1, 0, 0, 0],
    ],
  );
});
