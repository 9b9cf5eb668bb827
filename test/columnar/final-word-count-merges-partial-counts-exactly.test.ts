// The word count's reduce side (final-word-count.ts) merges partial counts in the thread's word counter and gives
// the same rows as the general final aggregation: across batches, with multi-byte and empty keys, again after its
// counter was handed back (cleared, reused), and through its fallbacks (a count past 2^31 - 1, a null key).
// SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AggregateSpec } from '../../src/protocol/columnar.js';
import { HashAggregator } from '../../src/executor/columnar/grouping/aggregate.js';
import type { Batch, Column } from '../../src/executor/columnar/batches/batch.js';
import { finalWordCounts, isOneKeyCount } from '../../src/executor/columnar/word-count/final-word-count.js';
import { TaskContext } from '../../src/executor/task-context.js';
import { Rng, TRICKY_WORDS, randomWord, testSeed } from './random-rows.js';

const seed = testSeed('final-word-count-merges-partial-counts-exactly');
const encoder = new TextEncoder();
const decoder = new TextDecoder();
const KEYS = ['word'];
const AGGREGATES: AggregateSpec[] = [{ fn: 'count', column: null, name: 'n' }];

/** A partial batch (`word`, `__p0_count`) of `rows`; a null word is a null key. */
function partialBatch(rows: readonly [string | null, number][]): Batch {
  const parts = rows.map(([word]) => encoder.encode(word ?? ''));
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 3) + 3);
  const starts = new Int32Array(rows.length);
  const ends = new Int32Array(rows.length);
  let at = 3; // keys not at offset 0 of their buffer
  parts.forEach((part, i) => {
    bytes.set(part, at);
    starts[i] = at;
    at += part.length;
    ends[i] = at;
  });
  const hasNull = rows.some(([word]) => word === null);
  const key: Column = {
    type: 'utf8',
    bytes,
    starts,
    ends,
    ...(hasNull ? { valid: Uint8Array.from(rows, ([word]) => (word === null ? 0 : 1)) } : {}),
  };
  const counts: Column = { type: 'i32', values: Int32Array.from(rows, ([, n]) => n) };
  return { rows: rows.length, names: ['word', '__p0_count'], columns: [key, counts] };
}

/** The result rows as word → count (null words as the key `null`), and the count column's type. */
function resultOf(batches: Iterable<Batch>): { counts: Map<string | null, number>; type: string | null } {
  const counts = new Map<string | null, number>();
  let type: string | null = null;
  for (const batch of batches) {
    assert.deepEqual(batch.names, ['word', 'n']);
    const [key, count] = batch.columns as [Column, Column];
    assert.equal(key.type, 'utf8');
    if (key.type !== 'utf8' || (count.type !== 'i32' && count.type !== 'f64')) throw new Error('column types');
    type = count.type;
    for (let i = 0; i < batch.rows; i++) {
      const word = key.valid?.[i] === 0 ? null : decoder.decode(key.bytes.subarray(key.starts[i]!, key.ends[i]!));
      assert.ok(!counts.has(word), `one row per word: ${word}`);
      counts.set(word, count.values[i]!);
    }
  }
  return { counts, type };
}

/** The general final aggregation's rows: the model. */
function expected(batches: readonly Batch[]): { counts: Map<string | null, number>; type: string | null } {
  const aggregator = new HashAggregator(KEYS, AGGREGATES, 'final');
  for (const batch of batches) aggregator.add(batch);
  return resultOf([aggregator.result().batch]);
}

/** Runs finalWordCounts as a task does: reads its output, then releases the thread scratch. */
function finalCounts(batches: readonly Batch[]): { counts: Map<string | null, number>; type: string | null } {
  const context = new TaskContext(new Map(), null);
  const result = resultOf(finalWordCounts(batches, KEYS, AGGREGATES, context));
  context.releaseScratch();
  return result;
}

function randomPartials(rng: Rng, batches: number): Batch[] {
  const vocabulary = [...TRICKY_WORDS, '', ...Array.from({ length: 20_000 }, (_, i) => `${randomWord(rng)}${i}`)];
  return Array.from({ length: batches }, () => {
    const rows = new Map<string, number>();
    for (let i = 0; i < 8_000; i++) {
      const word = vocabulary[Math.floor(vocabulary.length * rng.nextFloat() ** 2)]!;
      rows.set(word, (rows.get(word) ?? 0) + 1 + rng.nextInt(1000));
    }
    return partialBatch([...rows]);
  });
}

test('runs for one count by one key only', () => {
  assert.equal(isOneKeyCount(KEYS, AGGREGATES), true);
  assert.equal(isOneKeyCount(['a', 'b'], AGGREGATES), false);
  assert.equal(isOneKeyCount(KEYS, [{ fn: 'sum', column: 'x', name: 's' }]), false);
  assert.equal(isOneKeyCount(KEYS, [...AGGREGATES, { fn: 'count', column: 'x', name: 'm' }]), false);
});

test(`merges partial batches as the general aggregation does, again after handing its counter back (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const first = randomPartials(rng, 6);
  const got = finalCounts(first);
  assert.deepEqual(got, expected(first), `SEED=${seed}`);
  assert.equal(got.type, 'i32');
  // The second task on this thread gets the same counter back, cleared: no count of the first may remain.
  const second = randomPartials(rng, 3);
  assert.deepEqual(finalCounts(second), expected(second), `SEED=${seed}`);
  assert.deepEqual(finalCounts([]), { counts: new Map(), type: null });
});

test('a sum past 2^31 - 1 continues in float64 with every count exact', () => {
  const big = 0x7fffffff - 10;
  const batches = [
    partialBatch([
      ['a', big],
      ['b', 1],
    ]),
    partialBatch([
      ['c', 2],
      ['a', 30],
      ['b', 4],
    ]),
    partialBatch([['a', big]]),
  ];
  const got = finalCounts(batches);
  assert.deepEqual(got, expected(batches));
  assert.deepEqual(
    got.counts,
    new Map([
      ['a', 2 * big + 30],
      ['b', 5],
      ['c', 2],
    ]),
  );
  assert.equal(got.type, 'f64');
});

test('a null key, first seen in a later batch, is counted as its own group', () => {
  const batches = [
    partialBatch([
      ['x', 3],
      ['y', 1],
    ]),
    partialBatch([
      ['y', 2],
      [null, 5],
      ['x', 1],
    ]),
    partialBatch([[null, 1]]),
  ];
  const got = finalCounts(batches);
  assert.deepEqual(got, expected(batches));
  assert.deepEqual(
    got.counts,
    new Map<string | null, number>([
      ['x', 4],
      ['y', 3],
      [null, 6],
    ]),
  );
});
