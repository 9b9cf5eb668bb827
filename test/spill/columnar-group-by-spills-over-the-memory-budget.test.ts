// Out of core on the columnar path: a groupBy().agg() whose partial aggregates are about twice memoryBytesMax
// spills its map outputs to Arrow IPC files (the same worker-side rule as RDD shuffles) and gives exactly the
// result of a run without a budget, for a string key (the fused word-count kernel) and an int key.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { col, count, sum, splitToRows, type Context } from '../../src/index.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { MIB, freshTmpDir, runWithBudget } from './spill-helpers.js';

const BUDGET_BYTES = 4 * MIB;
const seed = seedFromEnvironment();
console.log(`seed ${seed} (rerun with SEED=${seed})`);

/** `rows` in the order of their `key`'s text, each text made once (made per comparison, it was most of the test). */
const byKey = <T extends Record<string, unknown>>(rows: T[], key: string): T[] =>
  rows
    .map((row) => ({ row, text: String(row[key]) }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map(({ row }) => row);

test('a word count of mostly distinct words spills its partial counts and counts exactly', async () => {
  const dir = freshTmpDir();
  try {
    // 8 files of ~1 MiB: ~150,000 distinct words, so the partial counts come to about twice the budget.
    const rng = new Rng(seed);
    const paths: string[] = [];
    mkdirSync(join(dir, 'in'));
    for (let f = 0; f < 8; f++) {
      const lines: string[] = [];
      for (let l = 0; l < 12_000; l++) {
        const words = Array.from({ length: 8 }, () => `w${rng.nextInt(150_000).toString(36)}`);
        lines.push(words.join(l % 3 === 0 ? '\t' : ' '));
      }
      const path = join(dir, 'in', `part-${f}.txt`);
      writeFileSync(path, `${lines.join('\n')}\n`);
      paths.push(path);
    }
    const job = async (kc: Context) =>
      byKey(
        await kc
          .readText(paths)
          .select(splitToRows(col('value')).as('word'))
          .groupBy('word', { numPartitions: 4 })
          .agg(count())
          .collect(),
        'word',
      );
    const bounded = await runWithBudget(BUDGET_BYTES, job);
    const unbounded = await runWithBudget(undefined, job);
    assert.ok(bounded.spillFiles.length > 0, 'partial counts were spilled to files');
    assert.equal(unbounded.spillFiles.length, 0, 'the control: with the default budget nothing spills');
    assert.deepEqual(bounded.dirsAfterStop, [], 'kc.stop() removed the spill dir');
    assert.deepEqual(bounded.result, unbounded.result);
    assert.equal(
      bounded.result.reduce((total, row) => total + (row.count as number), 0),
      8 * 12_000 * 8,
      'every word counted once',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a groupBy of int keys over twice the budget spills and sums exactly', async () => {
  const rng = new Rng(seed ^ 7);
  const rows = 400_000;
  const key = new Int32Array(rows).map(() => rng.nextInt(2 ** 31));
  const value = new Float64Array(rows).map(() => rng.nextInt(1024) / 4);
  const job = async (kc: Context) =>
    byKey(
      await kc
        .fromColumns({ key, value }, { numPartitions: 8 })
        .groupBy('key', { numPartitions: 4 })
        .agg(count(), sum('value'))
        .collect(),
      'key',
    );
  const bounded = await runWithBudget(BUDGET_BYTES, job);
  const unbounded = await runWithBudget(undefined, job);
  assert.ok(bounded.spillFiles.length > 0, 'partial aggregates were spilled to files');
  assert.equal(unbounded.spillFiles.length, 0);
  assert.deepEqual(bounded.result, unbounded.result);
  assert.equal(bounded.result.length, new Set(key).size);
});
