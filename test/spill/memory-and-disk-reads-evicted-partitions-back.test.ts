// persist('MEMORY_AND_DISK'): partitions evicted under memoryBytesMax are written to Arrow IPC files and read back
// by later jobs instead of being recomputed; persist() (MEMORY_ONLY) recomputes them. A shared-memory counter of
// the map function's calls tells the two apart.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { test } from 'node:test';
import { Context, type StorageLevel } from '../../src/index.js';
import { MIB, freshTmpDir, sharedCounter, spillFilesUnder } from './spill-helpers.js';

const RECORDS = 40_000;
const PARTITIONS = 4;

async function twoActions(level: StorageLevel) {
  const tmpDir = freshTmpDir();
  const kc = new Context({ threads: 2, tmpDir, memoryBytesMax: MIB });
  try {
    const calls = sharedCounter();
    const rows = kc
      .range(0, RECORDS, 1, PARTITIONS)
      .map(
        (i) => {
          Atomics.add(calls, 0, 1);
          return { id: i, label: `row-${i.toString(36).padStart(40, '~')}` };
        },
        { calls },
      )
      .persist(level);
    assert.equal(await rows.count(), RECORDS);
    const callsAfterFirst = calls[0];
    const cacheFiles = spillFilesUnder(tmpDir).filter((path) => path.includes('/cache/'));
    const all = await rows.collect();
    assert.equal(all.length, RECORDS);
    assert.deepEqual(
      all.map((row) => row.id),
      Array.from({ length: RECORDS }, (_, i) => i),
    );
    assert.equal(all[12_345]!.label, `row-${(12_345).toString(36).padStart(40, '~')}`);
    return { callsAfterFirst, callsAfterSecond: calls[0]!, cacheFiles };
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

test('MEMORY_AND_DISK reads evicted partitions back from disk instead of recomputing them', async () => {
  const { callsAfterFirst, callsAfterSecond, cacheFiles } = await twoActions('MEMORY_AND_DISK');
  assert.equal(callsAfterFirst, RECORDS);
  assert.ok(cacheFiles.length > 0, 'partitions over the budget were spilled');
  assert.equal(callsAfterSecond, RECORDS, 'no partition was recomputed');
});

test('MEMORY_ONLY (the default) recomputes evicted partitions: the control', async () => {
  const { callsAfterFirst, callsAfterSecond, cacheFiles } = await twoActions('MEMORY_ONLY');
  assert.equal(callsAfterFirst, RECORDS);
  assert.equal(cacheFiles.length, 0);
  assert.ok(callsAfterSecond > RECORDS, 'evicted partitions ran again');
});

test('persist() rejects an unknown storage level', () => {
  const kc = new Context({ threads: 0 });
  assert.throws(() => kc.range(0, 3).persist('DISK_ONLY' as StorageLevel), /MEMORY_ONLY' or 'MEMORY_AND_DISK/);
});
