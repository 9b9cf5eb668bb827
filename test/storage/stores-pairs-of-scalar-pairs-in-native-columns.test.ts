// Pairs whose key or value is a pair of scalars (a sortBy with a tuple key ships [[-n, word], [word, n]], a join
// [k, [v, w]]) get native columns per element instead of one v8 payload, and still come back exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { recordBatchToBlock } from '../../src/storage/arrow/arrow-to-block.js';
import { blockToRecordBatch } from '../../src/storage/arrow/block-to-arrow.js';
import { decodeBlock, decodeBlockRows } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';

function columnsOf(records: readonly unknown[]): string[] {
  return encodeBlock(records).columns.map((c) => `${c.name}:${c.type}`);
}

function throughIpc(records: readonly unknown[]): unknown[] {
  const table = tableFromIPC(tableToIPC(new Table(blockToRecordBatch(encodeBlock(records))), 'stream'));
  const block = recordBatchToBlock(table.batches[0]!);
  verifyBlock(block, 'read back from IPC');
  return decodeBlock(block);
}

const sortByTupleKey: [[number, string], [string, number]][] = [
  [
    [-9, 'the'],
    ['the', 9],
  ],
  [
    [-4, 'ünï'],
    ['ünï', 4],
  ],
  [
    [-4, '\u2028'],
    ['\u2028', 4],
  ],
];

test('a pair of scalar pairs is four native columns', () => {
  const block = encodeBlock(sortByTupleKey);
  assert.deepEqual(block.shape, { kind: 'nested-pair', keyPair: true, valuePair: true });
  assert.deepEqual(columnsOf(sortByTupleKey), ['key.0:i32', 'key.1:utf8', 'value.0:utf8', 'value.1:i32']);
  assert.deepStrictEqual(decodeBlock(block), sortByTupleKey);
});

test('only the side that is always a scalar pair is split', () => {
  const joined = [
    ['a', [1, 'x']],
    ['b', [2.5, null]],
  ];
  assert.deepEqual(columnsOf(joined), ['key:utf8', 'value.0:f64', 'value.1:utf8']);
  const keyed = [
    [[true, 1n], { any: 'thing' }],
    [[false, null], [1]],
  ];
  assert.deepEqual(columnsOf(keyed), ['key.0:bool', 'key.1:i64', 'value:binary-v8']);
  for (const records of [joined, keyed]) assert.deepStrictEqual(decodeBlock(encodeBlock(records)), records);
});

test('pairs whose inner pairs hold objects, holes or other lengths stay one v8 column', () => {
  const cases = [
    [[[1, { a: 1 }], 'x']],
    [[[1, [2]], 'x']],
    [
      [[1, 2], 'x'],
      ['not a pair', 'y'],
    ],
    [[[1, 2, 3], 'x']],
    // eslint-disable-next-line no-sparse-arrays -- a hole must come back as a hole, which only v8 keeps
    [[[1, ,], 'x']],
    [[[1, undefined], 'x']],
  ];
  for (const records of cases) {
    assert.deepEqual(encodeBlock(records).shape, { kind: 'pair' }, JSON.stringify(records));
    assert.deepStrictEqual(decodeBlock(encodeBlock(records)), records);
  }
});

test('special values in inner pairs come back exact', () => {
  const records = [
    [
      [-0, NaN],
      ['\ud800', 2n ** 64n],
    ],
    [
      [Infinity, null],
      [null, -(2n ** 63n)],
    ],
  ];
  const decoded = decodeBlock(encodeBlock(records)) as [[number, number], unknown][];
  assert.deepStrictEqual(decoded, records);
  assert.ok(Object.is(decoded[0]![0][0], -0));
});

test('rows read in place and across decode chunks rebuild the nested pairs', () => {
  const records = Array.from({ length: 10_000 }, (_, i) => [
    [-(i % 7), `w${i}`],
    [`w${i}`, i % 7],
  ]);
  const block = encodeBlock(records);
  assert.deepStrictEqual(decodeBlock(block), records);
  assert.deepStrictEqual(decodeBlockRows(block, 4090, 8200), records.slice(4090, 8200));
});

test('nested pairs round-trip through Arrow IPC, as spilled shuffle outputs do', () => {
  assert.deepStrictEqual(throughIpc(sortByTupleKey), sortByTupleKey);
  const valueOnly = [
    ['k', [1, 'a']],
    ['l', [2, 'b']],
  ];
  assert.deepStrictEqual(throughIpc(valueOnly), valueOnly);
  const keyOnly = [[['k', 1], new Date(0)]];
  assert.deepStrictEqual(throughIpc(keyOnly), keyOnly);
});
