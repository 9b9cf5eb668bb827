// Blocks are Arrow record batches: wrapped without copying, written as Arrow IPC, and read back exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  Binary,
  Field,
  Float32,
  Int32,
  RecordBatch,
  Schema,
  Table,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  Struct,
} from 'apache-arrow';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { recordBatchToBlock } from '../../src/storage/arrow/arrow-to-block.js';
import { blockToRecordBatch } from '../../src/storage/arrow/block-to-arrow.js';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { randomRecords } from './random-records.js';

function throughIpc(records: readonly unknown[], format: 'file' | 'stream'): unknown[] {
  const bytes = tableToIPC(new Table(blockToRecordBatch(encodeBlock(records))), format);
  const table = tableFromIPC(bytes);
  assert.equal(table.batches.length, 1);
  const block = recordBatchToBlock(table.batches[0]!);
  verifyBlock(block, 'read back from IPC');
  return decodeBlock(block);
}

const samples: Record<string, readonly unknown[]> = {
  'word counts': [
    ['the', 10],
    ['ünïcödé', null],
    [null, 3],
  ],
  'flat objects of every native type': [
    { i: 1, f: 1.5, b: true, big: 5n, s: 'x', n: null, v: undefined },
    { i: null, f: -0, b: null, big: null, s: null, n: null, v: new Map([[1, 2]]) },
    { i: 3, f: NaN, b: false, big: -(2n ** 63n), s: '😀', n: null, v: null },
  ],
  'scalars of mixed types': [1, 'a', null, undefined, [1, [2]]],
  'no records': [],
  'empty objects': [{}, {}, {}],
};

for (const [name, records] of Object.entries(samples)) {
  for (const format of ['file', 'stream'] as const) {
    test(`round-trips ${name} through Arrow IPC (${format} format)`, () => {
      assert.deepStrictEqual(throughIpc(records, format), records);
    });
  }
}

test('round-trips random records through Arrow IPC', () => {
  const seed = seedFromEnvironment();
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  const rng = new Rng(seed);
  for (let round = 0; round < 100; round++) {
    const { description, records } = randomRecords(rng, rng.nextInt(50));
    assert.deepStrictEqual(throughIpc(records, 'stream'), records, `seed ${seed}, round ${round}: ${description}`);
  }
});

test('wraps the block buffer without copying it', () => {
  const block = encodeBlock([
    ['a', 1],
    ['b', 2],
  ]);
  const batch = blockToRecordBatch(block);
  for (const child of batch.data.children) {
    assert.equal(child.values.buffer, block.buffer);
    if (child.valueOffsets !== undefined) assert.equal(child.valueOffsets.buffer, block.buffer);
  }
});

test('declares Arrow types, nullability and kindling metadata', () => {
  const batch = blockToRecordBatch(
    encodeBlock([
      { s: 'a', i: 1, f: 0.5, b: true, big: 1n, z: null, v: undefined },
      { s: null, i: 2, f: 1, b: false, big: 2n, z: null, v: 1n << 70n },
    ]),
  );
  assert.equal(batch.schema.metadata.get('kindling.shape'), 'object');
  assert.deepEqual(
    batch.schema.fields.map((f) => [f.name, String(f.type), f.nullable]),
    [
      ['s', 'Utf8', true],
      ['i', 'Int32', false],
      ['f', 'Float64', false],
      ['b', 'Bool', false],
      ['big', 'Int64', false],
      ['z', 'Null', true],
      ['v', 'Binary', false],
    ],
  );
  assert.equal(batch.schema.fields[6]!.metadata.get('kindling.encoding'), 'v8');
});

test('Arrow reads the same values the block holds', () => {
  const table = new Table(
    blockToRecordBatch(
      encodeBlock([
        { word: 'é', count: 1, big: 7n, ok: true },
        { word: null, count: null, big: null, ok: false },
      ]),
    ),
  );
  assert.deepEqual(table.getChild('word')!.toArray(), ['é', null]);
  assert.deepEqual([...table.getChild('count')!], [1, null]);
  assert.deepEqual([...table.getChild('big')!], [7n, null]);
  assert.deepEqual([...table.getChild('ok')!], [true, false]);
});

test('copies sliced batches, whose bitmaps start mid-byte', () => {
  const records = Array.from({ length: 40 }, (_, i) => ({
    s: i % 3 === 0 ? null : `s${i}`,
    b: i % 5 === 0 ? null : i % 2 === 0,
    n: i % 7 === 0 ? null : i * 1.5,
  }));
  const batch = blockToRecordBatch(encodeBlock(records));
  for (const [start, end] of [
    [3, 20],
    [8, 16],
    [13, 40],
    [0, 0],
  ] as const) {
    const block = recordBatchToBlock(batch.slice(start, end));
    verifyBlock(block, 'slice');
    assert.deepStrictEqual(decodeBlock(block), records.slice(start, end));
  }
});

test('reads a batch without kindling metadata as flat objects', () => {
  const word = vectorFromArray(['a', null], new Utf8());
  const count = makeVector(new Int32Array([1, 2]));
  const schema = new Schema([new Field('word', new Utf8(), true), new Field('count', new Int32(), false)]);
  const data = makeData({
    type: new Struct(schema.fields),
    length: 2,
    nullCount: 0,
    children: [word.data[0]!, count.data[0]!],
  });
  assert.deepStrictEqual(decodeBlock(recordBatchToBlock(new RecordBatch(schema, data))), [
    { word: 'a', count: 1 },
    { word: null, count: 2 },
  ]);
});

test('rejects Arrow types a block cannot hold, naming the column', () => {
  const floats = makeVector(new Float32Array([1.5]));
  const schema = new Schema([new Field('ratio', new Float32(), false)]);
  const data = makeData({ type: new Struct(schema.fields), length: 1, nullCount: 0, children: [floats.data[0]!] });
  assert.throws(() => recordBatchToBlock(new RecordBatch(schema, data)), /column 'ratio' has Arrow type Float32/);
});

test('rejects Binary columns not marked as v8 payloads', () => {
  const bytes = vectorFromArray([new Uint8Array([1, 2])], new Binary());
  const schema = new Schema([new Field('raw', new Binary(), false)]);
  const data = makeData({ type: new Struct(schema.fields), length: 1, nullCount: 0, children: [bytes.data[0]!] });
  assert.throws(() => recordBatchToBlock(new RecordBatch(schema, data)), /column 'raw' has Arrow type Binary/);
});

test('rejects a declared shape whose columns do not match', () => {
  const batch = blockToRecordBatch(encodeBlock([{ a: 1 }]));
  const schema = new Schema(batch.schema.fields, new Map([['kindling.shape', 'pair']]));
  assert.throws(
    () => recordBatchToBlock(new RecordBatch(schema, batch.data)),
    /needs columns \[key, value\], found \[a\]/,
  );
});
