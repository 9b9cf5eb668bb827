// With `splitsMultipleOf` (readCsv passes the pool's thread count), a file is cut into equal splits whose count is
// a multiple of the threads, so the last wave of tasks keeps every thread busy: a file of 15.17 blocks (the 0.5 GB
// db-benchmark file at 32 MiB) is 16 equal splits, not 15 full ones and a short tail. Checked for sizes and count,
// on seeded random sizes, and through readCsv and readJson: every record read once at the moved split edges, and an
// explicit minPartitions keeps Hadoop's rule.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { Context } from '../../src/index.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { computeTextSplits } from '../../src/io/text/text-splits.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const seed = seedFromEnvironment();
console.log('SEED=' + seed);
const dir = makeTempDir('equal-splits');
after(() => removeTempDir(dir));

let fileCount = 0;
function fileOfSize(size: number): string {
  const path = join(dir, `f${fileCount++}.txt`);
  writeFileSync(path, Buffer.alloc(size, 0x61));
  return path;
}

/** The splits' sizes are one byte apart at most. */
function assertEqualSizes(splits: readonly TextSplit[], detail: string): void {
  const lengths = splits.map((s) => s.length);
  assert.ok(Math.max(...lengths) - Math.min(...lengths) <= 1, `${detail}: equal sizes, found ${lengths.join(' ')}`);
}

/** The splits cover `[0, size)` of one file contiguously, each byte once. */
function assertCovers(splits: readonly TextSplit[], size: number, detail: string): void {
  let at = 0;
  for (const split of splits) {
    assert.equal(split.start, at, `${detail}: splits are contiguous`);
    assert.ok(split.length > 0, `${detail}: no empty split`);
    at += split.length;
  }
  assert.equal(at, size, `${detail}: every byte is in a split`);
}

test('a file of 15.17 blocks is 16 equal splits for 2 threads, not 15 blocks and a short tail', () => {
  // 509175952 / 33554432 = 15.17: the db-benchmark file over 32 MiB blocks, scaled down to 1000-byte blocks.
  const size = 15_175;
  const path = fileOfSize(size);
  const hadoop = computeTextSplits([path], 2, { blockBytes: 1000 });
  assert.deepEqual(
    hadoop.map((s) => s.length),
    [...Array<number>(15).fill(1000), 175],
  );
  const equal = computeTextSplits([path], 2, { blockBytes: 1000, splitsMultipleOf: 2 });
  assertCovers(equal, size, '2 threads');
  assert.equal(equal.length, 16);
  assertEqualSizes(equal, '2 threads');
  const three = computeTextSplits([path], 2, { blockBytes: 1000, splitsMultipleOf: 3 });
  assertCovers(three, size, '3 threads');
  assert.equal(three.length, 18);
  assertEqualSizes(three, '3 threads');
});

test('a multiple of 1 gives as many splits as Hadoop’s rule, of equal size; an explicit splitBytes keeps Hadoop’s rule', () => {
  const path = fileOfSize(15_175);
  assert.deepEqual(
    computeTextSplits([path], 2, { blockBytes: 1000 }).map((s) => s.length),
    [...Array<number>(15).fill(1000), 175],
  );
  const one = computeTextSplits([path], 2, { blockBytes: 1000, splitsMultipleOf: 1 });
  assert.equal(one.length, 16);
  assertEqualSizes(one, 'a multiple of 1');
  assert.deepEqual(
    computeTextSplits([path], 2, { splitBytes: 1000, splitsMultipleOf: 2 }),
    computeTextSplits([path], 2, { splitBytes: 1000 }),
  );
});

test('random sizes: the count is Hadoop’s rounded up to the multiple, the splits equal and no larger', () => {
  const rng = new Rng(seed);
  for (let i = 0; i < 200; i++) {
    const blockBytes = 100 + rng.nextInt(5000);
    const minPartitions = 1 + rng.nextInt(8);
    const multipleOf = 1 + rng.nextInt(8);
    const size = 1 + rng.nextInt(rng.nextInt(2) === 0 ? 100 : 200_000);
    const path = fileOfSize(size);
    const detail = `SEED=${seed} case ${i}: size ${size}, block ${blockBytes}, minPartitions ${minPartitions}, multiple ${multipleOf}`;
    const hadoop = computeTextSplits([path], minPartitions, { blockBytes });
    const equal = computeTextSplits([path], minPartitions, { blockBytes, splitsMultipleOf: multipleOf });
    assertCovers(equal, size, detail);
    // A file of fewer bytes than the count is cut into single bytes (no split is empty).
    const count = Math.min(size, Math.ceil(hadoop.length / multipleOf) * multipleOf);
    assert.equal(equal.length, count, detail);
    assertEqualSizes(equal, detail);
    const largest = Math.max(...equal.map((s) => s.length));
    assert.ok(largest <= Math.max(...hadoop.map((s) => s.length)), `${detail}: no split grows past Hadoop's`);
  }
});

test('readCsv cuts into a multiple of the threads and reads every record once; an explicit minPartitions does not', async () => {
  const rng = new Rng(seed + 1);
  const rows: { id: number; name: string; x: number }[] = [];
  let text = 'id,name,x\n';
  for (let id = 0; id < 3000; id++) {
    const name = rng.nextInt(5) === 0 ? '"a, ""quoted"" name"' : 'n'.repeat(rng.nextInt(30));
    const x = rng.nextInt(1_000_000) / 100;
    rows.push({ id, name: name.startsWith('"') ? 'a, "quoted" name' : name, x });
    text += `${id},${name},${x}${rng.nextInt(4) === 0 ? '\r\n' : '\n'}`;
  }
  const path = join(dir, 'records.csv');
  writeFileSync(path, text);
  // defaultParallelism 3 makes Hadoop cut 3 splits; 2 threads make them 4.
  const kc = new Context({ threads: 2, defaultParallelism: 3 });
  try {
    const schema = { id: 'int32', name: 'utf8', x: 'float64' };
    const ds = kc.readCsv(path, { header: true, schema });
    assert.equal(ds.getNumPartitions(), 4, `SEED=${seed}`);
    const read = (await ds.collect()).map((row) => ({ ...row, name: row['name'] ?? '' }));
    assert.deepEqual(read, rows, `SEED=${seed}`);
    const asked = kc.readCsv(path, { header: true, schema, minPartitions: 3 });
    assert.equal(asked.getNumPartitions(), 3, `SEED=${seed}`);
    assert.deepEqual(
      (await asked.collect()).map((row) => ({ ...row, name: row['name'] ?? '' })),
      rows,
      `SEED=${seed}`,
    );
  } finally {
    await kc.stop();
  }
});

test('readJson cuts into a multiple of the threads as readCsv does and reads every line once; an explicit minPartitions does not', async () => {
  const rng = new Rng(seed + 2);
  const rows: { id: number; name: string }[] = [];
  let text = '';
  for (let id = 0; id < 3000; id++) {
    const name = 'n'.repeat(rng.nextInt(30)) + (rng.nextInt(5) === 0 ? '\n"{}' : '');
    rows.push({ id, name });
    text += `${JSON.stringify({ id, name })}\n`;
  }
  const path = join(dir, 'records.jsonl');
  writeFileSync(path, text);
  const kc = new Context({ threads: 2, defaultParallelism: 3 });
  try {
    const schema = { id: 'int32', name: 'utf8' };
    const ds = kc.readJson(path, { schema });
    assert.equal(ds.getNumPartitions(), 4, `SEED=${seed}`);
    assert.deepEqual(await ds.collect(), rows, `SEED=${seed}`);
    const asked = kc.readJson(path, { schema, minPartitions: 3 });
    assert.equal(asked.getNumPartitions(), 3, `SEED=${seed}`);
    assert.deepEqual(await asked.collect(), rows, `SEED=${seed}`);
  } finally {
    await kc.stop();
  }
});
