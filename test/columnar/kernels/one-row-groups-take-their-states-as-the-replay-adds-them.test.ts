// A reduce side whose held rows are one row per group (db-benchmark q10: ten million groups of 10 M rows) takes each
// sum's states straight from its column in part order (`takeOneRowStates`) instead of replaying the rows through the
// fused sums: its answer must be the row-order path's bit for bit: -0 sums to 0 (0 + -0), NaN and ±Infinity stay,
// int32 counts and sums come back as the replay gives them. With nulls among the values (or a min) the rows are
// replayed, with the same answer. Seeded: SEED= reproduces.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HashAggregator, PARTITIONED_ROWS_MIN } from '../../../src/executor/columnar/grouping/aggregate.js';
import { sliceBatch, type Batch } from '../../../src/executor/columnar/batches/batch.js';
import { batchesToRecords, recordsToBatches } from '../../../src/executor/columnar/batches/blocks.js';
import type { AggregateSpec } from '../../../src/protocol/columnar.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('one-row-groups-take-their-states-as-the-replay-adds-them');
const KEYS = ['s', 'i', 'f'];
const SUMS: AggregateSpec[] = [
  { fn: 'count', column: null, name: 'n' },
  { fn: 'count', column: 'v', name: 'nv' },
  { fn: 'sum', column: 'v', name: 'sv' },
  { fn: 'mean', column: 'v', name: 'mv' },
  { fn: 'sum', column: 'w', name: 'sw' },
];

type Row = Record<string, string | number | null>;

/** `rows` rows of distinct key tuples (each its own group); one value in `nullEvery` is null (never when 0). */
function oneRowGroups(rng: Rng, rows: number, nullEvery: number): Row[] {
  const odd = [-0, 0, NaN, Infinity, -Infinity, 2 ** 53 + 2, -1e-300];
  return Array.from({ length: rows }, (_, r) => ({
    s: `id${rng.nextInt(100)}`,
    i: r * 7 - 1_000_000,
    f: rng.nextInt(4) / 2,
    v:
      nullEvery > 0 && rng.nextInt(nullEvery) === 0
        ? null
        : rng.nextInt(8) === 0
          ? odd[rng.nextInt(odd.length)]!
          : (rng.nextFloat() - 0.3) * 10 ** rng.nextInt(12),
    w: rng.nextInt(1 << 20) - (1 << 19),
  }));
}

/**
 * Map tasks' partial rows (every row its own group), as the shuffle hands them over: batches of uneven sizes. As
 * output.ts runs a map task: its first rows grouped, the rest passed through once groups approach rows (q10's map
 * side), so a partial sum is the value itself (-0 too, which a grouped sum makes 0).
 */
function partialBatches(rng: Rng, rows: readonly Row[], aggregates: AggregateSpec[], mapTasks: number): Batch[] {
  const out: Batch[] = [];
  const per = Math.ceil(rows.length / mapTasks);
  for (let at = 0; at < rows.length; at += per) {
    const map = new HashAggregator(KEYS, aggregates, 'partial', { rowsMin: 1000, groupsPerRowMin: 0.5 });
    const partials: Batch[] = [];
    for (let from = at; from < Math.min(rows.length, at + per); from += 4096) {
      for (const batch of recordsToBatches(rows.slice(from, Math.min(at + per, from + 4096)), 'test rows')) {
        if (map.passesThrough) partials.push(map.passThrough(batch).batch);
        else map.add(batch);
      }
    }
    for (const batch of [map.result().batch, ...partials]) {
      for (let from = 0; from < batch.rows;) {
        const n = 1 + rng.nextInt(90_000);
        out.push(sliceBatch(batch, n, from));
        from += n;
      }
    }
  }
  return out;
}

/** An answer's rows as records (through its block, as a collect reads it). */
function answerRecords(aggregator: HashAggregator): Iterable<Record<string, unknown>> {
  return batchesToRecords([aggregator.result().batch]) as Iterable<Record<string, unknown>>;
}

/** What is compared of a group: its keys, its aggregates, and the JS types of n and sw. */
function valuesOf(record: Record<string, unknown>, aggregates: AggregateSpec[]): unknown[] {
  return [
    ...KEYS.map((k) => record[k]),
    ...aggregates.map((a) => record[a.name]),
    typeof record['n'],
    typeof record['sw'],
  ];
}

/** A group's key tuple as the message shows it. */
function keysOf(values: readonly unknown[]): string {
  return JSON.stringify(values.slice(0, KEYS.length));
}

/** A value as the message shows it: -0 apart from 0. */
function shown(value: unknown): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

function assertBothWaysEqual(rows: readonly Row[], aggregates: AggregateSpec[], rng: Rng): void {
  const batches = partialBatches(rng, rows, aggregates, 3);
  assert.ok(batches.reduce((n, b) => n + b.rows, 0) >= PARTITIONED_ROWS_MIN, `seed ${seed}: too few partial rows`);
  const byBatch = new HashAggregator(KEYS, aggregates, 'final');
  for (const batch of batches) byBatch.add(batch);
  const held = new HashAggregator(KEYS, aggregates, 'final');
  held.addAll(batches);
  // The row-order answer by `i` (each row's own, so each group's); the held answer's rows are looked up in it one by
  // one and struck off, and none may be left. Keys and values are compared with Object.is, and a message is made
  // only on a mismatch (made for each of ~2 M values, a key string per group and a second Map, they took half the
  // test's time).
  const expected = new Map<unknown, unknown[]>();
  for (const record of answerRecords(byBatch)) expected.set(record['i'], valuesOf(record, aggregates));
  assert.equal(expected.size, rows.length, `seed ${seed}: one group a row`);
  const names = [...KEYS, ...aggregates.map((a) => a.name), 'type of n', 'type of sw'];
  for (const record of answerRecords(held)) {
    const got = valuesOf(record, aggregates);
    const want = expected.get(record['i']);
    if (want === undefined) assert.fail(`seed ${seed}: group ${keysOf(got)} not in the row-order answer, or twice`);
    for (let a = 0; a < want.length; a++) {
      if (!Object.is(got[a], want[a]))
        assert.fail(`seed ${seed}: group ${keysOf(want)}, ${names[a]}: ${shown(got[a])} vs ${shown(want[a])}`);
    }
    expected.delete(record['i']);
  }
  assert.equal(expected.size, 0, `seed ${seed}: groups of the row-order answer missing from the held one`);
}

test('one-row groups of sums without nulls give the replay answer bit for bit, -0 summed to 0', () => {
  const rng = new Rng(seed);
  const rows = oneRowGroups(rng, PARTITIONED_ROWS_MIN + 20_000, 0);
  assert.ok(
    rows.some((row) => Object.is(row['v'], -0)),
    `seed ${seed}: no -0 value`,
  );
  assertBothWaysEqual(rows, SUMS, rng);
});

test('one-row groups with null values or a min are replayed, with the same answer', () => {
  const rng = new Rng(seed + 1);
  assertBothWaysEqual(oneRowGroups(rng, PARTITIONED_ROWS_MIN + 10_000, 9), SUMS, rng);
  const withMin: AggregateSpec[] = [...SUMS, { fn: 'min', column: 'v', name: 'lo' }];
  assertBothWaysEqual(oneRowGroups(rng, PARTITIONED_ROWS_MIN + 10_000, 0), withMin, rng);
});
