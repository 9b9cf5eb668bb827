// distinct() and dropDuplicates(cols) against a plain-JS model on seeded random rows with nulls (nulls equal nulls,
// int32 and float64 equal by value), for several partition counts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { onEveryBackend, PARTITION_COUNTS } from '../api/helpers.js';
import { canonical, Rng, testSeed } from './random-rows.js';

const seed = testSeed('distinct-keeps-one-row-per-value');
const rng = new Rng(seed);
const maybe = <T>(value: T): T | null => (rng.nextInt(5) === 0 ? null : value);
const rows = Array.from({ length: 300 }, () => ({
  k: maybe(['a', 'b', 'é', ''][rng.nextInt(4)]!),
  n: maybe(rng.nextInt(4)),
  v: rng.nextInt(1000),
}));

onEveryBackend('distinct and dropDuplicates', (on) => {
  for (const partitions of PARTITION_COUNTS) {
    test(`distinct() keeps each distinct row once (${partitions} partitions)`, async () => {
      const ds = on.kc().parallelize(rows, partitions).toDataset().select('k', 'n');
      const got = await ds.distinct({ numPartitions: 3 }).collect();
      const seen = new Map(rows.map((r) => [JSON.stringify([r.k, r.n]), { k: r.k, n: r.n }]));
      assert.deepEqual(canonical(got), canonical([...seen.values()]));
    });

    test(`dropDuplicates(cols) keeps one whole row per key (${partitions} partitions)`, async () => {
      const got = await on.kc().parallelize(rows, partitions).toDataset().dropDuplicates(['k']).collect();
      assert.deepEqual(canonical(got.map((r) => r['k'])), canonical([...new Set(rows.map((r) => r.k))]));
      // Each survivor is one of the input rows.
      const inputs = new Set(rows.map((r) => JSON.stringify(r)));
      for (const row of got) assert.ok(inputs.has(JSON.stringify(row)), JSON.stringify(row));
    });
  }

  test('one partition keeps the first row of each key, hand-computed', async () => {
    const ds = on
      .kc()
      .fromColumns({ k: [2, 1, 2, null, 1, null], v: ['a', 'b', 'c', 'd', 'e', 'f'] }, { numPartitions: 1 });
    assert.deepEqual(await ds.dropDuplicates(['k'], { numPartitions: 1 }).collect(), [
      { k: 2, v: 'a' },
      { k: 1, v: 'b' },
      { k: null, v: 'd' },
    ]);
    assert.match(
      ds.distinct().explain(),
      /keep the first row of each distinct row\n {2}→ hash-partition rows by every column/,
    );
  });
});
