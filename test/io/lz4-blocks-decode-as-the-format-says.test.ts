// io/lz4-block.ts against hand-made LZ4 blocks (the format's sequences: literals, a match that overlaps its own
// output, lengths of 15 and more carried in extra bytes) and damaged ones, each refused with what was wrong. DuckDB's
// LZ4_RAW Parquet pages are decoded end to end in test/columnar/duckdb-reads-what-we-write-and-back.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decodeLz4Block, Lz4BlockError } from '../../src/io/lz4-block.js';

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('latin1');
const bytesOf = (s: string) => [...Buffer.from(s, 'latin1')];

test('literals only, a match that overlaps what it writes, and long lengths in extra bytes', () => {
  assert.equal(text(decodeLz4Block(Uint8Array.of(0x50, ...bytesOf('hello')), 5)), 'hello');
  // 'ab', then a match of 4 + 4 = 8 bytes at offset 2 (repeats 'ab' four times), then the literals 'c'.
  assert.equal(
    text(decodeLz4Block(Uint8Array.of(0x24, ...bytesOf('ab'), 2, 0, 0x10, ...bytesOf('c')), 11)),
    'ababababab' + 'c',
  );
  // 20 literals (15 + 5 in an extra byte), then a match of 4 + 15 + 255 + 3 = 277 bytes at offset 1, then 'z'.
  const long = Uint8Array.of(0xff, 5, ...bytesOf('x'.repeat(20)), 1, 0, 255, 3, 0x10, ...bytesOf('z'));
  assert.equal(text(decodeLz4Block(long, 20 + 277 + 1)), 'x'.repeat(297) + 'z');
  assert.equal(decodeLz4Block(Uint8Array.of(0x00), 0).length, 0);
});

test('a damaged block is refused, saying what was wrong', () => {
  const refused = (block: number[], length: number, why: RegExp) =>
    assert.throws(
      () => decodeLz4Block(Uint8Array.from(block), length),
      (error: unknown) => {
        assert.ok(error instanceof Lz4BlockError);
        assert.match(error.message, why);
        return true;
      },
    );
  refused([0x50, ...bytesOf('hel')], 5, /literals of 5 bytes run past the block/);
  refused([0x24, ...bytesOf('ab'), 3, 0, 0x00], 8, /match offset 3 at output byte 2/);
  refused([0x24, ...bytesOf('ab'), 0, 0, 0x00], 8, /match offset 0/);
  refused([0x24, ...bytesOf('ab'), 2], 8, /truncated at byte 4/);
  refused([0x24, ...bytesOf('ab'), 2, 0, 0x00], 5, /match of 8 bytes runs past the 5-byte output/);
  refused([0x50, ...bytesOf('hello')], 6, /decoded to 5 bytes, expected 6/);
  refused([0xf0, 255], 300, /truncated/);
});
