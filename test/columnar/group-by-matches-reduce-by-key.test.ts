// groupBy().agg() equals the same aggregation done with reduceByKey on the RDD path: string keys (multi-byte),
// int keys, two keys; count, sum, mean, min, max; both backends; several input and shuffle partition counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { count, max, mean, min, sum } from '../../src/index.js';
import type { Context } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import {
  assertGroupsEqual,
  canonical,
  KeyedGroups,
  randomRows,
  Rng,
  rowTuples,
  testSeed,
  type MixedRow,
} from './random-rows.js';

const seed = testSeed('group-by-matches-reduce-by-key');
const rows = randomRows(new Rng(seed), 3000);

/** Key, count, sum of x, min of n, max of n. */
type State = [Record<string, unknown>, number, number, number, number];

/** The RDD path: one [key, state] per row, merged with reduceByKey, finalized with map. */
async function expectedBy(
  kc: Context,
  partitions: number,
  fields: readonly string[],
): Promise<Record<string, unknown>[]> {
  const states = await kc
    .parallelize(rows, partitions)
    .map(
      (r: MixedRow): [string, State] => {
        const key = Object.fromEntries(fields.map((f) => [f, (r as unknown as Record<string, unknown>)[f]]));
        return [JSON.stringify(key), [key, 1, r.x, r.n, r.n]];
      },
      { fields },
    )
    .reduceByKey((a, b): State => [a[0], a[1] + b[1], a[2] + b[2], Math.min(a[3], b[3]), Math.max(a[4], b[4])], 3)
    .values()
    .collect();
  return states.map(([key, n, sx, lo, hi]) => ({
    ...key,
    count: n,
    'sum(x)': sx,
    'mean(x)': sx / n,
    'min(n)': lo,
    'max(n)': hi,
  }));
}

const aggregates = () => [count(), sum('x'), mean('x'), min('n'), max('n')];

onEveryBackend('groupBy().agg()', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    for (const numPartitions of [1, 4]) {
      test(`by a string key (${partitions} input, ${numPartitions} shuffle partitions)`, async () => {
        const ds = on.kc().parallelize(rows, partitions).toDataset();
        const columnar = await ds
          .groupBy('k', { numPartitions })
          .agg(...aggregates())
          .collect();
        const expected = await expectedBy(on.kc(), partitions, ['k']);
        assert.deepEqual(canonical(columnar), canonical(expected));
        assert.ok(expected.length > 10, 'several groups');
      });
    }

    test(`by an int key (${partitions} input partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds
        .groupBy('g')
        .agg(...aggregates())
        .collect();
      const expected = await expectedBy(on.kc(), partitions, ['g']);
      assert.deepEqual(canonical(columnar), canonical(expected));
    });

    test(`by two keys, string and boolean (${partitions} input partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const columnar = await ds
        .groupBy('k', 'b', { numPartitions: 3 })
        .agg(...aggregates())
        .collect();
      const expected = await expectedBy(on.kc(), partitions, ['k', 'b']);
      assert.deepEqual(canonical(columnar), canonical(expected));
    });
  }

  test('typed-array sources: fromColumns with 200,000 int keys matches a Map-based count', async () => {
    const rng = new Rng(seed ^ 1);
    const keys = new Int32Array(200_000).map(() => rng.nextInt(5000));
    const values = new Float64Array(200_000).map(() => rng.nextInt(100) / 4);
    const ds = on.kc().fromColumns({ key: keys, value: values }, { numPartitions: 5 });
    const columnar = await ds.groupBy('key').agg(count(), sum('value').as('total')).collect();
    const expected = new Map<number, { count: number; total: number }>();
    keys.forEach((key, i) => {
      const entry = expected.get(key) ?? { count: 0, total: 0 };
      entry.count++;
      entry.total += values[i]!;
      expected.set(key, entry);
    });
    assert.deepEqual(
      canonical(columnar),
      canonical([...expected].map(([key, e]) => ({ key, count: e.count, total: e.total }))),
    );
  });

  test('fromColumns int32 keys: a narrow range, then keys over all of int32 in the same partitions', async () => {
    const rng = new Rng(seed ^ 2);
    const rows = 300_000;
    // The first rows of each partition fit the group directory; later ones force the hash table (same groups).
    const keys = new Int32Array(rows).map((_, i) =>
      i % 150_000 < 100_000 ? rng.nextInt(1000) - 500 : rng.nextInt(2 ** 32) - 2 ** 31,
    );
    const values = new Float64Array(rows).map(() => rng.nextInt(1000) / 8);
    const ds = on.kc().fromColumns({ key: keys, value: values }, { numPartitions: 2 });
    const columnar = await ds
      .groupBy('key')
      .agg(count(), sum('value'), mean('value'), min('value'), max('value'))
      .collect();
    const expected = new KeyedGroups<number[]>(1);
    keys.forEach((key, i) => {
      const v = values[i]!;
      const e = expected.group([key], () => [0, 0, v, v]);
      e[0]!++;
      e[1]! += v;
      e[2] = Math.min(e[2]!, v);
      e[3] = Math.max(e[3]!, v);
    });
    // ~100,000 groups: compared by key, not as sorted JSON texts (most of this test's time).
    const names = ['key', 'count', 'sum(value)', 'mean(value)', 'min(value)', 'max(value)'];
    assertGroupsEqual(
      rowTuples(columnar, names, 'int32 keys'),
      expected,
      ([n, total, lo, hi]) => [n, total, total! / n!, lo, hi],
      'int32 keys',
    );
  });
});
