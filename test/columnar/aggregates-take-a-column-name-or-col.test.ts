// Spark's aggregate functions take a column name or a Column: `stddev('v')` and `stddev(col('v'))` are the same
// aggregate. A computed expression is refused with a typed error that says what to do instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col, corr, countDistinct, max, mean, median, stddev, sum } from '../../src/index.js';

test('aggregates over col(name) give the same columns and values as over the name', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const ds = kc.fromColumns({
      k: new Int32Array([1, 1, 2, 2, 2]),
      v: new Float64Array([1, 3, 2, 4, 9]),
      w: new Float64Array([2, 5, 1, 3, 4]),
    });
    const byName = await ds
      .groupBy('k')
      .agg(sum('v'), mean('v'), max('v'), median('v'), stddev('v'), countDistinct('v', 'w'), corr('v', 'w'))
      .orderBy('k')
      .collect();
    const byCol = await ds
      .groupBy('k')
      .agg(
        sum(col('v')),
        mean(col('v')),
        max(col('v')),
        median(col('v')),
        stddev(col('v')),
        countDistinct(col('v'), col('w')),
        corr(col('v'), col('w')),
      )
      .orderBy('k')
      .collect();
    assert.deepEqual(byCol, byName);
    assert.equal(byName[0]!['sum(v)'], 4);
    assert.equal(byName[1]!['median(v)'], 4);
  } finally {
    await kc.stop();
  }
});

test('an aggregate over a computed expression is refused, naming the expression and the way around it', () => {
  assert.throws(() => sum(col('v').add(1)), {
    code: 'ERR_PLAN_INVALID_ARGUMENT',
    message:
      /^sum\(\): expected a column name or col\(name\), found \(v \+ 1\): add it as a column first with withColumn\(\)/,
  });
  assert.throws(() => stddev(3 as unknown as string), /stddev\(\): expected a column name or col\(name\), found 3/);
});
