// writeLinesFile: one record per line, streamed through a buffer, parents created, nothing partial left behind.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { OutputError } from '../../src/common/errors.js';
import { WRITE_BUFFER_BYTES, writeLinesFile } from '../../src/io/text/lines-file.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const dir = makeTempDir('write-lines');
after(() => removeTempDir(dir));

test('each record is String(record) plus a newline; rows and bytes are reported', () => {
  const path = join(dir, 'basic', 'nested', 'out.txt');
  const written = writeLinesFile(path, ['a', 1, null, undefined, 10n, { k: 1 }, [1, 2], 'é😀', '']);
  const expected = 'a\n1\nnull\nundefined\n10\n[object Object]\n1,2\né😀\n\n';
  assert.equal(readFileSync(path, 'utf8'), expected);
  assert.deepEqual(written, { rows: 9, bytes: Buffer.byteLength(expected) });
});

test('many records cross buffer flushes; a record larger than the buffer is written whole', () => {
  const path = join(dir, 'big.txt');
  const huge = 'é'.repeat(WRITE_BUFFER_BYTES); // 2 MiB of UTF-8: more than the buffer
  function* records(): Generator<string> {
    for (let i = 0; i < 200_000; i++) yield `line ${i} ${'x'.repeat(i % 13)}`;
    yield huge;
    yield 'after';
  }
  const written = writeLinesFile(path, records());
  const lines = readFileSync(path, 'utf8').split('\n');
  assert.equal(written.rows, 200_002);
  assert.equal(lines.length, 200_003); // the file ends in '\n'
  assert.equal(lines[123_456], `line 123456 ${'x'.repeat(123_456 % 13)}`);
  assert.equal(lines[200_000], huge);
  assert.equal(lines[200_001], 'after');
  assert.equal(written.bytes, readFileSync(path).length);
});

test('an existing file is replaced; no records make an empty file', () => {
  const path = join(dir, 'replaced.txt');
  writeFileSync(path, 'old content that is longer\n');
  assert.deepEqual(writeLinesFile(path, []), { rows: 0, bytes: 0 });
  assert.equal(readFileSync(path, 'utf8'), '');
});

test('an error from the records passes through unchanged and the partial file is removed', () => {
  const path = join(dir, 'failing.txt');
  const boom = new Error('user function failed');
  function* records(): Generator<string> {
    for (let i = 0; i < 100_000; i++) yield `row ${i}`;
    throw boom;
  }
  assert.throws(
    () => writeLinesFile(path, records()),
    (error: unknown) => error === boom,
  );
  assert.equal(existsSync(path), false);
});

test('a path that cannot be created is ERR_OUTPUT_FAILED naming it', () => {
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, '');
  const path = join(blocker, 'child.txt');
  assert.throws(
    () => writeLinesFile(path, ['x']),
    (error: unknown) =>
      error instanceof OutputError && error.code === 'ERR_OUTPUT_FAILED' && error.message.includes(path),
  );
});
