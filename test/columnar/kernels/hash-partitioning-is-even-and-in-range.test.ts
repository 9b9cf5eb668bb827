// hashNumber and partitionOfHash, the columnar shuffle's routing: equal numbers hash alike (0 and -0, every NaN,
// int32 and float64 forms), every partition index is in range for any partition count, and seeded int keys spread
// evenly over the partitions. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { hashBytes, hashNumber, partitionOfHash } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('hash-partitioning-is-even-and-in-range');

test('numbers JS treats as one key hash alike', () => {
  assert.equal(hashNumber(-0), hashNumber(0));
  assert.equal(hashNumber(NaN), hashNumber(0 / 0));
  assert.equal(hashNumber(7), hashNumber(Number('7.0')));
  assert.equal(hashNumber(new Int32Array([-5])[0]!), hashNumber(new Float64Array([-5])[0]!));
  assert.notEqual(hashNumber(1), hashNumber(2));
  assert.notEqual(hashNumber(2 ** 31), hashNumber(0), 'beyond int32 goes through the float64 bits');
  assert.notEqual(hashNumber(0.5), hashNumber(0));
});

test(`partition indexes are in range for small and huge partition counts (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const extremes = [0, 1, -1, 0x7fffffff, -0x80000000, 0xffffffff | 0];
  for (const n of [1, 2, 3, 7, 8, 1000, 0x1fffff, 0x200000, 0x200001, 2 ** 31 - 1, 2 ** 40]) {
    for (let i = 0; i < 2000; i++) {
      const hash = i < extremes.length ? extremes[i]! : rng.nextUint32() | 0;
      const p = partitionOfHash(hash, n);
      assert.ok(Number.isInteger(p) && p >= 0 && p < n, `hash ${hash}, ${n} partitions: ${p}`);
    }
  }
});

test(`int keys and words spread evenly over 8 partitions (seed ${seed})`, () => {
  const rng = new Rng(seed ^ 1);
  const n = 8;
  const keys = 80_000;
  const byInt = new Array<number>(n).fill(0);
  const byWord = new Array<number>(n).fill(0);
  const encoder = new TextEncoder();
  for (let i = 0; i < keys; i++) {
    byInt[partitionOfHash(hashNumber(rng.nextInt(1_000_000)), n)]!++;
    const word = encoder.encode(`w${rng.nextUint32().toString(36)}`);
    byWord[partitionOfHash(hashBytes(word, 0, word.length), n)]!++;
  }
  for (const counts of [byInt, byWord]) {
    for (const c of counts) assert.ok(Math.abs(c - keys / n) < (keys / n) * 0.05, `bucket sizes ${counts.join(', ')}`);
  }
});
