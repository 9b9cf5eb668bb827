// sortBy with a tuple key ([-count, word], the word count's output order) ships pairs of pairs, which blocks store
// as native columns (shape nested-pair): over the memory budget they spill to map output files and come back in
// exactly the order of an independent sort (count descending, then word by UTF-16 code units, ties and all); a
// MEMORY_AND_DISK partition of them is written as Arrow IPC and read back unchanged.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Context } from '../../src/index.js';
import { seedFromEnvironment } from '../../src/common/rng.js';
import { MIB, runWithBudget } from './spill-helpers.js';

const BUDGET_BYTES = 4 * MIB;
const RECORDS = 200_000;
const MAP_PARTITIONS = 8;

const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);

/**
 * Words that sort differently by UTF-16 code units than by code points or UTF-8 bytes (U+FF61 against an astral
 * character), spread over few counts so that most keys tie on the count.
 */
const STEMS = ['\uff61', '\ud83d\ude00', 'z', 'Z', '\u00e9', 'a', ''];

function countsOf(kc: Context) {
  return kc.range(0, RECORDS, 1, MAP_PARTITIONS).map(
    (i): [string, number] => {
      const h = Math.imul(i ^ seed, 0x9e3779b1) >>> 0;
      return [`${STEMS[h % STEMS.length]}${i.toString(36)}`, 1 + (h % 13)];
    },
    { seed, STEMS },
  );
}

function model(pairs: readonly [string, number][]): [string, number][] {
  return [...pairs].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

test('sortBy([-count, word]) over the memory budget spills and orders exactly as an independent sort', async () => {
  const job = async (kc: Context) => {
    const counts = countsOf(kc);
    const sorted = await counts.sortBy(([word, count]) => [-count, word], true, 5).collect();
    return { sorted, all: await counts.collect() };
  };
  const bounded = await runWithBudget(BUDGET_BYTES, job);
  assert.ok(bounded.spillFiles.length > 0, 'map outputs were spilled to files');
  assert.equal(bounded.result.sorted.length, RECORDS);
  assert.deepEqual(bounded.result.sorted, model(bounded.result.all));
});

test('a MEMORY_AND_DISK partition of pairs of pairs reads back from Arrow IPC unchanged', async () => {
  const job = async (kc: Context) => {
    const keyed = countsOf(kc)
      .keyBy(([word, count]) => [-count, word])
      .persist('MEMORY_AND_DISK');
    const first = await keyed.collect();
    const second = await keyed.collect();
    return { first, second };
  };
  const bounded = await runWithBudget(MIB, job);
  assert.ok(
    bounded.spillFiles.some((path) => path.includes('/cache/')),
    'cached partitions were written to disk',
  );
  assert.equal(bounded.result.first.length, RECORDS);
  assert.deepEqual(bounded.result.second, bounded.result.first);
  assert.deepEqual(bounded.result.first[0], [
    [-bounded.result.first[0]![1][1], bounded.result.first[0]![1][0]],
    bounded.result.first[0]![1],
  ]);
});
