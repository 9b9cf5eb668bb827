// ByteKeyCounter (the fused word count's table) counts exactly as a Map of strings does: short and long keys,
// multi-byte UTF-8, enough distinct keys to rehash several times, and again after clear(). SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ByteKeyCounter } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { hashBytes } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { Rng, randomWord, testSeed } from '../random-rows.js';

const seed = testSeed('byte-key-counter-matches-a-map');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function countBoth(counter: ByteKeyCounter, words: readonly string[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const word of words) {
    const bytes = encoder.encode(`..${word}.`);
    counter.add(bytes, 2, bytes.length - 1, hashBytes(bytes, 2, bytes.length - 1));
    expected.set(word, (expected.get(word) ?? 0) + 1);
  }
  return expected;
}

function counted(counter: ByteKeyCounter): Map<string, number> {
  const { size, arena, starts, ends, hashes, counts } = counter.entries();
  const found = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const key = arena.subarray(starts[i]!, ends[i]!);
    assert.equal(hashes[i], hashBytes(key, 0, key.length), 'the stored hash is the key’s');
    found.set(decoder.decode(key), counts[i]!);
  }
  assert.equal(found.size, size, 'no key twice');
  return found;
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
  assert.deepEqual(counted(counter), new Map());
  const expected = countBoth(counter, words);
  assert.deepEqual(counted(counter), expected);
  counter.clear();
  assert.equal(counter.size, 0);
  const again = countBoth(counter, words.slice(0, 5000));
  assert.deepEqual(counted(counter), again);
});
