// A committed block is immutable and shared between threads: nothing decoded from it may write into it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBlock } from '../../src/storage/blocks/block-reader.js';
import { verifyBlock } from '../../src/storage/blocks/block-verify.js';
import { encodeBlock } from '../../src/storage/blocks/block-writer.js';

test('typed arrays decoded from v8 payloads own their memory', () => {
  const block = encodeBlock([new Uint8Array([1, 2, 3]), new Float64Array([1.5]), Buffer.from('abc')]);
  const decoded = decodeBlock(block) as Uint8Array[];
  for (const view of decoded) {
    assert.ok(!(view.buffer instanceof SharedArrayBuffer), 'must not view the shared block buffer');
    new Uint8Array(view.buffer, view.byteOffset, view.byteLength).fill(0xee);
  }
  verifyBlock(block, 'after writing into decoded values');
  assert.deepStrictEqual(decodeBlock(block), [new Uint8Array([1, 2, 3]), new Float64Array([1.5]), Buffer.from('abc')]);
});

test('each decode returns fresh records', () => {
  const block = encodeBlock([{ a: [1] }, { a: [2] }]);
  const first = decodeBlock(block) as { a: number[] }[];
  first[0]!.a.push(99);
  assert.deepStrictEqual(decodeBlock(block), [{ a: [1] }, { a: [2] }]);
});
