// Null semantics of every columnar operator, against a plain-JS model of SQL's rules on seeded random rows with
// nulls in every column (both backends, several partition counts), plus hand-computed cases for the corners:
// three-valued and/or, IN with a null listed, coalesce and when over mixed nulls, null keys grouping together.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { coalesce, col, count, lit, max, mean, min, sum, when } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

interface NullableRow {
  readonly k: string | null;
  readonly g: number | null;
  readonly n: number | null;
  readonly x: number | null;
  readonly b: boolean | null;
}

const seed = testSeed('nulls-follow-sql-semantics');

function randomNullableRows(rng: Rng, count: number): NullableRow[] {
  const maybe = <T>(value: T): T | null => (rng.nextInt(5) === 0 ? null : value);
  return Array.from({ length: count }, () => ({
    k: maybe(['a', 'b', 'é', ''][rng.nextInt(4)]!),
    g: maybe(rng.nextInt(5) - 2),
    n: maybe(rng.nextInt(201) - 100),
    x: maybe((rng.nextInt(401) - 200) / 4),
    b: maybe(rng.nextInt(2) === 0),
  }));
}

const rows = randomNullableRows(new Rng(seed), 500);

/** SQL's three-valued and / or over JS booleans and nulls. */
const and3 = (a: boolean | null, b: boolean | null) =>
  a === false || b === false ? false : a === null || b === null ? null : true;
const or3 = (a: boolean | null, b: boolean | null) =>
  a === true || b === true ? true : a === null || b === null ? null : false;
const arith = (a: number | null, b: number | null, f: (a: number, b: number) => number) =>
  a === null || b === null ? null : f(a, b);

onEveryBackend('null semantics of columnar operators', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`arithmetic, comparisons and logic propagate nulls as SQL does (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .select(
          col('n').add(col('x')).as('sum'),
          col('n').gt(col('x')).as('gt'),
          col('k').eq('a').as('isA'),
          col('b').and(col('n').gt(0)).as('and'),
          col('b').or(col('n').gt(0)).as('or'),
          col('b').not().as('not'),
          col('k').isNull().as('kNull'),
          col('x').isNotNull().as('xSet'),
        )
        .collect();
      const expected = rows.map((r) => ({
        sum: arith(r.n, r.x, (a, b) => a + b),
        gt: arith(r.n, r.x, (a, b) => (a > b ? 1 : 0)) === null ? null : r.n! > r.x!,
        isA: r.k === null ? null : r.k === 'a',
        and: and3(r.b, r.n === null ? null : r.n > 0),
        or: or3(r.b, r.n === null ? null : r.n > 0),
        not: r.b === null ? null : !r.b,
        kNull: r.k === null,
        xSet: r.x !== null,
      }));
      assert.deepEqual(got, expected);
    });

    test(`filter keeps only rows whose condition is true, not null (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .filter(col('n').gt(10).or(col('b')))
        .collect();
      assert.deepEqual(
        got,
        rows.filter((r) => or3(r.n === null ? null : r.n > 10, r.b) === true),
      );
    });

    test(`coalesce, when/otherwise and isin pick values row by row (${partitions} partitions)`, async () => {
      const got = await on
        .kc()
        .parallelize(rows, partitions)
        .toDataset()
        .select(
          coalesce(col('n'), col('g'), lit(-1)).as('c'),
          when(col('n').lt(0), 'neg').when(col('n').eq(0), 'zero').otherwise(col('k')).as('w'),
          when(col('b'), col('x')).as('wx'),
          col('g').isin(0, 1).as('in'),
          col('k').isin('a', null).as('inNull'),
        )
        .collect();
      const expected = rows.map((r) => ({
        c: r.n ?? r.g ?? -1,
        w: r.n !== null && r.n < 0 ? 'neg' : r.n === 0 ? 'zero' : r.k,
        wx: r.b === true ? r.x : null,
        in: r.g === null ? null : r.g === 0 || r.g === 1,
        inNull: r.k === null ? null : r.k === 'a' ? true : null,
      }));
      assert.deepEqual(got, expected);
    });

    test(`groupBy puts null keys in one group and aggregates skip nulls (${partitions} partitions)`, async () => {
      for (const keys of [['k'], ['g'], ['k', 'b']] as const) {
        const got = await on
          .kc()
          .parallelize(rows, partitions)
          .toDataset()
          .groupBy(...keys, { numPartitions: 3 })
          .agg(count(), count('x'), sum('n'), mean('x'), min('n'), max('x'))
          .collect();
        const groups = new Map<string, NullableRow[]>();
        for (const r of rows) {
          const key = JSON.stringify(keys.map((k) => r[k]));
          groups.set(key, [...(groups.get(key) ?? []), r]);
        }
        const expected = [...groups.values()].map((members) => {
          const xs = members.map((r) => r.x).filter((v): v is number => v !== null);
          const ns = members.map((r) => r.n).filter((v): v is number => v !== null);
          const out: Record<string, unknown> = {};
          for (const k of keys) out[k] = members[0]![k];
          out['count'] = members.length;
          out['count(x)'] = xs.length;
          out['sum(n)'] = ns.length === 0 ? null : ns.reduce((a, b) => a + b, 0);
          out['mean(x)'] = xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length;
          out['min(n)'] = ns.length === 0 ? null : Math.min(...ns);
          out['max(x)'] = xs.length === 0 ? null : Math.max(...xs);
          return out;
        });
        assert.deepEqual(canonical(got), canonical(expected), `keys ${keys.join(', ')}`);
      }
    });
  }

  test('three-valued logic, hand-computed', async () => {
    const got = await on
      .kc()
      .fromColumns({ a: [true, false, null, null, true], b: [null, null, null, true, false] }, { numPartitions: 1 })
      .select(col('a').and(col('b')).as('and'), col('a').or(col('b')).as('or'))
      .collect();
    assert.deepEqual(got, [
      { and: null, or: true },
      { and: false, or: null },
      { and: null, or: null },
      { and: null, or: true },
      { and: false, or: true },
    ]);
  });

  test('a group whose values are all null aggregates to null, and counts to 0', async () => {
    const got = await on
      .kc()
      .fromColumns({ k: ['a', 'a', 'b'], v: [null, null, 4] }, { numPartitions: 2 })
      .groupBy('k', { numPartitions: 1 })
      .agg(count(), count('v'), sum('v'), mean('v'), min('v'), max('v'))
      .orderBy('k')
      .collect();
    assert.deepEqual(got, [
      { k: 'a', count: 2, 'count(v)': 0, 'sum(v)': null, 'mean(v)': null, 'min(v)': null, 'max(v)': null },
      { k: 'b', count: 1, 'count(v)': 1, 'sum(v)': 4, 'mean(v)': 4, 'min(v)': 4, 'max(v)': 4 },
    ]);
  });

  test('orderBy puts nulls first ascending and last descending unless told', async () => {
    const ds = on.kc().fromColumns({ v: [2, null, 1, null, 3] }, { numPartitions: 2 });
    const values = async (key: Parameters<typeof ds.orderBy>[0]) =>
      (await ds.orderBy(key).collect()).map((r) => r['v']);
    assert.deepEqual(await values('v'), [null, null, 1, 2, 3]);
    assert.deepEqual(await values(col('v').desc()), [3, 2, 1, null, null]);
    assert.deepEqual(await values(col('v').ascNullsLast()), [1, 2, 3, null, null]);
    assert.deepEqual(await values(col('v').descNullsFirst()), [null, null, 3, 2, 1]);
  });
});
