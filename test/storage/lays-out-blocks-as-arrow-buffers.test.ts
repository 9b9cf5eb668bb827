// The bytes of a block follow Arrow's layouts, so other threads and Arrow itself can read them without copying.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Block, BufferRange } from '../../src/protocol/block.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';
import { crc32, crc32Portable } from '../../src/storage/blocks/crc32.js';

function bytesOf(block: Block, range: BufferRange | null): Uint8Array {
  assert.ok(range !== null);
  return new Uint8Array(block.buffer, range.offset, range.length);
}

test('puts every buffer 8-byte aligned, without overlap, inside one exactly-sized SharedArrayBuffer', () => {
  const block = encodeBlock([
    { s: 'a', n: 1, f: 0.5, b: true, big: 1n, v: undefined, z: null },
    { s: null, n: null, f: 2, b: null, big: null, v: [1], z: null },
    { s: 'ccc', n: 3, f: null, b: false, big: 3n, v: null, z: null },
  ]);
  assert.ok(block.buffer instanceof SharedArrayBuffer);
  assert.equal(block.buffer.byteLength, block.byteLength);
  const ranges = block.columns
    .flatMap((c) => [c.validity, c.offsets, c.data])
    .filter((r): r is BufferRange => r !== null)
    .sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const range of ranges) {
    assert.equal(range.offset % 8, 0);
    assert.ok(range.offset >= end, 'buffers overlap');
    end = range.offset + range.length;
  }
  assert.ok(end <= block.byteLength);
});

test('writes validity bitmaps LSB-first with a set bit meaning present', () => {
  const block = encodeBlock([1, null, 3, null, null, 6, 7, 8, 9]);
  const column = block.columns[0]!;
  assert.equal(column.type, 'i32');
  assert.equal(column.nullCount, 3);
  assert.deepEqual([...bytesOf(block, column.validity)], [0b11100101, 0b00000001]);
  assert.deepEqual([...new Int32Array(block.buffer, column.data!.offset, 9)], [1, 0, 3, 0, 0, 6, 7, 8, 9]);
});

test('leaves out the validity bitmap when nothing is null', () => {
  assert.equal(encodeBlock([1, 2]).columns[0]!.validity, null);
});

test('writes utf8 as rows + 1 int32 offsets over UTF-8 bytes', () => {
  const block = encodeBlock(['a', '', 'é', null, 'z']);
  const column = block.columns[0]!;
  assert.deepEqual([...new Int32Array(block.buffer, column.offsets!.offset, 6)], [0, 1, 1, 3, 3, 4]);
  assert.deepEqual([...bytesOf(block, column.data)], [0x61, 0xc3, 0xa9, 0x7a]);
});

test('writes booleans as bits', () => {
  const block = encodeBlock([true, false, true, true, false, false, false, false, true]);
  assert.deepEqual([...bytesOf(block, block.columns[0]!.data)], [0b00001101, 0b00000001]);
});

test('writes doubles and int64 as native little-endian arrays', () => {
  const doubles = encodeBlock([1.5, -0]);
  assert.deepEqual([...new Float64Array(doubles.buffer, doubles.columns[0]!.data!.offset, 2)], [1.5, -0]);
  const bigints = encodeBlock([-(2n ** 63n), 5n]);
  assert.deepEqual([...new BigInt64Array(bigints.buffer, bigints.columns[0]!.data!.offset, 2)], [-(2n ** 63n), 5n]);
});

test('writes one v8.serialize payload per non-null binary-v8 value', () => {
  const block = encodeBlock([undefined, null, { a: 1 }]);
  const column = block.columns[0]!;
  assert.equal(column.type, 'binary-v8');
  const offsets = new Int32Array(block.buffer, column.offsets!.offset, 4);
  assert.ok(offsets[1]! > 0, 'undefined has a payload');
  assert.equal(offsets[2], offsets[1], 'null has none');
});

test('records the CRC-32 of the bytes in use', () => {
  const block = encodeBlock([
    ['word', 1],
    ['other', 2],
  ]);
  const bytes = new Uint8Array(block.buffer, 0, block.byteLength);
  assert.equal(block.checksum, crc32Portable(bytes));
  assert.equal(block.checksum, crc32(bytes));
});

test('the portable CRC-32 matches the standard check value and the native one', () => {
  assert.equal(crc32Portable(Buffer.from('123456789')), 0xcbf43926);
  assert.equal(crc32Portable(new Uint8Array(0)), 0);
  const random = new Uint8Array(10_000).map((_, i) => (i * 2654435761) >>> 24);
  assert.equal(crc32Portable(random), crc32(random));
});
