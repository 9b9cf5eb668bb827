// A string cast to a number reads decimal and exponent forms only, as Spark's and DuckDB's casts to double: '0x10',
// '0b11' and '0o7' are null, where JS Number() made them 16, 3 and 7. Found by the differential test's author while
// comparing casts with DuckDB (random-queries-answer-as-duckdb).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { col, Context } from '../../src/index.js';

const kc = new Context({ threads: 0 });
after(() => kc.stop());

test('hex, binary and octal strings cast to null; decimal ones to their value', async () => {
  const s = ['0x10', '0X1f', '-0x10', '0b11', '0o7', ' 0x10 ', '010', '12', '-1.9', '.5', '1e3', '0.5e1'];
  const rows = await kc
    .fromColumns({ s }, { numPartitions: 2 })
    .select(col('s').cast('int').as('i'), col('s').cast('bigint').as('l'), col('s').cast('double').as('d'))
    .collect();
  assert.deepEqual(
    rows.map((r) => [r['i'], r['l'] === null ? null : Number(r['l']), r['d']]),
    [
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [null, null, null],
      [10, 10, 10],
      [12, 12, 12],
      [-1, -1, -1.9],
      [0, 0, 0.5],
      [1000, 1000, 1000],
      [5, 5, 5],
    ],
  );
});
