// A map output packs chunks of consecutive reduce partitions into one buffer (or one spill file) with an index of
// only the non-empty partitions; each reduce partition reads back exactly its records (in memory: as rows of a chunk
// over the output's own buffer, no copy), and a flipped bit in its bytes is a BlockCorruptError for that reader only.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MapOutputRef } from '../../src/protocol/map-output.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { decodeBlockRows } from '../../src/storage/blocks/block-reader.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import {
  mapOutputBlockBytes,
  mapOutputRows,
  readMapOutputRows,
} from '../../src/storage/map-outputs/map-output-reader.js';
import { chunkOfBlock, MapOutputWriter } from '../../src/storage/map-outputs/map-output-writer.js';
import { randomRecords } from './random-records.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Writes `buckets` (records per reduce partition) as chunks of at most `chunkMax` records, like a map task. */
function writeOutput(buckets: unknown[][], chunkMax: number, spill: { path: string; bytesInMemoryMax: number } | null) {
  const writer = new MapOutputWriter(buckets.length, spill);
  let chunk: unknown[] = [];
  let first = 0;
  let counts: number[] = [];
  const flush = () => {
    if (counts.length > 0) writer.addChunk(chunkOfBlock(encodeBlock(chunk, false)), first, counts);
    chunk = [];
    counts = [];
  };
  buckets.forEach((bucket, p) => {
    if (chunk.length > 0 && chunk.length + bucket.length > chunkMax) flush();
    if (counts.length === 0) {
      if (bucket.length === 0) return;
      first = p;
    }
    chunk.push(...bucket);
    counts.push(bucket.length);
  });
  flush();
  return writer.finish();
}

function readPartition(ref: MapOutputRef, p: number): unknown[] | null {
  const rows = readMapOutputRows(ref, p, false, () => `test output, reduce partition ${p}`);
  if (rows === null) return null;
  if (ref.kind === 'memory') assert.equal(rows.block.buffer, ref.buffer, 'read in place, from the output buffer');
  return decodeBlockRows(rows.block, rows.start, rows.end);
}

test('every reduce partition reads back exactly its records, in memory and spilled', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  const dir = makeTempDir('map-output-test');
  try {
    for (let round = 0; round < 60; round++) {
      const partitions = 1 + rng.nextInt(rng.nextInt(3) === 0 ? 2000 : 40);
      const { description, records } = randomRecords(rng, rng.nextInt(300));
      const buckets: unknown[][] = Array.from({ length: partitions }, () => []);
      // Skewed: most partitions empty, as with many reduce partitions.
      for (const record of records) buckets[rng.nextInt(1 + rng.nextInt(partitions))]!.push(record);
      const spilled = round % 3 === 2;
      const bound = rng.nextInt(2) === 0 ? 0 : rng.nextInt(2000);
      const spill = spilled ? { path: join(dir, `out-${round}.kmo`), bytesInMemoryMax: bound } : null;
      const ref = writeOutput(buckets, 1 + rng.nextInt(64), spill);
      const what = `seed ${seed}, round ${round} (${partitions} partitions, ${description})`;
      if (spilled && bound === 0 && records.length > 0) assert.equal(ref.kind, 'spilled', `${what}: past the bound`);
      assert.equal(ref.rows, records.length, what);
      assert.deepStrictEqual(
        mapOutputRows(ref),
        buckets.map((bucket) => bucket.length),
        what,
      );
      for (let p = 0; p < partitions; p++) {
        assert.deepStrictEqual(readPartition(ref, p), buckets[p]!.length === 0 ? null : buckets[p], `${what}, p ${p}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a flipped bit in one partition fails that partition only; a truncated spill file fails every reader', () => {
  const dir = makeTempDir('map-output-test');
  try {
    const buckets = [
      [['a', 1]],
      [],
      [
        ['bb', 2],
        ['ccc', 3],
      ],
      [[`d${'x'.repeat(300)}`, 4]],
      [],
      [['e', 5]],
    ];
    for (const spill of [null, { path: join(dir, 'out.kmo'), bytesInMemoryMax: 0 }]) {
      for (const victim of [0, 2, 3, 5]) {
        const ref = writeOutput(buckets, spill === null ? 2 : 100, spill);
        const range = mapOutputBlockBytes(ref, victim)!;
        if (ref.kind === 'memory') new Uint8Array(ref.buffer)[range.offset]! ^= 4;
        else {
          const bytes = readFileSync(ref.path);
          bytes[range.offset]! ^= 4;
          writeFileSync(ref.path, bytes);
        }
        for (let p = 0; p < buckets.length; p++) {
          if (p === victim) {
            assert.throws(
              () => readPartition(ref, p),
              (error: unknown) => {
                assert.ok(error instanceof BlockCorruptError);
                assert.match(error.message, new RegExp(`checksum mismatch over reduce partition ${victim}'s`));
                return true;
              },
            );
          } else assert.deepStrictEqual(readPartition(ref, p), buckets[p]!.length === 0 ? null : buckets[p]);
        }
      }
    }
    const ref = writeOutput(buckets, 100, { path: join(dir, 'short.kmo'), bytesInMemoryMax: 0 });
    assert.equal(ref.kind, 'spilled');
    if (ref.kind === 'spilled') truncateSync(ref.path, ref.byteLength - 3);
    assert.throws(() => readPartition(ref, 0), BlockCorruptError);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('an output of no rows keeps its columns for a reader that asks for them', () => {
  const writer = new MapOutputWriter(3, null);
  writer.addChunk(chunkOfBlock(encodeBlock([], false)), 0, [0]);
  const ref = writer.finish();
  assert.equal(
    readMapOutputRows(ref, 1, false, () => 'empty'),
    null,
  );
  const rows = readMapOutputRows(ref, 1, true, () => 'empty')!;
  assert.equal(rows.end - rows.start, 0);
  assert.equal(rows.block.rows, 0);
  assert.deepStrictEqual(mapOutputRows(ref), [0, 0, 0]);
});
