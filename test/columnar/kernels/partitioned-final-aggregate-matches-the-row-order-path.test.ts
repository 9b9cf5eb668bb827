// The reduce side of a many-group aggregation by several string and number keys (HashAggregator.addAll past
// PARTITIONED_ROWS_MIN rows) holds its rows and groups them part by part by hash; its answer must be the one of
// adding each batch as it comes (`add`): the same groups with the same keys, hashes and aggregates, bit for bit
// (a group's rows are still added in input order, so float sums round the same way). Keys and values hold nulls,
// NaN and -0. Below the threshold the answer is the row-order path's own, in its order. Seeded: SEED= reproduces.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator, PARTITIONED_ROWS_MIN } from '../../../src/executor/columnar/grouping/aggregate.js';
import { sliceBatch, type Batch } from '../../../src/executor/columnar/batches/batch.js';
import { batchesToRecords, recordsToBatches } from '../../../src/executor/columnar/batches/blocks.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('partitioned-final-aggregate-matches-the-row-order-path');
const KEYS = ['s', 'i', 'f', 't'];
const AGGREGATES: AggregateSpec[] = [
  { fn: 'count', column: null, name: 'n' },
  { fn: 'count', column: 'v', name: 'nv' },
  { fn: 'sum', column: 'v', name: 'sv' },
  { fn: 'mean', column: 'v', name: 'mv' },
  { fn: 'sum', column: 'w', name: 'sw' },
  { fn: 'mean', column: 'w', name: 'mw' },
  { fn: 'min', column: 'v', name: 'lo' },
  { fn: 'max', column: 'w', name: 'hi' },
];

type Row = Record<string, string | number | null>;

/**
 * Rows of four keys with nulls: most from a tuple space of about `rows` tuples (groups of a row or two), one in ten
 * from a few heavy groups that every map task meets (their partial sums, of mixed magnitudes, round differently
 * when added in another order).
 */
function randomRows(rng: Rng, rows: number): Row[] {
  const maybe = <T>(value: T): T | null => (rng.nextInt(12) === 0 ? null : value);
  return Array.from({ length: rows }, () => {
    const heavy = rng.nextInt(10) === 0;
    return {
      s: maybe(`id${rng.nextInt(heavy ? 2 : 40)}`),
      i: maybe(heavy ? 1 : rng.nextInt(30) - 5),
      f: maybe(heavy ? 0.5 : rng.nextInt(6) === 0 ? [0.5, -0, 0, NaN][rng.nextInt(4)]! : rng.nextInt(20) / 4),
      t: maybe(heavy ? 'k0é' : `k${rng.nextInt(60)}é`),
      v: maybe((rng.nextFloat() - 0.3) * 10 ** rng.nextInt(12)),
      w: maybe(rng.nextInt(1 << 20)),
    };
  });
}

/** Map tasks' partial rows, as the shuffle hands them to a reduce task: batches of uneven sizes. */
function partialBatches(rng: Rng, rows: readonly Row[], mapTasks: number): Batch[] {
  const out: Batch[] = [];
  const per = Math.ceil(rows.length / mapTasks);
  for (let at = 0; at < rows.length; at += per) {
    const map = new HashAggregator(KEYS, AGGREGATES, 'partial', { rowsMin: Infinity, groupsPerRowMin: 1 });
    for (const batch of recordsToBatches(rows.slice(at, at + per), 'test rows')) map.add(batch);
    const { batch } = map.result();
    for (let from = 0; from < batch.rows;) {
      const n = 1 + rng.nextInt(90_000);
      out.push(sliceBatch(batch, n, from));
      from += n;
    }
  }
  return out;
}

/** The answer as key tuple → [aggregates, hash]; the keys' JSON keeps -0 apart from 0 and NaN apart from null. */
function answerOf(aggregator: HashAggregator): { order: string[]; byKey: Map<string, unknown[]> } {
  const { batch, hashes } = aggregator.result();
  const records = [...batchesToRecords([batch])] as Record<string, unknown>[];
  const order: string[] = [];
  const byKey = new Map<string, unknown[]>();
  records.forEach((record, g) => {
    const key = JSON.stringify(
      KEYS.map((k) => (Object.is(record[k], -0) ? '-0' : Number.isNaN(record[k]) ? 'NaN' : record[k])),
    );
    order.push(key);
    byKey.set(key, [...AGGREGATES.map((a) => record[a.name]), hashes[g]]);
  });
  return { order, byKey };
}

function reduceBothWays(batches: readonly Batch[]): {
  rowOrder: ReturnType<typeof answerOf>;
  partitioned: ReturnType<typeof answerOf>;
} {
  const byBatch = new HashAggregator(KEYS, AGGREGATES, 'final');
  for (const batch of batches) byBatch.add(batch);
  const all = new HashAggregator(KEYS, AGGREGATES, 'final');
  all.addAll(batches);
  return { rowOrder: answerOf(byBatch), partitioned: answerOf(all) };
}

test('a reduce side past the threshold groups part by part and gives the row-order answer bit for bit', () => {
  const rng = new Rng(seed);
  const rows = randomRows(rng, PARTITIONED_ROWS_MIN + 60_000);
  const batches = partialBatches(rng, rows, 6);
  assert.ok(batches.reduce((n, b) => n + b.rows, 0) >= PARTITIONED_ROWS_MIN, `seed ${seed}: too few partial rows`);
  const { rowOrder, partitioned } = reduceBothWays(batches);
  assert.equal(partitioned.byKey.size, rowOrder.byKey.size, `seed ${seed}: group count`);
  for (const [key, expected] of rowOrder.byKey) {
    const found = partitioned.byKey.get(key);
    assert.ok(found !== undefined, `seed ${seed}: group ${key} missing`);
    // The message is made only on a mismatch: made for each of ~3 M values, it took a sixth of the test's time.
    found.forEach((value, a) => {
      if (Object.is(value, expected[a])) return;
      const what = a < AGGREGATES.length ? AGGREGATES[a]!.name : 'hash';
      assert.fail(`seed ${seed}: group ${key}, ${what}: ${String(value)} vs ${String(expected[a])}`);
    });
  }
  // The groups came out part by part, not first seen first: the partitioned path did run.
  assert.notDeepEqual(partitioned.order, rowOrder.order);
});

test('a reduce side under the threshold is the row-order path, in its order', () => {
  const rng = new Rng(seed + 1);
  const batches = partialBatches(rng, randomRows(rng, 30_000), 2);
  const { rowOrder, partitioned } = reduceBothWays(batches);
  assert.deepEqual(partitioned.order, rowOrder.order);
  assert.deepEqual([...partitioned.byKey], [...rowOrder.byKey]);
});
