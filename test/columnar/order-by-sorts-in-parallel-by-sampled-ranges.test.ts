// orderBy over several partitions range-partitions rows on sampled key bounds and sorts each range, so the result
// equals a stable JS sort of the input (nulls first or last as asked, multi-column keys, asc and desc, NaN the
// largest number, ties in input order) and is spread over several partitions; orderBy().limit(n) and limit(n) match the model.
// The order-preserving key bytes agree with the in-partition comparator on seeded random columns.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, type SortKey } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { compareBytes, encodeSortKey, SortKeyScratch } from '../../src/executor/columnar/kernels/sort-key-bytes.js';
import { sortedRowOrder } from '../../src/executor/columnar/kernels/sort-rows.js';
import type { Column } from '../../src/executor/columnar/batches/batch.js';
import { Rng, testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('order-by-sorts-in-parallel-by-sampled-ranges');
const rng = new Rng(seed);

interface Row {
  readonly id: number;
  readonly k: string | null;
  readonly n: number | null;
  readonly x: number | null;
  readonly b: boolean | null;
  readonly big: bigint | null;
}

const maybe = <T>(value: T): T | null => (rng.nextInt(6) === 0 ? null : value);
const SPECIAL_X = [Number.NaN, -0, 0, -1.5, 1e300, -1e300, Number.POSITIVE_INFINITY];
const rows: Row[] = Array.from({ length: 1200 }, (_, id) => ({
  id,
  k: maybe(TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!),
  n: maybe(rng.nextInt(9) - 4),
  x: maybe(rng.nextInt(8) === 0 ? SPECIAL_X[rng.nextInt(SPECIAL_X.length)]! : (rng.nextInt(401) - 200) / 8),
  b: maybe(rng.nextInt(2) === 0),
  big: maybe(BigInt(rng.nextInt(7) - 3) * 2n ** 40n),
}));

type Key = { name: keyof Row; ascending: boolean; nullsFirst?: boolean };

/** The engine's order: nulls first for ascending keys unless told; NaN above every number (Spark's); stable. */
function modelSort(input: readonly Row[], keys: readonly Key[]): Row[] {
  const compareValue = (a: unknown, b: unknown): number => {
    if (typeof a === 'number' && typeof b === 'number') {
      if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
      return a === b ? 0 : a < b ? -1 : 1;
    }
    return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
  };
  return [...input].sort((r, s) => {
    for (const key of keys) {
      const a = r[key.name];
      const b = s[key.name];
      if (a === null || b === null) {
        if (a === b) continue;
        const first = key.nullsFirst ?? key.ascending;
        return (a === null) === first ? -1 : 1;
      }
      const c = compareValue(a, b);
      if (c !== 0) return key.ascending ? c : -c;
    }
    return r.id - s.id;
  });
}

function sortKey(key: Key): string | SortKey {
  const c = col(key.name);
  if (key.nullsFirst === undefined) return key.ascending ? key.name : c.desc();
  if (key.ascending) return key.nullsFirst ? c.ascNullsFirst() : c.ascNullsLast();
  return key.nullsFirst ? c.descNullsFirst() : c.descNullsLast();
}

const KEY_SETS: readonly (readonly Key[])[] = [
  [{ name: 'k', ascending: true }],
  [
    { name: 'n', ascending: false },
    { name: 'k', ascending: true, nullsFirst: false },
  ],
  [
    { name: 'x', ascending: true, nullsFirst: false },
    { name: 'b', ascending: false, nullsFirst: true },
  ],
  [
    { name: 'big', ascending: false },
    { name: 'x', ascending: false },
    { name: 'k', ascending: false, nullsFirst: true },
  ],
];

const sameRows = (got: readonly Record<string, unknown>[], expected: readonly Row[]) =>
  assert.deepEqual(
    got.map((r) => r['id']),
    expected.map((r) => r.id),
  );

onEveryBackend('orderBy sorts in parallel by sampled ranges', (on) => {
  for (const partitions of [...PARTITION_COUNTS, 16]) {
    test(`orderBy equals a stable sort for every key set (${partitions} partitions)`, async () => {
      for (const keys of KEY_SETS) {
        const ds = on
          .kc()
          .parallelize(rows, partitions)
          .toDataset()
          .orderBy(...keys.map(sortKey));
        sameRows(await ds.collect(), modelSort(rows, keys));
      }
    });

    test(`orderBy().limit(n) and limit(n) keep the first n of the model (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      for (const keys of KEY_SETS) {
        sameRows(
          await ds
            .orderBy(...keys.map(sortKey))
            .limit(25)
            .collect(),
          modelSort(rows, keys).slice(0, 25),
        );
      }
      sameRows(await ds.limit(30).collect(), rows.slice(0, 30));
      sameRows(
        await ds.filter(col('n').gt(2)).limit(5).collect(),
        rows.filter((r) => r.n !== null && r.n > 2).slice(0, 5),
      );
    });
  }

  test('the sorted rows are spread over several partitions, and explain shows the range shuffle', async () => {
    const ds = on.kc().parallelize(rows, 8).toDataset().orderBy('k', col('id').desc());
    assert.equal(ds.getNumPartitions(), 8);
    const sizes = await ds
      .toRDD()
      .glom()
      .map((part) => part.length)
      .collect();
    assert.equal(
      sizes.reduce((a, b) => a + b, 0),
      rows.length,
    );
    assert.ok(sizes.filter((size) => size > 0).length >= 4, `rows spread over ranges: ${sizes.join(', ')}`);
    const plan = ds.explain();
    assert.match(plan, /range-partition rows by k asc, id desc \(bounds from a sample of the keys\)/);
    assert.match(plan, /read shuffle \d+ \(range\(8, ascending\) by sampled key ranges\)/);
    assert.match(plan, /sort by k asc, id desc/);
    const top = on.kc().parallelize(rows, 8).toDataset().orderBy('k').limit(3).explain();
    assert.match(top, /gather every row into one partition/, 'orderBy().limit(n) keeps a top n per task instead');
    assert.doesNotMatch(top, /range-partition/);
  });
});

test('sort key bytes order rows as the in-partition comparator does', () => {
  const count = 400;
  const valid = () => Uint8Array.from({ length: count }, () => (rng.nextInt(5) === 0 ? 0 : 1));
  const strings = Array.from(
    { length: count },
    () => TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]! + (rng.nextInt(3) === 0 ? '\u0000x' : ''),
  );
  const bytes = Buffer.from(strings.join(''), 'utf8');
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  for (let i = 0, at = 0; i < count; i++) {
    starts[i] = at;
    at += Buffer.byteLength(strings[i]!, 'utf8');
    ends[i] = at;
  }
  const columns: Column[] = [
    { type: 'utf8', bytes, starts, ends, valid: valid() },
    {
      type: 'f64',
      values: Float64Array.from({ length: count }, () => SPECIAL_X[rng.nextInt(SPECIAL_X.length)]!),
      valid: valid(),
    },
    { type: 'i32', values: Int32Array.from({ length: count }, () => rng.nextInt(7) - 3), valid: valid() },
    { type: 'i64', values: BigInt64Array.from({ length: count }, () => BigInt(rng.nextInt(7) - 3) << 50n) },
    { type: 'bool', values: Uint8Array.from({ length: count }, () => rng.nextInt(2)), valid: valid() },
  ];
  for (let trial = 0; trial < 40; trial++) {
    const keys = Array.from({ length: 1 + rng.nextInt(3) }, () => ({
      column: columns[rng.nextInt(columns.length)]!,
      ascending: rng.nextInt(2) === 0,
      nullsFirst: [undefined, true, false][rng.nextInt(3)],
    }));
    const order = sortedRowOrder(keys, count);
    const scratch = new SortKeyScratch();
    const encoded = Array.from({ length: count }, (_, row) => Uint8Array.from(encodeSortKey(keys, row, scratch)));
    for (let i = 1; i < count; i++) {
      const c = compareBytes(encoded[order[i - 1]!]!, encoded[order[i]!]!);
      assert.ok(c <= 0, `trial ${trial}: rows ${order[i - 1]} and ${order[i]} are out of order in bytes`);
    }
  }
});
