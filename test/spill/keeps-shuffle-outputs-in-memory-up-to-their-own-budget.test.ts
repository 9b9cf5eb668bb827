// Issue 11: map outputs in shared memory are bounded by shuffleMemoryBytesMax (64 MiB by default, never more than
// memoryBytesMax), not by the whole memoryBytesMax: a shuffle bigger than that writes the rest to spill files, and the
// answer is the same. 0 spills every output; a bound over memoryBytesMax is memoryBytesMax.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';

import { Context, type LoggedEvent } from '../../src/index.js';
import { resolveContextOptions } from '../../src/common/options.js';
import { freshTmpDir, MIB, spillFilesUnder } from './spill-helpers.js';

test('shuffleMemoryBytesMax defaults to 64 MiB and never exceeds memoryBytesMax', () => {
  assert.equal(resolveContextOptions({}).shuffleMemoryBytesMax, 64 * MIB);
  assert.equal(resolveContextOptions({ memoryBytesMax: 16 * MIB }).shuffleMemoryBytesMax, 16 * MIB);
  assert.equal(resolveContextOptions({ shuffleMemoryBytesMax: 0 }).shuffleMemoryBytesMax, 0);
  assert.equal(resolveContextOptions({ shuffleMemoryBytesMax: 2 * MIB }).memoryBytesMax, 1024 * MIB);
});

// A user who grants more memory (8 GiB to join two cached 1e7-row tables) gets a quarter of the extra for shuffles,
// so the join's ~1.1 GB of map outputs stays in memory; the default budget and an explicit bound are unchanged.
test('shuffleMemoryBytesMax grows by a quarter of memoryBytesMax above 1 GiB', () => {
  const GIB = 1024 * MIB;
  assert.equal(resolveContextOptions({ memoryBytesMax: GIB }).shuffleMemoryBytesMax, 64 * MIB);
  assert.equal(resolveContextOptions({ memoryBytesMax: 512 * MIB }).shuffleMemoryBytesMax, 64 * MIB);
  assert.equal(resolveContextOptions({ memoryBytesMax: 2 * GIB }).shuffleMemoryBytesMax, 320 * MIB);
  assert.equal(resolveContextOptions({ memoryBytesMax: 8 * GIB }).shuffleMemoryBytesMax, 64 * MIB + (7 * GIB) / 4);
  const explicit = { memoryBytesMax: 8 * GIB, shuffleMemoryBytesMax: 64 * MIB };
  assert.equal(resolveContextOptions(explicit).shuffleMemoryBytesMax, 64 * MIB);
});

/** Sums per key of 400,000 distinct keys over 8 map tasks: ~0.4 MB of map output per task, 3.2 MB in all. */
async function sumsWithShuffleBudget(shuffleMemoryBytesMax: number) {
  const tmpDir = freshTmpDir();
  const kc = new Context({ threads: 2, tmpDir, shuffleMemoryBytesMax });
  const shuffleBytes: number[] = [];
  let spillBytes = 0;
  kc.onEvent((event: LoggedEvent) => {
    if (event.kind === 'storage-status') shuffleBytes.push(event.shuffleBytesInMemory);
    if (event.kind === 'task-end' && event.metrics !== null) spillBytes += event.metrics.spillBytes;
  });
  try {
    const sums = kc
      .range(0, 400_000, 1, 8)
      .map((x: number): [number, number] => [x, x % 10])
      .reduceByKey((a: number, b: number) => a + b, 4);
    const total = await sums.values().sum();
    const spillFiles = spillFilesUnder(tmpDir).length;
    return { total, inMemory: shuffleBytes.at(-1)!, spillBytes, spillFiles };
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

test('map outputs over shuffleMemoryBytesMax go to spill files, with the same answer', async () => {
  const expected = 40_000 * 45;
  const roomy = await sumsWithShuffleBudget(64 * MIB);
  assert.equal(roomy.total, expected);
  assert.equal(roomy.spillFiles, 0, 'a 64 MiB budget holds every output');
  assert.ok(roomy.inMemory > 2 * MIB, `outputs in memory: ${roomy.inMemory}`);

  // memoryBytesMax stays 1 GiB: only the shuffle budget makes these spill.
  const small = await sumsWithShuffleBudget(2 * MIB);
  assert.equal(small.total, expected);
  assert.ok(small.inMemory <= 2 * MIB, `outputs in memory ${small.inMemory} within 2 MiB`);
  assert.ok(small.spillFiles > 0 && small.spillBytes > 0, JSON.stringify(small));

  const none = await sumsWithShuffleBudget(0);
  assert.equal(none.total, expected);
  assert.equal(none.inMemory, 0);
  assert.equal(none.spillFiles, 8, 'one file per map task');
});
