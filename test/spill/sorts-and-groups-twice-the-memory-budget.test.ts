// Out of core (DESIGN.md §6): a sortByKey and a groupByKey whose shuffle data is about twice memoryBytesMax
// complete with exactly the results of a run without a budget; map tasks spill their outputs to Arrow IPC files
// in the Context's spill dir, which kc.stop() removes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Context } from '../../src/index.js';
import { seedFromEnvironment } from '../../src/common/rng.js';
import { MIB, runWithBudget } from './spill-helpers.js';

const BUDGET_BYTES = 8 * MIB;
/** Records of ~70 bytes of block each: ~16 MiB of shuffle data, twice the budget. */
const RECORDS = 280_000;
const MAP_PARTITIONS = 8;
const REDUCE_PARTITIONS = 16;

const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);

/** Seeded pseudo-random keys (a multiplicative hash of the index), with a 48-character payload. */
function pairsOf(kc: Context, keys: number) {
  return kc.range(0, RECORDS, 1, MAP_PARTITIONS).map(
    (i) => {
      const key = Math.imul(i ^ seed, 0x9e3779b1) >>> 0;
      return [key % keys, `payload-${i.toString(36).padStart(40, '.')}`] as const;
    },
    { seed, keys },
  );
}

test('sortByKey over twice the memory budget spills and matches the run without a budget', async () => {
  const job = (kc: Context) =>
    pairsOf(kc, 2 ** 31)
      .sortByKey(true, REDUCE_PARTITIONS)
      .collect();
  const bounded = await runWithBudget(BUDGET_BYTES, job);
  const unbounded = await runWithBudget(undefined, job);
  assert.equal(bounded.result.length, RECORDS);
  assert.ok(bounded.spillFiles.length > 0, 'map outputs were spilled to files');
  assert.ok(bounded.spillFiles.every((path) => /kindling-spill-.*shuffle-\d+/.test(path)));
  assert.equal(unbounded.spillFiles.length, 0, 'the control: with the default budget nothing spills');
  assert.deepEqual(bounded.dirsAfterStop, [], 'kc.stop() removed the spill dir');
  assert.deepEqual(bounded.result, unbounded.result);
  for (let i = 1; i < bounded.result.length; i++) assert.ok(bounded.result[i - 1]![0] <= bounded.result[i]![0]);
});

test('groupByKey over twice the memory budget spills and matches the run without a budget', async () => {
  const job = async (kc: Context) => {
    const groups = await pairsOf(kc, 5_000).groupByKey(REDUCE_PARTITIONS).collect();
    // Group order and value order within a group are not part of the contract: compare them sorted.
    return groups.map(([key, values]) => [key, [...values].sort()] as const).sort((a, b) => a[0] - b[0]);
  };
  const bounded = await runWithBudget(BUDGET_BYTES, job);
  const unbounded = await runWithBudget(undefined, job);
  assert.ok(bounded.spillFiles.length > 0, 'map outputs were spilled to files');
  assert.deepEqual(bounded.dirsAfterStop, []);
  assert.equal(
    bounded.result.reduce((n, [, values]) => n + values.length, 0),
    RECORDS,
  );
  assert.deepEqual(bounded.result, unbounded.result);
});
