// Spark names a user reaches for, against a plain-JS model on a seeded table with nulls over several partitions:
// where, sort, sortWithinPartitions (each partition sorted, none moved), unionAll, transform, withColumns (every
// value computed from the input's columns: a swap swaps, where a chain of withColumn would not; replaced in place,
// appended in order), withColumnsRenamed (all at once), toDF (by position; a wrong count fails naming both), dtypes,
// isEmpty, toLocalIterator, foreach, foreachPartition, crossJoin (every pair), randomSplit, and the column's alias,
// between, eqNullSafe (null equals null) and astype, and select('*', …) (also over a Parquet file's pruned read).
// Found missing trying the API as a Spark user.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Context, PlanError, col, lit, rowNumber, Window } from '../../src/index.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed } from './random-rows.js';

const seed = testSeed('spark-shorthands-match-their-long-forms');
type Row = { k: string | null; v: number | null };

function randomTable(rng: Rng, rows: number): Row[] {
  const maybe = <T>(value: () => T): T | null => (rng.nextInt(4) === 0 ? null : value());
  return Array.from({ length: rows }, () => ({
    k: maybe(() => ['a', 'b', 'é'][rng.nextInt(3)]!),
    v: maybe(() => rng.nextInt(100) - 50),
  }));
}

const order = (list: Record<string, unknown>[]) => list.map((r) => JSON.stringify(r)).sort();

test(`Spark's shorthand verbs match their long forms and a model (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    const rows = randomTable(rng, 100 + rng.nextInt(100));
    const ds = kc.fromColumns({ k: rows.map((r) => r.k), v: rows.map((r) => r.v) }, { numPartitions: 3 });

    assert.deepEqual(
      await ds.where(col('v').gt(0)).collect(),
      rows.filter((r) => r.v !== null && r.v > 0),
    );

    const swapped = await ds.withColumns({ k: col('v'), v: col('k'), twice: col('v').mul(2), one: lit(1) }).collect();
    assert.deepEqual(
      swapped,
      rows.map((r) => ({ k: r.v, v: r.k, twice: r.v === null ? null : r.v * 2, one: 1 })),
    );
    assert.deepEqual(await ds.withColumns({}).collect(), rows);
    // A window value among them: every value still reads the input's columns.
    const w = Window.partitionBy('k').orderBy('v');
    const ranked = await ds.withColumns({ n: rowNumber().over(w), v: col('v').add(1) }).collect();
    assert.equal(ranked.length, rows.length);
    assert.deepEqual(Object.keys(ranked[0]!), ['k', 'v', 'n']);
    const nulls = rows.filter((r) => r.v === null).length;
    assert.equal(ranked.filter((r) => r['v'] === null).length, nulls);

    assert.deepEqual(
      await ds.toDF('key', 'value').collect(),
      rows.map((r) => ({ key: r.k, value: r.v })),
    );
    await assert.rejects(ds.toDF('only').collect(), /toDF\(\): expected 1 column name for the 2 columns 'k', 'v'/);
    assert.throws(() => ds.toDF(), PlanError);
    assert.throws(() => ds.toDF('a', 'a'), PlanError);

    assert.equal(await ds.isEmpty(), false);
    assert.equal(await ds.where(col('v').gt(1000)).isEmpty(), true);

    const colors = kc.fromColumns({ color: ['red', null, 'blue'] }, { numPartitions: 2 });
    const pairs = await ds.crossJoin(colors).collect();
    const expected = rows.flatMap((r) => ['red', null, 'blue'].map((color) => ({ ...r, color })));
    assert.deepEqual(order(pairs), order(expected));
    assert.throws(() => ds.crossJoin({} as never), PlanError);

    // sort, unionAll, transform: the verbs they name.
    assert.deepEqual(await ds.sort(col('v').desc(), 'k').collect(), await ds.orderBy(col('v').desc(), 'k').collect());
    assert.deepEqual(await ds.unionAll(ds).collect(), [...rows, ...rows]);
    assert.deepEqual(
      await ds.transform((d) => d.where(col('v').isNull())).collect(),
      rows.filter((r) => r.v === null),
    );
    assert.throws(() => ds.transform('x' as never), PlanError);

    // withColumnsRenamed renames at once (a swap swaps), ignores absent names; dtypes names the types.
    assert.deepEqual(
      await ds.withColumnsRenamed({ k: 'v', v: 'k', absent: 'x' }).collect(),
      rows.map((r) => ({ v: r.k, k: r.v })),
    );
    assert.deepEqual(await ds.withColumnsRenamed({ k: 'key' }).dtypes(), [
      ['key', 'string'],
      ['v', 'float64'],
    ]);
    assert.throws(() => ds.withColumnsRenamed(['k'] as never), PlanError);

    // Column shorthands: alias, between (bounds included, null propagates), eqNullSafe (null equals null), astype.
    const compared = await ds
      .select(
        col('v').between(-10, 10).alias('inRange'),
        col('k').eqNullSafe('a').alias('isA'),
        col('k').eqNullSafe(null).alias('noK'),
        col('v').eqNullSafe(col('v').mul(-1)).alias('zeroOrNull'),
        col('v').astype('string'),
      )
      .collect();
    assert.deepEqual(
      compared,
      rows.map((r) => ({
        inRange: r.v === null ? null : r.v >= -10 && r.v <= 10,
        isA: r.k === 'a',
        noK: r.k === null,
        zeroOrNull: r.v === null || r.v === 0,
        v: r.v === null ? null : String(r.v),
      })),
    );

    // select('*', …): every column in order, around the others; over a Parquet file too, whose reader reads only
    // the columns a select names (so '*' must read them all).
    assert.deepEqual(
      await ds.select(lit(0).as('zero'), '*', col('v').add(1).as('next')).collect(),
      rows.map((r) => ({ zero: 0, ...r, next: r.v === null ? null : r.v + 1 })),
    );
    const dir = await mkdtemp(join(tmpdir(), 'kindling-star-'));
    try {
      await ds.write.format('parquet').save(join(dir, 'out'));
      const read = kc.read.parquet(join(dir, 'out')).select('*', lit(1).as('one'));
      const got = await read.collect();
      assert.deepEqual(order(got), order(rows.map((r) => ({ ...r, one: 1 }))));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }

    // sortWithinPartitions: each partition (contiguous slices of the rows) sorted, nothing moved between them.
    const slices = [0, 1, 2].map((p) =>
      rows.slice(Math.floor((p * rows.length) / 3), Math.floor(((p + 1) * rows.length) / 3)),
    );
    const byV = (a: Row, b: Row) => (a.v === b.v ? 0 : a.v === null ? -1 : b.v === null ? 1 : a.v - b.v);
    const within = await ds.sortWithinPartitions('v').collect();
    assert.deepEqual(
      within.map((r) => r['v']),
      slices.flatMap((slice) => [...slice].sort(byV).map((r) => r.v)),
    );
    assert.equal(ds.sortWithinPartitions('v').getNumPartitions(), 3);
    assert.throws(() => ds.sortWithinPartitions(), PlanError);

    // toLocalIterator, foreach and foreachPartition see every row as a plain object.
    const iterated: Record<string, unknown>[] = [];
    for await (const row of ds.toLocalIterator()) iterated.push(row);
    assert.deepEqual(iterated, rows);
    const nonNull = kc.accumulator(0, (a: number, b: number) => a + b);
    await ds.foreach((row) => nonNull.add(row['v'] === null ? 0 : 1), { nonNull });
    assert.equal(nonNull.value, rows.filter((r) => r.v !== null).length);
    const partitionsSeen = kc.accumulator(0, (a: number, b: number) => a + b);
    await ds.foreachPartition(
      (part) => {
        for (const row of part) void row;
        partitionsSeen.add(1);
      },
      { partitionsSeen },
    );
    assert.equal(partitionsSeen.value, 3);
    assert.throws(() => ds.withColumns(null as never), PlanError);
  } finally {
    await kc.stop();
  }
});

test(`randomSplit parts the rows once each, by their weights, the same every time (seed ${seed})`, async () => {
  const rng = new Rng(seed + 1);
  const kc = new Context({ threads: 2 });
  try {
    const rows = 3000;
    const ids = Array.from({ length: rows }, (_, i) => i);
    const ds = kc.fromColumns({ id: ids, k: ids.map(() => (rng.nextInt(3) === 0 ? null : 'x')) }, { numPartitions: 4 });
    const splitSeed = rng.nextInt(1_000_000);
    const splits = ds.randomSplit([0.5, 0.3, 0.2], splitSeed);
    const parts = await Promise.all(splits.map(async (s) => (await s.collect()).map((r) => r['id'] as number)));
    assert.deepEqual(
      parts.flat().sort((a, b) => a - b),
      ids,
    );
    parts.forEach((part, i) => {
      const share = part.length / rows;
      assert.ok(Math.abs(share - [0.5, 0.3, 0.2][i]!) < 0.05, `split ${i}: ${share}`);
    });
    // Again with the same seed: the same rows; a zero weight: an empty split.
    const again = await ds.randomSplit([5, 3, 2], splitSeed)[1]!.collect();
    assert.deepEqual(
      again.map((r) => r['id']),
      parts[1],
    );
    const [none, all] = ds.randomSplit([0, 1], splitSeed);
    assert.equal(await none!.count(), 0);
    assert.equal(await all!.count(), rows);
    assert.match(splits[1]!.explain(), /randomSplit: rows drawn in \[0\.5, 0\.8\)/);
    assert.throws(() => ds.randomSplit([]), PlanError);
    assert.throws(() => ds.randomSplit([1, -1]), PlanError);
    assert.throws(() => ds.randomSplit([1, 1], 0.5), PlanError);
  } finally {
    await kc.stop();
  }
});
