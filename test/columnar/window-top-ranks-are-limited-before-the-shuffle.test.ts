// A filter keeping the top ranks of a ranking window (rowNumber/rank/denseRank with `<= k`, `< k`, `== k`, or the
// literal first) is planned with a window-group-limit before the window's shuffle (Spark's WindowGroupLimit), shown
// in explain(), and gives exactly the rows of the same window filtered without it: the same tied rows numbered the
// same way (ids tell tied rows apart), nulls in partition and order keys, on both backends and several partition
// counts. A window holding another kind of function, or another predicate, is not limited. Seeded: SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, Context, denseRank, lead, lit, rank, rowNumber, Window, type Dataset } from '../../src/index.js';
import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('window-top-ranks-are-limited-before-the-shuffle');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(7) === 0 ? null : value);

// Few order values per key: many ties, which rowNumber must number as the unlimited window does.
const rows = Array.from({ length: 900 }, (_, id) => ({
  id,
  k: maybe(rng.nextInt(25)),
  s: maybe(['a', 'b', 'é'][rng.nextInt(3)]!),
  v: maybe(rng.nextInt(6) / 2),
  // A float key with NaN and both zeros (one partition each for NaN, and 0 with -0), and float order values.
  f: maybe([NaN, -0, 0, 1.5, 2, 7][rng.nextInt(6)]!),
  w: maybe([NaN, -0, 0, 0.25, 3][rng.nextInt(5)]!),
}));

const RANKINGS = { 'row-number': rowNumber, rank, 'dense-rank': denseRank } as const;

/** The predicates the planner limits, each with an equivalent one it does not recognize (the reference). */
function predicates(k: number) {
  const plain = (expr: ReturnType<typeof col>) => expr.and(lit(true));
  return [
    { text: `r <= ${k}`, limit: k, limited: col('r').le(k), reference: plain(col('r').le(k)) },
    { text: `r < ${k}`, limit: k - 1, limited: col('r').lt(k), reference: plain(col('r').lt(k)) },
    { text: `r == ${k}`, limit: k, limited: col('r').eq(k), reference: plain(col('r').eq(k)) },
    { text: `${k} >= r`, limit: k, limited: lit(k).ge(col('r')), reference: plain(lit(k).ge(col('r'))) },
  ];
}

onEveryBackend('window top ranks limited before the shuffle', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    for (const [name, ranking] of Object.entries(RANKINGS)) {
      test(`${name}() filtered to top ranks equals the unlimited window (${partitions} partitions, seed ${seed})`, async () => {
        const w = Window.partitionBy('k', 's').orderBy(col('v').desc(), 'k');
        const windowed = on.kc().parallelize(rows, partitions).toDataset().withColumn('r', ranking().over(w));
        for (const k of [1, 2, 3]) {
          for (const { text, limit, limited, reference } of predicates(k)) {
            const fast: Dataset = windowed.filter(limited);
            assert.ok(fast.explain().includes(`window group limit: ${name}() <= ${limit} `), fast.explain());
            const slow = windowed.filter(reference);
            assert.doesNotMatch(slow.explain(), /window group limit/);
            assert.deepEqual(await fast.collect(), await slow.collect(), `${name} ${text}`);
          }
        }
      });
    }
  }
});

// One number key (or none): the limit finds each partition's top rows by hashing the key, not by sorting.
onEveryBackend('window top row numbers by one number key', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`rowNumber() filtered to top ranks by one number key equals the unlimited window (${partitions} partitions, seed ${seed})`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset();
      const windows = [
        Window.partitionBy('k').orderBy(col('v').desc()),
        Window.partitionBy('f').orderBy(col('w').descNullsFirst(), 's'),
        Window.partitionBy('k').orderBy(col('w').ascNullsLast()),
        Window.partitionBy('f').orderBy('v', col('w').desc()),
      ];
      for (const w of windows) {
        const windowed = ds.withColumn('r', rowNumber().over(w));
        for (const k of [0, 1, 2, 5, 70]) {
          const fast = windowed.filter(col('r').le(k));
          assert.ok(fast.explain().includes('window group limit'), fast.explain());
          const slow = windowed.filter(col('r').le(k).and(lit(true)));
          assert.deepEqual(await fast.collect(), await slow.collect(), `${w} r <= ${k}`);
        }
      }
    });
  }
});

test('a window with a function that reads other rows, or a predicate on another column, is not limited', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const w = Window.partitionBy('k').orderBy('v');
    const ds = kc.parallelize(rows, 3).toDataset();
    const withLead = ds.withColumn('r', rowNumber().over(w)).withColumn('next', lead('v').over(w));
    assert.doesNotMatch(withLead.filter(col('r').le(2)).explain(), /window group limit/);
    const ranked = ds.withColumn('r', rowNumber().over(w));
    assert.doesNotMatch(ranked.filter(col('v').le(2)).explain(), /window group limit/);
    assert.doesNotMatch(ranked.filter(col('r').gt(2)).explain(), /window group limit/);
    // Without partitionBy the window gathers every row into one task: nothing to limit before a hash shuffle.
    const whole = ds.withColumn('r', rowNumber().over(Window.orderBy('v')));
    assert.doesNotMatch(whole.filter(col('r').le(2)).explain(), /window group limit/);
    // Next to a limited one, the lead's rows are still all there.
    const rowsWithLead = await withLead.filter(col('r').le(2)).collect();
    assert.equal(rowsWithLead.length, (await ranked.filter(col('r').le(2)).collect()).length);
  } finally {
    await kc.stop();
  }
});
