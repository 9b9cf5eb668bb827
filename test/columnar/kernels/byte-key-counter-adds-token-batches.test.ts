// ByteKeyCounter.addTokens (the fused word count's per-batch probe) counts a batch of keys exactly as adding them
// one by one to a Map does: batches of 1 to 1500 keys, keys of every length from 0 to 40 bytes and multi-byte
// UTF-8, a counter of 16 slots that rehashes inside a batch (the slots read before the probes are then stale), and
// a batch whose key passes 2^31 - 1 throws the typed error after counting the keys before it. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ColumnarError } from '../../../src/executor/columnar/error.js';
import { ByteKeyCounter } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { keyTableHash } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { countedKeys } from './counted-keys.js';
import { Rng, randomWord, testSeed } from '../random-rows.js';
import { tokenBatch, type TokenBatch } from './token-batch.js';

const seed = testSeed('byte-key-counter-adds-token-batches');
const encoder = new TextEncoder();

/** `words` as one batch of tokens (`tokenBatch`). */
const batchOf = (words: readonly string[]): TokenBatch => tokenBatch(words.map((word) => encoder.encode(word)));

test(`batches of keys count as a Map does, through rehashes inside a batch (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const vocabulary = Array.from({ length: 20_000 }, (_, i) => {
    if (i < 41) return 'k'.repeat(i); // every length 0 … 40, the empty key included
    return i % 7 === 0 ? `${randomWord(rng)}-${'é'.repeat(rng.nextInt(12))}-${i}` : `${randomWord(rng)}${i}`;
  });
  const counter = new ByteKeyCounter(16);
  const expected = new Map<string, number>();
  let added = 0;
  for (const size of [1, 2, 1024, 1500, 7, 1024, 333]) {
    for (let round = 0; round < 20; round++) {
      const words = Array.from(
        { length: size },
        () => vocabulary[Math.floor(vocabulary.length * rng.nextFloat() ** 2)]!,
      );
      const { bytes, starts, ends } = batchOf(words);
      counter.addTokens(bytes, starts, ends, size);
      for (const word of words) expected.set(word, (expected.get(word) ?? 0) + 1);
      added += size;
    }
  }
  assert.ok(counter.size > 4000, `only ${counter.size} distinct keys: too few to rehash inside batches`);
  assert.deepEqual(countedKeys(counter), expected);
  assert.equal(
    [...expected.values()].reduce((sum, n) => sum + n, 0),
    added,
  );
});

test('only the first n keys of the arrays are counted', () => {
  const counter = new ByteKeyCounter();
  const { bytes, starts, ends } = batchOf(['a', 'b', 'a', 'c']);
  counter.addTokens(bytes, starts, ends, 3);
  assert.deepEqual(
    countedKeys(counter),
    new Map([
      ['a', 2],
      ['b', 1],
    ]),
  );
});

test('a count past 2^31 - 1 inside a batch is a typed error naming the key, after the keys before it', () => {
  const counter = new ByteKeyCounter();
  const often = encoder.encode('often');
  counter.addCount(often, 0, often.length, keyTableHash(often, 0, often.length), 0x7fffffff - 1);
  const { bytes, starts, ends } = batchOf(['often', 'rare', 'often', 'never']);
  assert.throws(
    () => counter.addTokens(bytes, starts, ends, 4),
    (error: unknown) =>
      error instanceof ColumnarError && /the key 'often' occurs more than 2147483647/.test(error.message),
  );
  assert.deepEqual(
    countedKeys(counter),
    new Map([
      ['often', 0x7fffffff],
      ['rare', 1],
    ]),
  );
});

test(`addCounts merges batches of partial counts as a Map does, short, long and end-of-buffer keys (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const vocabulary = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? `long-key-past-eleven-${i}` : `k${i}`));
  const counter = new ByteKeyCounter(16);
  const expected = new Map<string, number>();
  for (const size of [1, 1500, 2048, 3]) {
    const words = Array.from({ length: size }, () => vocabulary[rng.nextInt(vocabulary.length)]!);
    const counts = Int32Array.from(words, () => 1 + rng.nextInt(1000));
    words.forEach((word, i) => expected.set(word, (expected.get(word) ?? 0) + counts[i]!));
    const { bytes, starts, ends } = batchOf(words);
    assert.equal(counter.addCounts(bytes, starts, ends, counts, 0, size), size);
  }
  assert.deepEqual(countedKeys(counter), expected);
});

test('addCounts stops before a count below 1 or a sum past 2^31 - 1, and returns the rows it added', () => {
  const counter = new ByteKeyCounter();
  const { bytes, starts, ends } = batchOf(['a', 'b', 'a', 'c', 'b']);
  assert.equal(counter.addCounts(bytes, starts, ends, Int32Array.of(5, 6, 0x7fffffff - 4, 7, 8), 0, 5), 2);
  assert.deepEqual(
    countedKeys(counter),
    new Map([
      ['a', 5],
      ['b', 6],
    ]),
  );
  assert.equal(counter.addCounts(bytes, starts, ends, Int32Array.of(1, 1, 1, 0, 1), 1, 4), 2);
  assert.deepEqual(
    countedKeys(counter),
    new Map([
      ['a', 6],
      ['b', 7],
    ]),
  );
});
