// A spilled map output whose file is deleted or damaged is a fetch failure: the scheduler recomputes exactly
// that map partition from lineage (a shared-memory counter proves which records ran again) and the job's result
// is exact.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { test } from 'node:test';
import { Context } from '../../src/index.js';
import { MIB, freshTmpDir, sharedCounter, spillFilesUnder } from './spill-helpers.js';

const RECORDS = 40_000;
const MAP_PARTITIONS = 4;

async function withSpillingJob(damage: (file: string) => void, mapPartition: number): Promise<void> {
  const tmpDir = freshTmpDir();
  const kc = new Context({ threads: 2, tmpDir, memoryBytesMax: MIB });
  try {
    const calls = sharedCounter();
    const sorted = kc
      .range(0, RECORDS, 1, MAP_PARTITIONS)
      .map(
        (i) => {
          Atomics.add(calls, 0, 1);
          return [Math.imul(i, 0x9e3779b1) >>> 0, `value-${i.toString(36).padStart(30, '-')}`] as const;
        },
        { calls },
      )
      .sortByKey(true, 8);
    const expected = await sorted.collect();
    // The map stage ran the map function once: its tasks sample the keys as they write their sorted runs.
    assert.equal(calls[0], RECORDS);
    const files = spillFilesUnder(tmpDir).filter((path) => path.includes(`/map-${mapPartition}-`));
    assert.ok(files.length > 0, `map partition ${mapPartition} spilled some of its output`);
    damage(files[0]!);

    const again = await sorted.collect();
    assert.deepEqual(again, expected, 'the same records, in the same order');
    assert.equal(calls[0], RECORDS + RECORDS / MAP_PARTITIONS, 'exactly one map partition ran again');
    // The reader of the damaged block fails to fetch it; tasks launched while the output is being recomputed may
    // also be told so, without running.
    assert.ok((kc.lastJobMetrics?.failures['fetch-failed'] ?? 0) >= 1);
    assert.equal(kc.lastJobMetrics?.recomputedPartitions, 1);
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}

test('a deleted spill file makes its map partition run again, and the result is exact', async () => {
  await withSpillingJob((file) => unlinkSync(file), 1);
});

test('a spill file with one flipped bit makes its map partition run again, and the result is exact', async () => {
  await withSpillingJob((file) => {
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 3)]! ^= 0x04;
    writeFileSync(file, bytes);
  }, 2);
});
