// A type error names column types as users write them in schemas and cast() (int32, int64, float64, string), not
// the executor's internal tags (i32, i64, f64, utf8), which it printed before ("cannot compare a i32 column with a
// utf8 column", found trying the API as a user).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col, lit, sum } from '../../src/index.js';

test('comparison, arithmetic, aggregate and cast errors name int32, int64, float64 and string', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({ a: new Int32Array([1, 2]), n: [1n, 2n], s: ['x', 'y'], f: new Float64Array([1, 2]) });
    await assert.rejects(ds.filter(col('a').gt(lit('x'))).collect(), {
      message: /cannot compare a int32 column with a string column/,
    });
    await assert.rejects(ds.select(col('s').add(1).as('z')).collect(), {
      message: /expected numeric operands, found a string column/,
    });
    await assert.rejects(ds.groupBy('a').agg(sum('s')).collect(), { message: /string column/ });
    await assert.rejects(ds.select(col('f').cast('date')).collect(), {
      message: /cannot cast a float64 column to date/,
    });
    await assert.rejects(ds.filter(col('n').and(col('a').gt(0))).collect(), {
      message: /expected a boolean column, found a int64 column/,
    });
  } finally {
    await kc.stop();
  }
});
