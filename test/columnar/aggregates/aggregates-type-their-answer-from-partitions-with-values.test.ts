// Every aggregate's answer takes its type from the partitions that have values, not from the first map output: a
// first partition whose column is all null (typed float64 when rows are typed per partition) or empty (seven slices
// of five rows), then int32, int64 or date values, comes back int32 / int64 / date where the aggregate keeps its
// input's type (an int64 sum is int64, exact).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateDay, makeData, makeVector, Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';

import {
  corr,
  count,
  countDistinct,
  first,
  last,
  max,
  mean,
  median,
  min,
  quantile,
  stddev,
  sum,
  variance,
  type Aggregate,
} from '../../../src/index.js';
import { onEveryBackend } from '../../api/helpers.js';

/** Per aggregate of `v` (and `w` for corr), the answer over the values 1, 2, 3 (w 0, 1, 2), of the input's type. */
function expected<T>(one: T, three: T, sumOf: unknown): Record<string, [Aggregate, unknown]> {
  return {
    sum: [sum('v').as('x'), sumOf],
    count: [count('v').as('x'), 3],
    countDistinct: [countDistinct('v').as('x'), 3],
    mean: [mean('v').as('x'), 2],
    median: [median('v').as('x'), 2],
    quantile: [quantile('v', 0.5).as('x'), 2],
    stddev: [stddev('v').as('x'), 1],
    variance: [variance('v').as('x'), 1],
    corr: [corr('v', 'w').as('x'), 1],
    min: [min('v').as('x'), one],
    max: [max('v').as('x'), three],
    first: [first('v').as('x'), null],
    last: [last('v').as('x'), three],
  };
}

onEveryBackend('aggregates after an all-null or empty first partition', (on) => {
  for (const [type, values, sumOf] of [
    ['int32', [1, 2, 3], 6],
    ['int64', [1n, 2n, 3n], 6n],
  ] as const) {
    test(`keep ${type} values' types (rows typed per partition)`, async () => {
      // Seven slices of five rows: the first ones empty or all null, the values after them.
      const rows = [
        { k: 'a', v: null, w: null },
        { k: 'a', v: null, w: null },
        ...values.map((v, i) => ({ k: 'a', v, w: i })),
      ];
      for (const partitions of [3, 7]) {
        const ds = on.kc().parallelize(rows, partitions).toDataset();
        for (const [name, [aggregate, want]] of Object.entries(expected(values[0], values[2], sumOf))) {
          const [got] = await ds.groupBy('k').agg(aggregate).collect();
          assert.deepEqual(got!['x'], want, `${type} ${name}, ${partitions} partitions`);
        }
      }
    });
  }

  test('keep dates after an all-null first batch', async () => {
    const DAY_MS = 86_400_000;
    const batch = (days: (number | null)[]) => {
      const valid = new Uint8Array(1);
      days.forEach((d, i) => (valid[0]! |= d === null ? 0 : 1 << i));
      const v: Vector = makeVector(
        makeData({
          type: new DateDay(),
          length: days.length,
          nullCount: days.filter((d) => d === null).length,
          nullBitmap: valid,
          data: Int32Array.from(days, (d) => d ?? 0),
        }),
      );
      return new Table({
        k: vectorFromArray(
          days.map(() => 'a'),
          new Utf8(),
        ),
        v,
      });
    };
    const table = batch([null, null]).concat(batch([19_000, 19_002, 19_001]));
    const ds = on.kc().fromArrow(table);
    const date = (d: number) => new Date(d * DAY_MS);
    const got = await ds
      .groupBy('k')
      .agg(
        min('v').as('lo'),
        max('v').as('hi'),
        count('v').as('n'),
        countDistinct('v').as('d'),
        first('v').as('f'),
        last('v').as('l'),
      )
      .collect();
    assert.deepEqual(got, [{ k: 'a', lo: date(19_000), hi: date(19_002), n: 3, d: 3, f: null, l: date(19_001) }]);
  });
});
