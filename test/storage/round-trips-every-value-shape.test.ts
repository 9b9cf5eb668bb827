// decodeBlock(encodeBlock(records)) gives back exactly the records: same types, same shapes, same special values.
/* eslint-disable no-sparse-arrays -- arrays with holes are one of the value shapes under test */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBlock, forEachRecord } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';

const cases: Record<string, readonly unknown[]> = {
  'no records': [],
  'int32 numbers': [0, 1, -1, 2147483647, -2147483648],
  'special doubles': [1.5, -0, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE, 2 ** 31, -(2 ** 53)],
  'zero and negative zero': [0, -0, 0],
  booleans: [true, false, true, true, false, false, true, false, true],
  'bigints in int64': [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n)],
  'bigints beyond int64': [2n ** 63n, -(2n ** 63n) - 1n, 1n],
  'ascii strings': ['', 'a', 'hello', 'a longer string of ascii text'],
  'unicode strings': ['é', '日本語', '😀 emoji', 'mixed ascii and ü', '\u0000nul'],
  'lone surrogates': ['\ud800', 'ok', 'x\udfffy'],
  'only nulls': [null, null, null],
  'nulls in every native type': [1, null, 3],
  'nulls among doubles': [null, 1.5, null],
  'nulls among strings': ['a', null, ''],
  'nulls among booleans': [null, true, false],
  'nulls among bigints': [1n, null],
  'undefined vs null': [undefined, null, undefined],
  'mixed types': [1, '1', 1n, true, null, undefined],
  'dates, maps, sets, regexps': [new Date(0), new Map([[1, { a: 2 }]]), new Set(['x', 1]), /a+b/gi],
  'typed arrays and buffers': [new Uint8Array([1, 2, 3]), new Float64Array([1.5, -0]), Buffer.from('bytes')],
  'nested structures': [{ a: [1, { b: [2n, null, undefined] }] }, [[[]]], { deep: { deeper: { deepest: 'x' } } }],
  'sparse arrays': [[1, , 3], new Array(5)],
  pairs: [
    ['a', 1],
    ['b', 2],
  ],
  'pairs with null and mixed values': [
    ['a', null],
    [null, 'x'],
    [1, { nested: true }],
  ],
  'pairs of pairs': [
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ],
  'pairs and 3-element arrays mixed': [
    ['a', 1],
    ['b', 2, 3],
  ],
  'arrays with holes are not pairs': [
    [1, 2],
    [, 2],
  ],
  'flat objects': [
    { word: 'a', count: 1, ok: true },
    { word: 'b', count: 2, ok: false },
  ],
  'objects with nested values': [
    { a: [1], b: new Date(5) },
    { a: null, b: undefined },
  ],
  'objects with different key orders': [
    { a: 1, b: 2 },
    { b: 2, a: 1 },
  ],
  'objects with different keys': [{ a: 1 }, { a: 1, b: 2 }],
  'empty objects': [{}, {}],
  'integer-like keys': [
    { '1': 'x', b: 2 },
    { '1': 'y', b: 3 },
  ],
  'a key named __proto__': [JSON.parse('{"__proto__": 1, "x": 2}'), JSON.parse('{"__proto__": 3, "x": 4}')],
};

for (const [name, records] of Object.entries(cases)) {
  test(`round-trips ${name}`, () => {
    const block = encodeBlock(records);
    verifyBlock(block, name);
    const decoded = decodeBlock(block);
    assert.deepStrictEqual(decoded, records);
    const visited: unknown[] = [];
    forEachRecord(block, (record, row) => {
      assert.equal(row, visited.length);
      visited.push(record);
    });
    assert.deepStrictEqual(visited, records);
  });
}

test('keeps -0 and NaN bit-exact in f64 columns', () => {
  const [negativeZero, nan] = decodeBlock(encodeBlock([-0, NaN, 1.5])) as number[];
  assert.ok(Object.is(negativeZero, -0));
  assert.ok(Number.isNaN(nan));
});

test('class instances come back as plain objects, as after structuredClone', () => {
  class Point {
    x = 1;
    y = 2;
  }
  assert.deepStrictEqual(decodeBlock(encodeBlock([new Point()])), [{ x: 1, y: 2 }]);
});

test('a key named __proto__ stays an own property and does not change the prototype', () => {
  const [record] = decodeBlock(encodeBlock([JSON.parse('{"__proto__": 1, "x": 2}')])) as object[];
  assert.equal(Object.getPrototypeOf(record), Object.prototype);
  assert.deepEqual(Object.keys(record!), ['__proto__', 'x']);
});

test('null-prototype objects come back as plain objects with the same fields', () => {
  const source = Object.assign(Object.create(null) as object, { a: 1, b: 'x' });
  const block = encodeBlock([source]);
  assert.deepEqual(block.shape, { kind: 'object', fields: ['a', 'b'] });
  assert.deepStrictEqual(decodeBlock(block), [{ a: 1, b: 'x' }]);
});

test('rejects functions with an error naming the record and column', () => {
  assert.throws(
    () =>
      encodeBlock([
        ['k', 1],
        ['k', () => 1],
      ]),
    (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as { code?: string }).code, 'ERR_INPUT_INVALID_RECORD');
      assert.match(error.message, /record 1, column 'value'/);
      return true;
    },
  );
});

test('round-trips blocks larger than one decode chunk', () => {
  for (const rows of [4095, 4096, 4097, 10_000]) {
    const records = Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? [`k${i}`, null] : [`k${i}`, i]));
    const block = encodeBlock(records);
    assert.deepStrictEqual(decodeBlock(block), records);
    let count = 0;
    forEachRecord(block, (record, row) => {
      assert.deepStrictEqual(record, records[row]);
      count++;
    });
    assert.equal(count, rows);
  }
});

test('an encode inside a getter during another encode does not corrupt either block', () => {
  const inner: unknown[] = [];
  const tricky = {
    get value(): string {
      inner.push(decodeBlock(encodeBlock(['inner', 'strings', 'ü'])));
      return 'outer';
    },
  };
  // v8.serialize reads the getter while the outer encode is staging its binary column.
  const records = ['é', 1, tricky];
  const decoded = decodeBlock(encodeBlock(records));
  assert.deepStrictEqual(decoded, ['é', 1, { value: 'outer' }]);
  assert.deepStrictEqual(inner, [['inner', 'strings', 'ü']]);
});
