// Spark's aggregate functions take a column name or a Column: `stddev('v')` and `stddev(col('v'))` are the same
// aggregate, and an expression over columns (`sum(col('v').mul(col('w')))`) is aggregated as a column named by its
// text (added map-side first). A window aggregate over an expression is refused, saying what to do instead.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, Window, col, corr, count, countDistinct, max, mean, median, stddev, sum } from '../../src/index.js';

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

test('an aggregate over a computed expression aggregates its values, named by its text (as Spark)', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const v = [1, 3, null, 4, 9, 2];
    const w = [2, 5, 1, null, 4, 3];
    const ds = kc.fromColumns({ k: ['a', 'a', 'b', 'b', 'b', 'a'], v, w }, { numPartitions: 3 });
    const product = col('v').mul(col('w'));
    const got = await ds
      .groupBy('k')
      .agg(sum(product), count(product).as('n'), max(col('v').add(1)), median(product), countDistinct(col('w').mod(2)))
      .orderBy('k')
      .collect();
    assert.deepEqual(got, [
      { k: 'a', 'sum((v * w))': 23, n: 3, 'max((v + 1))': 4, 'median((v * w))': 6, 'countDistinct((w % 2))': 2 },
      { k: 'b', 'sum((v * w))': 36, n: 1, 'max((v + 1))': 10, 'median((v * w))': 36, 'countDistinct((w % 2))': 2 },
    ]);
    // Over every row, and pivoted.
    assert.deepEqual(await ds.agg(sum(product.as('ignored'))).collect(), [{ 'sum((v * w))': 59 }]);
    assert.deepEqual(await ds.groupBy().pivot('k', ['a', 'b']).agg(sum(product)).collect(), [{ a: 23, b: 36 }]);
  } finally {
    await kc.stop();
  }
  assert.throws(
    () => stddev(3 as unknown as string),
    /stddev\(\): expected a column name, col\(name\) or an expression over columns, found 3/,
  );
  assert.throws(() => sum(col('v').add(1)).over(Window.partitionBy('k')), /add \(v \+ 1\) with withColumn\(\) first/);
});
