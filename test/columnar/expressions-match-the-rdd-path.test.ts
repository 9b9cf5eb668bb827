// Every expression kernel (arithmetic, comparisons, boolean logic, lower, length, filter, withColumn) gives what
// the same JS, run per record by the RDD path, gives: random seeded rows, both backends, several partition counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, length, lit, lower } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { canonical, randomRows, Rng, testSeed, type MixedRow } from './random-rows.js';

const seed = testSeed('expressions-match-the-rdd-path');
const rows = randomRows(new Rng(seed), 600);

onEveryBackend('columnar expressions', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`arithmetic on numbers follows JS (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds
        .select(
          col('n').add(col('x')).as('sum'),
          col('n').sub(col('x')).mul(3).as('product'),
          col('x').div(col('n')).as('quotient'),
          col('n').mod(7).as('remainder'),
          col('g').mul(lit(0.5)).add(1).as('scaled'),
        )
        .collect();
      const expected = await on
        .kc()
        .parallelize(rows, partitions)
        .map((r: MixedRow) => ({
          sum: r.n + r.x,
          product: (r.n - r.x) * 3,
          quotient: r.x / r.n,
          remainder: r.n % 7,
          scaled: r.g * 0.5 + 1,
        }))
        .collect();
      assert.deepEqual(columnar, expected);
    });

    test(`filter with comparisons and boolean logic keeps the rows JS keeps (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds
        .filter(
          col('n')
            .gt(100)
            .and(col('b'))
            .or(col('x').le(-50).and(col('b').not()))
            .or(col('k').eq('é')),
        )
        .select('k', 'n')
        .collect();
      const expected = await on
        .kc()
        .parallelize(rows, partitions)
        .filter((r: MixedRow) => (r.n > 100 && r.b) || (r.x <= -50 && !r.b) || r.k === 'é')
        .map((r: MixedRow) => ({ k: r.k, n: r.n }))
        .collect();
      assert.deepEqual(columnar, expected);
      assert.ok(expected.length > 50 && expected.length < rows.length, 'the predicate must select some rows');
    });

    test(`string comparisons use UTF-16 code unit order, as JS < (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds
        .select(
          col('k').lt(col('s')).as('lt'),
          col('k').ge('the').as('ge'),
          col('k').ne(col('s')).as('ne'),
          col('n').eq(col('g')).as('eq'),
        )
        .collect();
      const expected = rows.map((r) => ({ lt: r.k < r.s, ge: r.k >= 'the', ne: r.k !== r.s, eq: r.n === r.g }));
      assert.deepEqual(columnar, expected);
    });

    test(`lower and length equal toLowerCase, .length and code points (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds
        .withColumn('lowered', lower(col('s')))
        .withColumn('units', length(col('s')))
        .withColumn('points', length(lower(col('k')), { unit: 'code-points' }))
        .select('lowered', 'units', 'points')
        .collect();
      const expected = await on
        .kc()
        .parallelize(rows, partitions)
        .map((r: MixedRow) => ({
          lowered: r.s.toLowerCase(),
          units: r.s.length,
          points: [...r.k.toLowerCase()].length,
        }))
        .collect();
      assert.deepEqual(columnar, expected);
      assert.ok(
        rows.some((r) => r.s.toLowerCase().length !== r.s.length),
        'some value must change length when lowered (İ)',
      );
    });
  }

  test('withColumn replaces a column of the same name in place', async () => {
    const ds = on.kc().parallelize(rows.slice(0, 20), 3).toDataset();
    const out = await ds.withColumn('n', col('n').mul(-1)).collect();
    assert.deepEqual(
      out.map((r) => Object.keys(r)),
      rows.slice(0, 20).map(() => ['k', 'g', 'n', 'x', 'b', 's']),
    );
    assert.deepEqual(canonical(out.map((r) => r['n'])), canonical(rows.slice(0, 20).map((r) => -r.n)));
  });

  test('a type error names the operation and the types it found', async () => {
    const ds = on.kc().parallelize(rows.slice(0, 5), 1).toDataset();
    await assert.rejects(
      ds.select(lower(col('n'))).collect(),
      /lower\(\): expected a string column, found a (int32|float64) column/,
    );
    await assert.rejects(ds.select(col('nope')).collect(), /no column 'nope'; the dataset has columns 'k', 'g', 'n'/);
  });
});
