// ByteKeyCounter keeps keys of at most 11 bytes packed in their slots and longer ones in an arena; it must still
// count exactly as a Map of byte strings does. The keys: every length 0 … 14 around the 11-byte edge, keys that
// differ only by trailing NUL bytes (a packed word pads with zeros) or by one byte at any position, bytes ≥ 0x80 at
// every position (the sign bits of the packed words), pairs sharing one full 32-bit hash and many sharing their low
// hash bits (long probe chains), counted through `add`, `addTokens` (keys at a buffer's very end included: the
// packed reads' fallback) and `addCount`, in a counter grown from 16 slots, exported twice and counted on after an
// export. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ByteKeyCounter, keyTableHash } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { hashBytes } from '../../../src/executor/columnar/kernels/hash-bytes.js';
import { Rng, testSeed } from '../random-rows.js';
import { tokenBatch } from './token-batch.js';

const seed = testSeed('byte-key-counter-keeps-short-keys-in-slots');

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Random bytes of a random length (0 … 14, some longer), from a small alphabet or any byte. */
function randomKey(rng: Rng): Uint8Array {
  const length = rng.nextInt(10) === 0 ? 12 + rng.nextInt(30) : rng.nextInt(15);
  const wide = rng.nextInt(3) === 0;
  return Uint8Array.from({ length }, () => (wide ? rng.nextInt(256) : [0x00, 0x61, 0x62, 0x80, 0xff][rng.nextInt(5)]!));
}

/** The edge cases: each length's key of 'k', with a NUL or 0xff appended or changed at every position. */
function edgeKeys(): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let length = 0; length <= 14; length++) {
    const base = new Uint8Array(length).fill(0x6b);
    keys.push(base, Uint8Array.of(...base, 0), Uint8Array.of(...base, 0, 0), Uint8Array.of(...base, 0xff));
    for (let k = 0; k < length; k++) {
      for (const byte of [0x00, 0x80, 0xff]) {
        const changed = base.slice();
        changed[k] = byte;
        keys.push(changed);
      }
    }
  }
  return keys;
}

/** Keys of 6–11 bytes in pairs with one full table hash, and keys whose table hashes share their low 10 bits. */
function collidingKeys(rng: Rng): { sameHash: Uint8Array[]; sameLowBits: Uint8Array[] } {
  const byHash = new Map<number, Uint8Array>();
  const sameHash: Uint8Array[] = [];
  const sameLowBits: Uint8Array[] = [];
  for (let i = 0; i < 400_000 && sameHash.length < 12; i++) {
    const key = Uint8Array.from({ length: 6 + rng.nextInt(6) }, () => 0x61 + rng.nextInt(26));
    const hash = keyTableHash(key, 0, key.length);
    const other = byHash.get(hash);
    if (other !== undefined && hex(other) !== hex(key)) sameHash.push(other, key);
    byHash.set(hash, key);
    if ((hash & 0x3ff) === 0x155 && sameLowBits.length < 300) sameLowBits.push(key);
  }
  return { sameHash, sameLowBits };
}

/** The counter's keys (hex) → counts, checking each stored hash is its key's `hashBytes` and no key is twice. */
function counted(counter: ByteKeyCounter): Map<string, number> {
  const { size, arena, starts, ends, hashes, counts } = counter.entries();
  const found = new Map<string, number>();
  for (let i = 0; i < size; i++) {
    const key = arena.subarray(starts[i]!, ends[i]!);
    assert.equal(hashes[i], hashBytes(key, 0, key.length), `the stored hash of ${hex(key)}`);
    found.set(hex(key), counts[i]!);
  }
  assert.equal(found.size, size, 'no key twice');
  return found;
}

/** The same through `writeByPartition` (3 partitions) and `keyBytes`. */
function countedByPartition(counter: ByteKeyCounter): Map<string, number> {
  const starts = new Int32Array(counter.size);
  const ends = new Int32Array(counter.size);
  const counts = new Int32Array(counter.size);
  counter.writeByPartition(3, starts, ends, counts);
  const found = new Map<string, number>();
  for (let i = 0; i < counter.size; i++) found.set(hex(counter.keyBytes.subarray(starts[i]!, ends[i]!)), counts[i]!);
  return found;
}

test(`short and long keys, colliding hashes and growth count as a Map does (seed ${seed})`, () => {
  const rng = new Rng(seed);
  const { sameHash, sameLowBits } = collidingKeys(rng);
  assert.ok(sameHash.length >= 4, `only ${sameHash.length / 2} pairs of keys with one hash found`);
  const vocabulary = [
    ...edgeKeys(),
    ...sameHash,
    ...sameLowBits,
    ...Array.from({ length: 5000 }, () => randomKey(rng)),
  ];
  const counter = new ByteKeyCounter(16);
  const expected = new Map<string, number>();
  const count = (key: Uint8Array, n: number): void => {
    expected.set(hex(key), (expected.get(hex(key)) ?? 0) + n);
  };
  for (let round = 0; round < 40; round++) {
    // A batch of tokens: in random order, the vocabulary's front more often (as Zipf words are).
    const keys = Array.from(
      { length: 1 + rng.nextInt(1500) },
      () => vocabulary[Math.floor(vocabulary.length * rng.nextFloat() ** 2)]!,
    );
    const { bytes, starts, ends } = tokenBatch(keys);
    counter.addTokens(bytes, starts, ends, keys.length);
    for (const key of keys) count(key, 1);
    // One key alone, at the start of a small buffer (`add`), and one with a count (`addCount`, the reduce side).
    const single = vocabulary[rng.nextInt(vocabulary.length)]!;
    counter.add(single, 0, single.length, keyTableHash(single, 0, single.length));
    count(single, 1);
    const merged = vocabulary[rng.nextInt(vocabulary.length)]!;
    const padded = Uint8Array.of(0x20, ...merged, 0x20);
    assert.ok(counter.addCount(padded, 1, 1 + merged.length, keyTableHash(merged, 0, merged.length), 1 + round));
    count(merged, 1 + round);
    if (round % 10 === 9) {
      // Exports in between: the next adds may write over the short keys' exported bytes, never over a count.
      assert.deepEqual(counted(counter), expected);
      assert.deepEqual(countedByPartition(counter), expected);
    }
  }
  assert.ok(counter.size > 3000, `only ${counter.size} distinct keys`);
  assert.deepEqual(counted(counter), expected);
  assert.deepEqual(countedByPartition(counter), expected);
  assert.deepEqual(counted(counter), expected, 'a second export answers the same');
  counter.clear();
  assert.deepEqual(counted(counter), new Map());
});
