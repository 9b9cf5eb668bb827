// A block read from a spilled map output lies in this thread's lent buffer. The next read reuses that memory only
// after the reader gave it back with all of the block's rows copied (the word count's final count does); a reader
// that keeps its blocks (a median keeps its task's input to the end) never sees them overwritten, and a released
// block's views are empty, never the bytes of a later block.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import type { MapOutputRef } from '../../src/protocol/map-output.js';
import { decodeBlockRows } from '../../src/storage/blocks/block-reader.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import {
  blockBuffersAllocated,
  LENT_BUFFER_BYTES_MAX,
  releaseBlockBuffer,
  takeBlockBuffer,
} from '../../src/storage/map-outputs/lent-block-buffer.js';
import { readMapOutputRows, type BlockRows } from '../../src/storage/map-outputs/map-output-reader.js';
import { chunkOfBlock, MapOutputWriter } from '../../src/storage/map-outputs/map-output-writer.js';
import { makeTempDir } from '../support/temp-dir.js';

test('a lent buffer is reused only once given back with all its rows, zeroed, and a given-back one is emptied', () => {
  const a = takeBlockBuffer(1000, 10);
  const view = new Uint8Array(a);
  view.fill(7);
  assert.equal(releaseBlockBuffer(a, 9), false, 'fewer rows than the block (a slice) give nothing back');
  assert.equal(view[999], 7, 'not given back: its views are intact');
  assert.equal(releaseBlockBuffer(new SharedArrayBuffer(8), 10), false, 'a buffer never lent is left alone');
  assert.equal(releaseBlockBuffer(a, 10), true);
  assert.equal(view.byteLength, 0, 'a view of a given-back buffer is empty');
  const before = blockBuffersAllocated();
  const b = takeBlockBuffer(900, 3);
  assert.equal(blockBuffersAllocated(), before, 'the given-back memory serves the next read');
  assert.ok(
    new Uint8Array(b, 0, 900).every((byte) => byte === 0),
    'zeroed for the next block',
  );
  assert.equal(releaseBlockBuffer(a, 10), false, 'a buffer is given back once');

  // Not given back: the next read gets other memory, and the kept block stays as it was.
  new Uint8Array(b).fill(5);
  const c = takeBlockBuffer(900, 3);
  assert.equal(blockBuffersAllocated(), before + 1);
  assert.notEqual(c, b);
  assert.ok(new Uint8Array(b).every((byte) => byte === 5));
  assert.equal(releaseBlockBuffer(b, 3), false, 'only the buffer lent last comes back');
  assert.equal(releaseBlockBuffer(c, 3), true);

  const huge = takeBlockBuffer(LENT_BUFFER_BYTES_MAX + 1, 1);
  assert.equal(releaseBlockBuffer(huge, 1), false, 'a buffer past the bound is never kept');
  assert.equal(huge.byteLength, LENT_BUFFER_BYTES_MAX + 1);
});

/** A spilled output of `buckets` (records per reduce partition), one chunk per run of `chunkMax` records. */
function spilledOutput(buckets: unknown[][], chunkMax: number, path: string): MapOutputRef {
  const writer = new MapOutputWriter(buckets.length, { path, bytesInMemoryMax: 0 });
  let chunk: unknown[] = [];
  let counts: number[] = [];
  let first = 0;
  const flush = (): void => {
    if (counts.length > 0) writer.addChunk(chunkOfBlock(encodeBlock(chunk, false)), first, counts);
    chunk = [];
    counts = [];
  };
  buckets.forEach((bucket, p) => {
    if (counts.length > 0 && chunk.length + bucket.length > chunkMax) flush();
    if (counts.length === 0) first = p;
    chunk.push(...bucket);
    counts.push(bucket.length);
  });
  flush();
  const ref = writer.finish();
  assert.equal(ref.kind, 'spilled');
  return ref;
}

function read(ref: MapOutputRef, p: number): BlockRows | null {
  return readMapOutputRows(ref, p, false, () => `test output, reduce partition ${p}`);
}

test('spilled reads: given back, every read reuses one buffer; kept, every block keeps its rows', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  const dir = makeTempDir('lent-buffer-test');
  try {
    const partitions = 12;
    const outputs = Array.from({ length: 4 }, (_, m) => {
      // Strings with nulls (validity bits, which a reused buffer must not inherit), numbers and booleans.
      const buckets: unknown[][] = Array.from({ length: partitions }, () => []);
      for (let i = 0; i < 400; i++) {
        const word = rng.nextInt(6) === 0 ? null : `w${rng.nextInt(1000)}${'é'.repeat(rng.nextInt(4))}`;
        buckets[rng.nextInt(partitions)]!.push({ word, n: rng.nextInt(100) - 50, odd: rng.nextInt(2) === 0 });
      }
      return { buckets, ref: spilledOutput(buckets, 1 + rng.nextInt(150), join(dir, `out-${m}.kmo`)) };
    });
    const what = `seed ${seed}`;

    // A copying reader: decode, give back; every read after the first fills the same memory.
    let allocated = -1;
    for (let p = 0; p < partitions; p++) {
      for (const { buckets, ref } of outputs) {
        const rows = read(ref, p);
        if (rows === null) continue;
        assert.deepStrictEqual(decodeBlockRows(rows.block, rows.start, rows.end), buckets[p], `${what}, p ${p}`);
        if (allocated < 0) allocated = blockBuffersAllocated();
        assert.ok(releaseBlockBuffer(rows.block.buffer, rows.end - rows.start), `${what}: the block's buffer is lent`);
        assert.equal(rows.block.buffer.byteLength, 0, `${what}: detached once given back`);
        assert.throws(() => decodeBlockRows(rows.block, rows.start, rows.end), TypeError, `${what}: unreadable`);
      }
    }
    // Larger blocks than the first grow the buffer a few times at most, not once per read.
    assert.ok(blockBuffersAllocated() - allocated <= 3, `${what}: ${blockBuffersAllocated() - allocated} allocations`);

    // A keeping reader (no give-back): every block still holds its rows once all the others were read.
    const kept: { rows: BlockRows; expected: unknown[] }[] = [];
    for (let p = 0; p < partitions; p++) {
      for (const { buckets, ref } of outputs) {
        const rows = read(ref, p);
        if (rows !== null) kept.push({ rows, expected: buckets[p]! });
      }
    }
    for (const { rows, expected } of kept) {
      assert.deepStrictEqual(decodeBlockRows(rows.block, rows.start, rows.end), expected, `${what}: a kept block`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
