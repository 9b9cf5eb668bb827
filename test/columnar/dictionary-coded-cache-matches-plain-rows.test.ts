// A cached dataset stores its low-cardinality string columns dictionary-coded (utf8-dict blocks); every operator
// must answer on those blocks exactly as on the plain source. Seeded random rows with null and empty strings, a
// low-cardinality key `k` (coded), a near-unique string `h` (left plain) and numbers; each query runs on the
// uncached source and on the cached dataset, on both backends.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  col,
  Context,
  concat,
  count,
  countDistinct,
  first,
  last,
  max,
  mean,
  min,
  rowNumber,
  sum,
  upper,
  Window,
  type Dataset,
  type Row,
} from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { onEveryBackend } from '../api/helpers.js';
import { testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('dictionary-coded-cache-matches-plain-rows');
// Enough rows per partition (2) that a partition's block is dictionary-coded (at least 1,024 rows).
const ROWS = 6000;

function columns() {
  const rng = new Rng(seed);
  const k: (string | null)[] = [];
  const h: (string | null)[] = [];
  const n = new Int32Array(ROWS);
  const x = new Float64Array(ROWS);
  for (let i = 0; i < ROWS; i++) {
    k.push(rng.nextInt(10) === 0 ? null : TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]!);
    h.push(rng.nextInt(20) === 0 ? null : `h${rng.nextInt(ROWS * 4)}`);
    n[i] = rng.nextInt(7);
    x[i] = rng.nextInt(1000) / 4;
  }
  return { id: Int32Array.from({ length: ROWS }, (_, i) => i), k, h, n, x };
}

/** Rows in a stable order, for results whose order SQL leaves open. */
function sorted(rows: readonly Row[]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}

const QUERIES: Record<string, (ds: Dataset, other: Dataset) => Dataset> = {
  filter: (ds) => ds.filter(col('k').eq('é').or(col('k').eq('')).or(col('k').isNull())),
  'select expressions': (ds) => ds.select('id', upper(col('k')).as('u'), concat(col('k'), col('h')).as('c')),
  'groupBy k, every aggregate': (ds) =>
    ds
      .groupBy('k')
      .agg(count(), sum('x'), mean('x'), min('x'), max('n'), countDistinct('h'), first('id'), last('id'), first('h')),
  'groupBy k and n': (ds) => ds.groupBy('k', 'n').agg(count(), sum('x')),
  'groupBy n, countDistinct k': (ds) => ds.groupBy('n').agg(countDistinct('k'), first('k'), last('k')),
  join: (ds, other) => ds.join(other, 'k', 'inner').select('id', 'k', 'tag'),
  'left join': (ds, other) => ds.join(other, 'k', 'left').select('id', 'k', 'tag'),
  distinct: (ds) => ds.select('k').distinct(),
  orderBy: (ds) => ds.orderBy('k', 'id').select('id', 'k'),
  window: (ds) => ds.withColumn('rn', rowNumber().over(Window.partitionBy('k').orderBy('id'))).select('id', 'k', 'rn'),
};

onEveryBackend('dictionary-coded cached blocks answer as plain ones', (on) => {
  const sources = () => {
    const kc = on.kc();
    const plain = kc.fromColumns(columns(), { numPartitions: 2 });
    const other = kc.fromColumns({ k: ['é', '', 'a', 'Straße', null], tag: [1, 2, 3, 4, 5] }, { numPartitions: 1 });
    return { plain, other };
  };

  test('collect gives the same rows in the same order', async () => {
    const { plain } = sources();
    const cached = plain.select('id', 'k', 'h', 'n', 'x').cache();
    assert.equal(await cached.count(), ROWS);
    assert.deepEqual(await cached.collect(), await plain.collect());
    cached.unpersist();
  });

  for (const [name, query] of Object.entries(QUERIES)) {
    test(`${name} gives the same answer`, async () => {
      const { plain, other } = sources();
      const cached = plain.select('id', 'k', 'h', 'n', 'x').cache();
      await cached.count();
      const expected = await query(plain, other).collect();
      assert.ok(expected.length > 0);
      const got = await query(cached, other).collect();
      if (name === 'orderBy') assert.deepEqual(got, expected);
      else assert.deepEqual(sorted(got), sorted(expected));
      cached.unpersist();
    });
  }

  // toArrow() hands a column coded in every partition on as an Arrow Dictionary<Utf8> (each batch its block's own
  // dictionary, no decoded copy); every reader still gets the strings.
  test('toArrow keeps coded strings as Arrow dictionaries whose values are the strings', async () => {
    const { plain } = sources();
    const cached = plain.select('id', 'k').cache();
    const table = await cached.toArrow();
    const k = table.getChild('k')!;
    assert.match(String(k.type), /^Dictionary<Uint(8|16), Utf8>$/);
    const expected = (await plain.select('k').collect()).map((r) => r.k);
    assert.deepEqual(k.toArray().length, ROWS);
    assert.deepEqual(
      Array.from({ length: ROWS }, (_, i) => k.get(i)),
      expected,
    );
    cached.unpersist();
  });
});

// The co-located join (both sides cached, no broadcast): the build side's blocks concatenated dictionary to
// dictionary, the answer's block and toArrow() keep the codes of both sides.
for (const threads of [0, 2]) {
  test(`a co-located join of cached sides keeps both sides' coded strings coded, collected as strings (${threads} threads)`, async () => {
    const kc = new Context({ threads, broadcastJoinBytesMax: 0 });
    const plain = kc.fromColumns(columns(), { numPartitions: 2 });
    const left = () => plain.select('id', 'k', 'h', 'n');
    const right = () => plain.select('id', col('k').as('label'), col('n').as('m'));
    const cached = left().cache();
    const labels = right().cache();
    await cached.count();
    await labels.count();
    const expected = await left().join(right(), 'id', 'inner').collect();
    assert.equal(expected.length, ROWS);
    const query = () => cached.join(labels, 'id', 'inner');
    assert.deepEqual(sorted(await query().collect()), sorted(expected));
    const table = await query().toArrow();
    assert.equal(table.numRows, ROWS);
    for (const name of ['k', 'label'])
      assert.match(String(table.getChild(name)!.type), /^Dictionary<Uint(8|16), Utf8>$/);
    assert.equal(String(table.getChild('h')!.type), 'Utf8');
    const rows = Array.from({ length: table.numRows }, (_, i) => {
      const row = table.get(i)!;
      return { id: row.id, k: row.k, h: row.h, n: row.n, label: row.label, m: row.m };
    });
    assert.deepEqual(sorted(rows), sorted(expected));
    await kc.stop();
  });
}
