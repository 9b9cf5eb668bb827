// Each column gets the narrowest Arrow type that holds every value exactly, and binary-v8 for anything else.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { inferColumnType } from '../../src/storage/blocks/column-type.js';

const expectations: [string, readonly unknown[], string, number][] = [
  ['int32 numbers', [1, -2, 2147483647], 'i32', 0],
  ['-0 is not an int32', [1, -0], 'f64', 0],
  ['2^31 is not an int32', [2 ** 31], 'f64', 0],
  ['fractions', [0.5], 'f64', 0],
  ['NaN', [NaN, 1], 'f64', 0],
  ['booleans', [true, false], 'bool', 0],
  ['int64 bigints', [1n, -(2n ** 63n)], 'i64', 0],
  ['bigints past int64', [2n ** 63n], 'binary-v8', 0],
  ['well-formed strings', ['a', '😀'], 'utf8', 0],
  ['a lone surrogate', ['a', '\udc00'], 'binary-v8', 0],
  ['only nulls', [null, null], 'null', 2],
  ['no values', [], 'null', 0],
  ['ints with nulls', [null, 1], 'i32', 1],
  ['strings with nulls', ['a', null, null], 'utf8', 2],
  ['undefined', [undefined], 'binary-v8', 0],
  ['undefined with nulls', [undefined, null], 'binary-v8', 1],
  ['numbers and bigints', [1, 1n], 'binary-v8', 0],
  ['numbers and strings', [1, '1'], 'binary-v8', 0],
  ['objects', [{ a: 1 }], 'binary-v8', 0],
  ['dates', [new Date(0), null], 'binary-v8', 1],
];

for (const [name, values, type, nullCount] of expectations) {
  test(`infers ${type} for ${name}`, () => {
    assert.deepEqual(inferColumnType(values), { type, nullCount });
  });
}

test('pairs become key and value columns typed independently', () => {
  const block = encodeBlock([
    ['a', 1],
    ['b', 2.5],
  ]);
  assert.deepEqual(block.shape, { kind: 'pair' });
  assert.deepEqual(
    block.columns.map((c) => [c.name, c.type]),
    [
      ['key', 'utf8'],
      ['value', 'f64'],
    ],
  );
});

test('flat objects become one column per field, in key order', () => {
  const block = encodeBlock([
    { word: 'a', count: 1, seen: true, big: 1n },
    { word: 'b', count: 2, seen: null, big: 2n },
  ]);
  assert.deepEqual(block.shape, { kind: 'object', fields: ['word', 'count', 'seen', 'big'] });
  assert.deepEqual(
    block.columns.map((c) => [c.name, c.type, c.nullCount]),
    [
      ['word', 'utf8', 0],
      ['count', 'i32', 0],
      ['seen', 'bool', 1],
      ['big', 'i64', 0],
    ],
  );
});

test('anything else is one scalar column', () => {
  for (const records of [[1, 'a'], [[1, 2, 3]], [{ a: 1 }, { b: 1 }], [['a', 1], 'b'], [new Map()]]) {
    const block = encodeBlock(records);
    assert.deepEqual(block.shape, { kind: 'scalar' });
    assert.deepEqual(
      block.columns.map((c) => c.name),
      ['value'],
    );
  }
});

test('no records make an empty scalar block', () => {
  const block = encodeBlock([]);
  assert.equal(block.rows, 0);
  assert.deepEqual(block.shape, { kind: 'scalar' });
  assert.equal(block.columns.length, 1);
});
