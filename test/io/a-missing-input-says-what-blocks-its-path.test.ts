// A path under a regular file (`x.txt/data.csv`) or through a symbolic link to nothing read as "does not exist,
// found nothing at …", which sends the user looking for a missing file when the cause is a file where a folder
// should be, or a link whose target is gone. Every reader expands its paths through expandInputPaths, and a task
// that finds a file gone reports it through inputErrorFromFs: both now say what they found on the way.
import assert from 'node:assert/strict';
import { mkdirSync, openSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context, InputError } from '../../src/index.js';
import { expandInputPaths } from '../../src/io/files/expand-paths.js';
import { inputErrorFromFs } from '../../src/io/files/input-fs-error.js';
import { throwsWith } from '../api/helpers.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const root = makeTempDir('missing-input-cause');
const file = join(root, 'x.txt');
const danglingFile = join(root, 'link.csv');
const danglingDir = join(root, 'linked-folder');
let kc: Context;
before(() => {
  writeFileSync(file, 'a\n');
  mkdirSync(join(root, 'folder'));
  symlinkSync(join(root, 'gone.csv'), danglingFile);
  symlinkSync(join(root, 'gone-folder'), danglingDir);
  kc = new Context({ threads: 0 });
});
after(async () => {
  await kc.stop();
  removeTempDir(root);
});

/** Every reader of a path, as a user calls it. */
const READERS: readonly [string, (path: string) => unknown][] = [
  ['textFile', (path) => kc.textFile(path)],
  ['readText', (path) => kc.readText(path)],
  ['readCsv', (path) => kc.readCsv(path)],
  ['readJson', (path) => kc.readJson(path)],
  ['read.parquet', (path) => kc.read.parquet(path)],
  ['read.arrow', (path) => kc.read.arrow(path)],
];

function notFoundMessage(read: () => unknown): string {
  return throwsWith(read, InputError, 'ERR_INPUT_NOT_FOUND').message;
}

test('a path under a regular file says the file is not a folder, in every reader', () => {
  for (const path of [join(file, 'data.csv'), join(file, 'a', 'b.csv')]) {
    for (const [name, read] of READERS) {
      assert.equal(
        notFoundMessage(() => read(path)),
        `Input path '${path}' does not exist: '${file}' is a file, not a folder`,
        name,
      );
    }
  }
});

test('a symbolic link to nothing, or a path through one, names the link and its target', () => {
  for (const [name, read] of READERS) {
    assert.equal(
      notFoundMessage(() => read(danglingFile)),
      `Input path '${danglingFile}' does not exist: '${danglingFile}' is a symbolic link to ` +
        `'${join(root, 'gone.csv')}', which does not exist`,
      name,
    );
    const through = join(danglingDir, 'a.csv');
    assert.equal(
      notFoundMessage(() => read(through)),
      `Input path '${through}' does not exist: '${danglingDir}' is a symbolic link to ` +
        `'${join(root, 'gone-folder')}', which does not exist`,
      name,
    );
  }
});

test('a glob under a regular file says the file is not a folder', () => {
  const pattern = join(file, '*.csv');
  assert.equal(
    notFoundMessage(() => expandInputPaths([pattern])),
    `Input pattern '${pattern}' matches no files: expected at least one match, found none under ${file} ` +
      `('${file}' is a file, not a folder)`,
  );
});

test('a plain missing file keeps the plain message', () => {
  const missing = join(root, 'folder', 'missing.csv');
  assert.equal(
    notFoundMessage(() => expandInputPaths([missing])),
    `Input path '${missing}' does not exist: expected a file, a directory or a glob, found nothing at ${missing}`,
  );
});

test('a file a task cannot open says what blocks its path', () => {
  const path = join(file, 'part-00000.csv');
  let caught: unknown;
  try {
    openSync(path, 'r');
  } catch (error) {
    caught = error;
  }
  const error = inputErrorFromFs(caught, path, 'opening it');
  assert.equal(error.code, 'ERR_INPUT_NOT_FOUND');
  assert.equal(
    error.message,
    `Input path ${path} does not exist (ENOTDIR while opening it): '${file}' is a file, not a folder`,
  );
});
