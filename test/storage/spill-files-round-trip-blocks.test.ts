// A block spilled to an Arrow IPC file reads back equal (records, rows, shape), mapped into shared memory without
// a second copy; a missing, truncated or bit-flipped file is a BlockCorruptError, never wrong records.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tableFromIPC } from 'apache-arrow';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { BlockCorruptError } from '../../src/storage/blocks/block-corrupt-error.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { isSpilled } from '../../src/protocol/block.js';
import { openBlock, spillBlock } from '../../src/storage/arrow/spill-file.js';
import { randomRecords } from './random-records.js';
import { makeTempDir } from '../support/temp-dir.js';

test('spilled random blocks read back with the same records', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  const dir = makeTempDir('spill-test');
  try {
    for (let round = 0; round < 120; round++) {
      const { description, records } = randomRecords(rng, 1 + rng.nextInt(rng.nextInt(4) === 0 ? 3000 : 40));
      const block = encodeBlock(records);
      const ref = spillBlock(block, join(dir, `block-${round}.arrow`));
      assert.ok(isSpilled(ref));
      assert.equal(ref.rows, records.length);
      const back = openBlock(ref, description);
      assert.ok(back.buffer instanceof SharedArrayBuffer);
      assert.deepStrictEqual(decodeBlock(back), records, `seed ${seed}, round ${round}: ${description}`);
    }
    // Written under a temporary name and renamed: nothing else is left in the directory.
    assert.ok(readdirSync(dir).every((name) => name.endsWith('.arrow')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a spill file is an ordinary Arrow IPC file, and an in-memory block passes through openBlock', () => {
  const dir = makeTempDir('spill-test');
  try {
    const block = encodeBlock([
      ['a', 1],
      ['b', 2],
    ]);
    assert.equal(openBlock(block, 'memory'), block);
    const ref = spillBlock(block, join(dir, 'x.arrow'));
    const table = tableFromIPC(readFileSync(ref.path));
    assert.deepStrictEqual(
      table.toArray().map((row) => [row.key, row.value]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing, truncated or corrupt spill file is a BlockCorruptError', () => {
  const dir = makeTempDir('spill-test');
  try {
    const records = Array.from({ length: 500 }, (_, i) => [`key-${i}`, i * 1.5]);
    const spill = (name: string) => spillBlock(encodeBlock(records), join(dir, name));
    const missing = spill('missing.arrow');
    unlinkSync(missing.path);
    assert.throws(() => openBlock(missing, 'test'), BlockCorruptError);
    const short = spill('short.arrow');
    truncateSync(short.path, short.byteLength - 8);
    assert.throws(() => openBlock(short, 'test'), /expected \d+ bytes/);
    const flipped = spill('flipped.arrow');
    const bytes = readFileSync(flipped.path);
    bytes[Math.floor(bytes.length / 2)]! ^= 0x10;
    writeFileSync(flipped.path, bytes);
    assert.throws(() => openBlock(flipped, 'test'), /checksum mismatch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
