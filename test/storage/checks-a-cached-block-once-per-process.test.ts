// The checksum policy of cached partitions (src/storage/blocks/cached-block-verify.ts): a cached block in shared memory is
// hashed the first time a thread of the process reads it, not on every query nor once more by every other thread; a
// block without a seal (any other block) on every read; a damaged block is caught before it is spilled (so it is recomputed, never written out under a fresh
// checksum), and a damaged spill file is caught when read back. Counted by the module's check counter, not timed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';

import { col, Context, count, sum } from '../../src/index.js';
import { CachedPartitions } from '../../src/api/context/block-cache.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { cachedBlockChecks, sealCachedBlock, verifyCachedBlock } from '../../src/storage/blocks/cached-block-verify.js';
import { isSpilled } from '../../src/protocol/block.js';
import { openBlock } from '../../src/storage/arrow/spill-file.js';
import { freshTmpDir } from '../spill/spill-helpers.js';

const rows = Array.from({ length: 200 }, (_, i) => ({ id: i, label: `row-${i}` }));

function flipped<T extends { buffer: SharedArrayBuffer }>(block: T): T {
  const buffer = new SharedArrayBuffer(block.buffer.byteLength);
  new Uint8Array(buffer).set(new Uint8Array(block.buffer));
  new Uint8Array(buffer)[8]! ^= 0x10;
  return { ...block, buffer };
}

test('a sealed block is hashed on its first read only; an unsealed one on every read', () => {
  const block = encodeBlock(rows);
  const sealed = sealCachedBlock(block);
  const before = cachedBlockChecks();
  for (let i = 0; i < 5; i++) verifyCachedBlock(sealed, 'cached partition 0');
  assert.equal(cachedBlockChecks() - before, 1);
  for (let i = 0; i < 5; i++) verifyCachedBlock(block, 'source block 0');
  assert.equal(cachedBlockChecks() - before, 6);
});

test('a sealed block one thread has checked is trusted by every other thread; a damaged one is checked by each', async () => {
  const intact = sealCachedBlock(encodeBlock(rows));
  const damaged = sealCachedBlock(flipped(encodeBlock(rows)));
  // Another thread reads both blocks (their descriptors are cloned into it, the seals shared, as a task's are).
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
    import(workerData.module).then(({ verifyCachedBlock, cachedBlockChecks }) => {
      let damagedCaught = false;
      verifyCachedBlock(workerData.intact, 'cached partition 0');
      try { verifyCachedBlock(workerData.damaged, 'cached partition 1'); } catch { damagedCaught = true; }
      parentPort.postMessage({ checks: cachedBlockChecks(), damagedCaught });
    });`,
    {
      eval: true,
      workerData: {
        module: new URL('../../src/storage/blocks/cached-block-verify.js', import.meta.url).href,
        intact,
        damaged,
      },
    },
  );
  const [reply] = (await once(worker, 'message')) as [{ checks: number; damagedCaught: boolean }];
  await worker.terminate();
  assert.deepEqual(reply, { checks: 2, damagedCaught: true });
  const before = cachedBlockChecks();
  verifyCachedBlock(intact, 'cached partition 0');
  assert.equal(cachedBlockChecks() - before, 0, 'checked by the other thread: not hashed again here');
  assert.throws(() => verifyCachedBlock(damaged, 'cached partition 1'), BlockCorruptError, 'never trusted');
  assert.equal(cachedBlockChecks() - before, 1);
});

test('a damaged block is caught on the first read of its seal, and a damaged unsealed block on every read', () => {
  const block = encodeBlock(rows);
  // Recomputed or re-read partitions get a new seal: the damage is seen on that seal's first read.
  const damaged = sealCachedBlock(flipped(block));
  assert.throws(() => verifyCachedBlock(damaged, 'cached partition 1'), BlockCorruptError);
  assert.throws(() => verifyCachedBlock(damaged, 'cached partition 1'), BlockCorruptError, 'never trusted');
  const unsealed = flipped(block);
  for (let i = 0; i < 2; i++) assert.throws(() => verifyCachedBlock(unsealed, 'source block 0'), /checksum/);
});

test('queries of a cached dataset hash each cached partition once, not once per query', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const partitions = 3;
    const table = kc
      .fromColumns(
        { k: Int32Array.from({ length: 3000 }, (_, i) => i % 7), v: Float64Array.from({ length: 3000 }, (_, i) => i) },
        { numPartitions: partitions },
      )
      .withColumn('w', col('v').mul(2))
      .cache();
    assert.deepEqual(await table.agg(count()).collect(), [{ count: 3000 }]);
    const before = cachedBlockChecks();
    for (let i = 0; i < 4; i++) {
      const sums = await table.groupBy('k').agg(sum('v')).collect();
      assert.equal(sums.length, 7);
    }
    // threads: 0 runs every task on this thread: each cached partition is hashed by the first query only.
    assert.equal(cachedBlockChecks() - before, partitions);
  } finally {
    await kc.stop();
  }
});

test('queries of an in-memory source (fromColumns) hash each of its blocks once', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const partitions = 4;
    const table = kc.fromColumns(
      { k: Int32Array.from({ length: 2000 }, (_, i) => i % 5), v: Float64Array.from({ length: 2000 }, (_, i) => i) },
      { numPartitions: partitions },
    );
    const before = cachedBlockChecks();
    for (let i = 0; i < 3; i++) assert.equal((await table.groupBy('k').agg(sum('v')).collect()).length, 5);
    assert.equal(cachedBlockChecks() - before, partitions);
  } finally {
    await kc.stop();
  }
});

test('a cached block damaged in memory is not spilled (recomputed instead); a damaged spill file is caught on read', () => {
  const spillDir = freshTmpDir();
  try {
    const blockBytes = encodeBlock(rows).buffer.byteLength;
    const cache = new CachedPartitions({ memoryBytesMax: blockBytes * 1.5, spillDir });
    cache.setLevel(1, 'MEMORY_AND_DISK');
    const damaged = flipped(encodeBlock(rows));
    cache.put({ datasetId: 1, partition: 0, block: damaged });
    cache.put({ datasetId: 1, partition: 1, block: encodeBlock(rows) }); // evicts partition 0
    assert.equal(cache.get(1, 0), undefined, 'the damaged partition was dropped, so lineage recomputes it');
    assert.equal(cache.spilledCount, 0);
    cache.put({ datasetId: 1, partition: 2, block: encodeBlock(rows) }); // evicts partition 1, intact
    const spilled = cache.get(1, 1);
    assert.ok(spilled !== undefined && isSpilled(spilled));
    assert.equal(openBlock(spilled, 'cached partition 1').rows, rows.length);
    const bytes = readFileSync(spilled.path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x04;
    writeFileSync(spilled.path, bytes);
    assert.throws(() => openBlock(spilled, 'cached partition 1'), /checksum mismatch/);
  } finally {
    rmSync(spillDir, { recursive: true, force: true });
  }
});
