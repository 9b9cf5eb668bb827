// Seeded random records of every shape and value family survive encode → verify → decode exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { randomRecords } from './random-records.js';

test('round-trips random records exactly', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  for (let round = 0; round < 300; round++) {
    const { description, records } = randomRecords(rng, rng.nextInt(4) === 0 ? rng.nextInt(5000) : rng.nextInt(40));
    const block = encodeBlock(records);
    verifyBlock(block, description);
    assert.deepStrictEqual(decodeBlock(block), records, `seed ${seed}, round ${round}: ${description}`);
  }
});
