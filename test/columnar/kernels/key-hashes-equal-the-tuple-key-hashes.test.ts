// keyHashes' single-column fast paths (int32, date, string) hash exactly the tuple-key bytes the generic path
// encodes: both sides of a shuffled join must send equal keys to one partition, whichever path each side takes
// (an int32 key against a float64 key, a string key against a two-column tuple never mixing). Seeded: SEED=<n>.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Column } from '../../../src/executor/columnar/batches/batch.js';
import { keyHashes } from '../../../src/executor/columnar/shuffle/key-hashes.js';
import { hashBytes } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { encodeTupleKey } from '../../../src/executor/columnar/kernels/tuple-key.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('key-hashes-equal-the-tuple-key-hashes');
const rng = new Rng(seed);
const ROWS = 2000;

function tupleHash(column: Column, row: number): number {
  const scratch = new Uint8Array(4096);
  return hashBytes(scratch, 0, encodeTupleKey([column], row, scratch));
}

const valid = Uint8Array.from({ length: ROWS }, () => (rng.nextInt(7) === 0 ? 0 : 1));
const ints = Int32Array.from({ length: ROWS }, () => rng.nextUint32() | 0);
const text = new TextEncoder().encode('aé😀 b'.repeat(400));
const starts = Int32Array.from({ length: ROWS }, () => rng.nextInt(text.length));
const ends = Int32Array.from(starts, (s) => Math.min(text.length, s + rng.nextInt(300)));

for (const column of [
  { type: 'i32', values: ints, valid },
  { type: 'date', values: ints },
  { type: 'utf8', bytes: text, starts, ends, valid },
] as Column[]) {
  test(`a ${column.type} key hashes as its tuple bytes (SEED=${seed})`, () => {
    const hashes = keyHashes({ rows: ROWS, names: ['k'], columns: [column] }, ['k']);
    for (let r = 0; r < ROWS; r++) assert.equal(hashes[r], tupleHash(column, r), `row ${r}`);
  });
}

test(`an int32 key and the same numbers as float64 hash alike (SEED=${seed})`, () => {
  const doubles: Column = { type: 'f64', values: Float64Array.from(ints), valid };
  const a = keyHashes({ rows: ROWS, names: ['k'], columns: [{ type: 'i32', values: ints, valid }] }, ['k']);
  const b = keyHashes({ rows: ROWS, names: ['k'], columns: [doubles] }, ['k']);
  assert.deepEqual(a, b);
});
