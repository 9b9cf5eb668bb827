// min / max of string columns (Spark's min and max order strings): the planner cannot know a column's type, so the
// aggregation moves a min or max to a string aggregate when a batch shows its input as strings. Against a plain-JS
// model (JS `<`: UTF-16 order, as orderBy) on seeded tables with nulls: one key over several partitions and cached
// (dictionary-coded strings), two keys over enough rows for the reduce side to hold and group them part by part,
// unique keys that make map tasks pass rows through, a global aggregate, and rows of an RDD whose partitions have
// only nulls (typed float64 there). Found missing trying the API as a Spark user (`max('name')` failed the job).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Context, col, count, max, min, type Row } from '../../src/index.js';
import { PARTITIONED_ROWS_MIN } from '../../src/executor/columnar/grouping/aggregate.js';
import { Rng } from '../../src/common/rng.js';
import { testSeed, TRICKY_WORDS } from './random-rows.js';

const seed = testSeed('min-and-max-of-strings-match-a-plain-js-model');
const key = (values: readonly unknown[]) => JSON.stringify(values);

/** Per key tuple: the smallest and largest non-null string (null when none), as JS `<` orders them. */
function model(
  keys: readonly (readonly unknown[])[],
  strings: readonly (string | null)[],
): Map<string, [unknown, unknown]> {
  const out = new Map<string, [string | null, string | null]>();
  keys.forEach((k, i) => {
    const s = strings[i] ?? null;
    const tuple = key(k);
    const [lo, hi] = out.get(tuple) ?? [null, null];
    if (s === null) return void out.set(tuple, [lo, hi]);
    out.set(tuple, [lo === null || s < lo ? s : lo, hi === null || s > hi ? s : hi]);
  });
  return out;
}

function check(got: Row[], keyNames: readonly string[], want: Map<string, [unknown, unknown]>, at: string): void {
  assert.equal(got.length, want.size, at);
  for (const row of got) {
    const tuple = key(keyNames.map((k) => row[k]));
    const expected = want.get(tuple);
    // Compared here first, so that the message is made only for a group that differs.
    if (expected === undefined || row['min(s)'] !== expected[0] || row['max(s)'] !== expected[1])
      assert.deepEqual([row['min(s)'], row['max(s)']], expected, `${at}: ${tuple}`);
  }
}

test(`min and max of strings match a model per group and overall (seed ${seed})`, async () => {
  const rng = new Rng(seed);
  const kc = new Context({ threads: 2 });
  try {
    const word = () =>
      rng.nextInt(6) === 0 ? null : TRICKY_WORDS[rng.nextInt(TRICKY_WORDS.length)]! + rng.nextInt(50);
    // One key, several partitions, read directly and cached.
    const rows = 3000;
    const k = Array.from({ length: rows }, () => (rng.nextInt(9) === 0 ? null : rng.nextInt(20)));
    const s = Array.from({ length: rows }, word);
    const x = Array.from({ length: rows }, () => rng.nextInt(1000));
    const ds = kc.fromColumns({ k, s, x }, { numPartitions: 4 });
    for (const [d, at] of [
      [ds, 'one key'],
      [ds.cache(), 'one key, cached'],
    ] as const) {
      const got = await d.groupBy('k').agg(min('s'), max('s'), max('x'), count()).collect();
      check(
        got,
        ['k'],
        model(
          k.map((v) => [v]),
          s,
        ),
        at,
      );
      // Number aggregates beside them are as before.
      for (const row of got) {
        const xs = x.filter((_, i) => k[i] === row['k']);
        assert.equal(row['max(x)'], Math.max(...xs), at);
        assert.equal(row['count'], xs.length, at);
      }
      check(
        await d.agg(min('s'), max('s')).collect(),
        [],
        model(
          s.map(() => []),
          s,
        ),
        `${at}, global`,
      );
    }

    // Two keys, groups mostly unique, all in one reduce task: it holds its rows and groups them part by part.
    const many = PARTITIONED_ROWS_MIN + 100_000;
    const a = Array.from({ length: many }, () => `a${rng.nextInt(3000)}`);
    const b = Array.from({ length: many }, () => rng.nextInt(200));
    const t = Array.from({ length: many }, () => (rng.nextInt(3) === 0 ? null : `t${rng.nextInt(100000)}`));
    const two = kc.fromColumns({ a, b, s: t }, { numPartitions: 3 });
    check(
      await two.groupBy('a', 'b', { numPartitions: 1 }).agg(min('s'), max('s')).collect(),
      ['a', 'b'],
      model(
        a.map((v, i) => [v, b[i]]),
        t,
      ),
      'two keys, held reduce',
    );
    // Unique keys: map tasks stop grouping and pass rows through.
    const ids = Array.from({ length: 250_000 }, (_, i) => i);
    const u = ids.map(() => (rng.nextInt(4) === 0 ? null : `u${rng.nextInt(1000)}`));
    const unique = kc.fromColumns({ id: ids, s: u }, { numPartitions: 2 });
    const passed = await unique.groupBy('id').agg(min('s'), max('s')).filter(col('id').lt(1000)).collect();
    check(
      passed,
      ['id'],
      model(
        ids.slice(0, 1000).map((v) => [v]),
        u.slice(0, 1000),
      ),
      'passed through',
    );
  } finally {
    await kc.stop();
  }
});

test('min and max of strings over RDD rows whose partitions hold only nulls', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const rows = [
      { k: 1, s: null },
      { k: 1, s: null },
      { k: 2, s: 'b' },
      { k: 1, s: 'é' },
      { k: 2, s: 'a' },
      { k: 3, s: null },
    ];
    const ds = kc.parallelize(rows, 4).toDataset();
    assert.deepEqual(await ds.groupBy('k').agg(min('s'), max('s')).orderBy('k').collect(), [
      { k: 1, 'min(s)': 'é', 'max(s)': 'é' },
      { k: 2, 'min(s)': 'a', 'max(s)': 'b' },
      { k: 3, 'min(s)': null, 'max(s)': null },
    ]);
    assert.deepEqual(await ds.filter(col('k').gt(5)).agg(min('s'), max('s'), count()).collect(), [
      { 'min(s)': null, 'max(s)': null, count: 0 },
    ]);
  } finally {
    await kc.stop();
  }
});
