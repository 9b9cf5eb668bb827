// readLines on hand-made files: which split owns which line, terminators, BOM, decoding, limits, errors, and
// that the file descriptor is closed however the reader ends.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { InputError } from '../../src/common/errors.js';
import { readLines } from '../../src/io/text/line-reader.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const dir = makeTempDir('line-reader');
after(() => removeTempDir(dir));

function fileWith(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function read(path: string, start: number, length: number, chunkBytes = 1024): string[] {
  return [...readLines({ path, start, length }, { chunkBytes })];
}

test('a line starting exactly at the split end belongs to that split; the next split skips it', () => {
  const path = fileWith('owner.txt', 'ab\ncd\nef');
  assert.deepEqual(read(path, 0, 3), ['ab', 'cd']);
  assert.deepEqual(read(path, 3, 3), ['ef']);
  assert.deepEqual(read(path, 6, 2), []);
});

test('a split boundary between \\r and \\n does not create an empty line or lose one', () => {
  const path = fileWith('crlf.txt', 'ab\r\ncd\r\nef');
  // Byte 3 is the '\n' of the first "\r\n": the second line starts at 4, after the first split's end.
  assert.deepEqual(read(path, 0, 3), ['ab']);
  assert.deepEqual(read(path, 3, 5), ['cd', 'ef']);
  for (const chunkBytes of [1, 2, 3]) {
    assert.deepEqual([...read(path, 0, 3, chunkBytes), ...read(path, 3, 5, chunkBytes)], ['ab', 'cd', 'ef']);
  }
});

test('\\n, \\r\\n and \\r all end lines; empty lines are kept; a final terminator adds no line', () => {
  const path = fileWith('mixed.txt', 'a\nb\r\nc\rd\n\n\r\r\ne\r');
  assert.deepEqual(read(path, 0, 100), ['a', 'b', 'c', 'd', '', '', '', 'e']);
  assert.deepEqual(read(fileWith('no-final.txt', 'x\ny'), 0, 3), ['x', 'y']);
  assert.deepEqual(read(fileWith('empty.txt', ''), 0, 0), []);
  assert.deepEqual(read(fileWith('only-newline.txt', '\n'), 0, 1), ['']);
});

test('a UTF-8 byte order mark is dropped at the start of the file only', () => {
  const path = fileWith('bom.txt', '\uFEFFfirst\n\uFEFFsecond\n');
  assert.deepEqual(read(path, 0, 100), ['first', '\uFEFFsecond']);
  assert.deepEqual(read(path, 0, 100, 1), ['first', '\uFEFFsecond']);
});

test('multi-byte characters decode whole across chunk boundaries; invalid bytes become U+FFFD', () => {
  const text = 'é€😀中\n\u{10FFFF}x\n';
  const path = fileWith('utf8.txt', text);
  for (const chunkBytes of [1, 2, 3, 5]) assert.deepEqual(read(path, 0, 100, chunkBytes), ['é€😀中', '\u{10FFFF}x']);
  const invalid = fileWith('invalid.txt', Buffer.from([0x61, 0xff, 0x62, 0x0a]));
  assert.deepEqual(read(invalid, 0, 4), ['a\uFFFDb']);
});

test('a line much longer than the chunk is read whole', () => {
  const long = 'x'.repeat(10_000);
  const path = fileWith('long.txt', `a\n${long}\nb`);
  assert.deepEqual(read(path, 0, 3, 7), ['a', long]);
  assert.deepEqual(read(path, 3, 10_000, 7), ['b']);
});

test('onBytes reports every byte read, per read call', () => {
  const path = fileWith('bytes.txt', 'abc\ndef\nghi\n');
  const calls: number[] = [];
  const lines = [...readLines({ path, start: 0, length: 12 }, { chunkBytes: 5, onBytes: (n) => calls.push(n) })];
  assert.deepEqual(lines, ['abc', 'def', 'ghi']);
  assert.deepEqual(calls, [5, 5, 2]);
});

test('a line longer than lineBytesMax throws ERR_INPUT_INVALID_RECORD naming the file and offset', () => {
  const path = fileWith('limit.txt', `ok\n${'y'.repeat(100)}\n`);
  const reader = readLines({ path, start: 0, length: 200 }, { chunkBytes: 8, lineBytesMax: 50 });
  assert.equal(reader.next().value, 'ok');
  assert.throws(
    () => reader.next(),
    (error: unknown) =>
      error instanceof InputError &&
      error.code === 'ERR_INPUT_INVALID_RECORD' &&
      error.message.includes(path) &&
      error.message.includes('byte offset 3'),
  );
  // The skipped first line of a later split is not subject to the limit: it belongs to the previous split.
  assert.deepEqual([...readLines({ path, start: 4, length: 200 }, { chunkBytes: 8, lineBytesMax: 50 })], []);
});

test('the file descriptor is closed when the reader finishes, is abandoned with return(), or throws', (t) => {
  if (!existsSync('/proc/self/fd')) {
    t.skip('needs /proc/self/fd to count open descriptors');
    return;
  }
  const path = fileWith('fds.txt', 'a\nb\nc\n');
  const openFds = (): number => readdirSync('/proc/self/fd').length;
  const before = openFds();
  for (let i = 0; i < 20; i++) {
    for (const line of readLines({ path, start: 0, length: 6 })) if (line === 'a') break;
    assert.equal([...readLines({ path, start: 0, length: 6 })].length, 3);
    assert.throws(() => [...readLines({ path, start: 0, length: 6 }, { lineBytesMax: 0 })], InputError);
  }
  assert.equal(openFds(), before);
});

function assertInputError(split: TextSplit, code: string, mentions: string): void {
  assert.throws(
    () => [...readLines(split)],
    (error: unknown) => error instanceof InputError && error.code === code && error.message.includes(mentions),
  );
}

test('missing files, directories and compressed files are InputErrors naming the path', () => {
  const missing = join(dir, 'does-not-exist.txt');
  assertInputError({ path: missing, start: 0, length: 1 }, 'ERR_INPUT_NOT_FOUND', missing);
  const subdir = join(dir, 'a-directory');
  mkdirSync(subdir);
  assertInputError({ path: subdir, start: 0, length: 1 }, 'ERR_INPUT_NOT_A_FILE', subdir);
  const gz = fileWith('data.txt.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
  assertInputError({ path: gz, start: 0, length: 4 }, 'ERR_INPUT_UNREADABLE', 'gzip');
});

test('the file opens lazily: creating the reader alone does not touch the file system', () => {
  const reader = readLines({ path: join(dir, 'not-yet.txt'), start: 0, length: 1 });
  fileWith('not-yet.txt', 'late\n');
  assert.deepEqual([...reader], ['late']);
});
