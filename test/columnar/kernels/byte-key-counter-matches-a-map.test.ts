// ByteKeyCounter (the fused word count's table) counts exactly as a Map of strings does: short and long keys,
// multi-byte UTF-8, enough distinct keys to rehash several times, and again after clear(). SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ByteKeyCounter, keyTableHash } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { partitionOfHash } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { countedKeys } from './counted-keys.js';
import { Rng, randomWord, testSeed } from '../random-rows.js';

const seed = testSeed('byte-key-counter-matches-a-map');
const encoder = new TextEncoder();

function countBoth(counter: ByteKeyCounter, words: readonly string[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const word of words) {
    const bytes = encoder.encode(`..${word}.`);
    counter.add(bytes, 2, bytes.length - 1, keyTableHash(bytes, 2, bytes.length - 1));
    expected.set(word, (expected.get(word) ?? 0) + 1);
  }
  return expected;
}

test(`counts equal a Map's, through several rehashes and after clear() (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const vocabulary = Array.from({ length: 30_000 }, (_, i) =>
    i % 5 === 0 ? `${randomWord(rng)}-${'long'.repeat(1 + rng.nextInt(6))}-${i}` : `${randomWord(rng)}${i}`,
  );
  const words = Array.from(
    { length: 200_000 },
    () => vocabulary[Math.floor(vocabulary.length * rng.nextFloat() ** 3)]!,
  );
  const counter = new ByteKeyCounter(16);
  assert.deepEqual(countedKeys(counter), new Map());
  const expected = countBoth(counter, words);
  assert.deepEqual(countedKeys(counter), expected);
  counter.clear();
  assert.equal(counter.size, 0);
  const again = countBoth(counter, words.slice(0, 5000));
  assert.deepEqual(countedKeys(counter), again);
});

test(`writeByPartition orders every key's count by reduce partition, slot order kept within one (seed ${seed})`, () => {
  const rng = new Rng(seed + 1);
  const words = Array.from({ length: 40_000 }, () => `${randomWord(rng)}${rng.nextInt(9000)}`);
  const counter = new ByteKeyCounter(16);
  countBoth(counter, words);
  const inSlotOrder = counter.entries();
  for (const partitions of [1, 3, 8, 64]) {
    // One element of slack past size in each array: nothing may be written there.
    const starts = new Int32Array(counter.size + 1).fill(-7);
    const ends = new Int32Array(counter.size + 1).fill(-7);
    const counts = new Int32Array(counter.size + 1).fill(-7);
    const partitionStarts = counter.writeByPartition(partitions, starts, ends, counts);
    assert.equal(partitionStarts.length, partitions + 1);
    assert.equal(partitionStarts[0], 0);
    assert.equal(partitionStarts[partitions], counter.size);
    assert.deepEqual([starts[counter.size], ends[counter.size], counts[counter.size]], [-7, -7, -7]);
    // The model: the slot-order entries, stably grouped by partitionOfHash of their hash.
    const expected = Array.from({ length: partitions }, () => [] as number[]);
    for (let i = 0; i < inSlotOrder.size; i++) {
      expected[partitionOfHash(inSlotOrder.hashes[i]!, partitions)]!.push(i);
    }
    for (let p = 0; p < partitions; p++) {
      const from = partitionStarts[p]!;
      assert.equal(partitionStarts[p + 1]! - from, expected[p]!.length, `partition ${p}'s rows`);
      expected[p]!.forEach((i, k) => {
        assert.equal(starts[from + k], inSlotOrder.starts[i]);
        assert.equal(ends[from + k], inSlotOrder.ends[i]);
        assert.equal(counts[from + k], inSlotOrder.counts[i]);
      });
    }
  }
});
