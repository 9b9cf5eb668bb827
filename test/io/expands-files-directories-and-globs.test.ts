// expandInputPaths: files, directories (Hadoop's hidden-file filter), globs, order and de-duplication.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';

import { expandInputPaths } from '../../src/io/files/expand-paths.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const root = makeTempDir('expand');
after(() => removeTempDir(root));

for (const file of [
  'a.txt',
  'b.txt',
  'c.log',
  '.hidden.txt',
  '_SUCCESS',
  'x[1].txt',
  'sub/d.txt',
  'sub/e.log',
  'sub/deeper/f.txt',
  'sub/.git/g.txt',
  '_tmp/h.txt',
  'brace/{x}.txt',
]) {
  const path = join(root, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `${file}\n`);
}
mkdirSync(join(root, 'empty-dir'));
symlinkSync(join(root, 'a.txt'), join(root, 'link-to-a.txt'));
symlinkSync(join(root, 'nowhere'), join(root, 'dangling.txt'));

const at = (...names: string[]): string[] => names.map((name) => join(root, name));
const expand = (...patterns: string[]): string[] => expandInputPaths(patterns.map((p) => join(root, p)));

test('a file is taken as is, hidden or not; a relative path resolves against the working directory', () => {
  assert.deepEqual(expand('a.txt'), at('a.txt'));
  assert.deepEqual(expand('_SUCCESS'), at('_SUCCESS'));
  assert.deepEqual(expandInputPaths([relative(process.cwd(), join(root, 'c.log'))]), at('c.log'));
});

test('a directory gives its visible regular files directly inside, sorted; links to files count', () => {
  assert.deepEqual(expand(''), at('a.txt', 'b.txt', 'c.log', 'link-to-a.txt', 'x[1].txt'));
  assert.deepEqual(expand('sub'), at('sub/d.txt', 'sub/e.log'));
  assert.deepEqual(expand('empty-dir'), []);
});

test('wildcards: *, ?, [..], [!..], {a,b}; hidden names only when the segment starts with . or _', () => {
  assert.deepEqual(expand('*.txt'), at('a.txt', 'b.txt', 'link-to-a.txt', 'x[1].txt'));
  assert.deepEqual(expand('?.txt'), at('a.txt', 'b.txt'));
  assert.deepEqual(expand('[ab].txt'), at('a.txt', 'b.txt'));
  assert.deepEqual(expand('[!a].*'), at('b.txt', 'c.log'));
  assert.deepEqual(expand('[^a-b].*'), at('c.log'));
  assert.deepEqual(expand('{a,c}.*'), at('a.txt', 'c.log'));
  assert.deepEqual(expand('{sub/*.log,c.*}'), at('c.log', 'sub/e.log'));
  assert.deepEqual(expand('.*.txt'), at('.hidden.txt'));
  assert.deepEqual(expand('_*'), at('_SUCCESS', '_tmp/h.txt'));
});

test('** spans any number of visible directories, including none', () => {
  assert.deepEqual(
    expand('**/*.txt'),
    at('a.txt', 'b.txt', 'brace/{x}.txt', 'link-to-a.txt', 'sub/d.txt', 'sub/deeper/f.txt', 'x[1].txt'),
  );
  assert.deepEqual(expand('sub/**'), at('sub/d.txt', 'sub/deeper/f.txt', 'sub/e.log'));
});

test('a matched directory contributes its files; dangling links are skipped', () => {
  assert.deepEqual(expand('sub/*'), at('sub/d.txt', 'sub/deeper/f.txt', 'sub/e.log'));
  // A dangling link is not a match at all (so a glob matching only it matches nothing).
  assert.ok(!expand('*.txt').includes(join(root, 'dangling.txt')));
  assert.throws(() => expand('dangl*'), { code: 'ERR_INPUT_NOT_FOUND' });
});

test('escapes, and glob characters in real names', () => {
  assert.deepEqual(expand('x\\[1\\].txt'), at('x[1].txt'));
  // No file is named "x1.txt", so the pattern falls back to the literal name.
  assert.deepEqual(expand('x[1].txt'), at('x[1].txt'));
  assert.deepEqual(expand('brace/\\{x\\}.txt'), at('brace/{x}.txt'));
});

test('entries keep their order; each path appears once, at its first occurrence', () => {
  assert.deepEqual(
    expand('b.txt', '*.txt', 'a.txt', 'sub'),
    at('b.txt', 'a.txt', 'link-to-a.txt', 'x[1].txt', 'sub/d.txt', 'sub/e.log'),
  );
  assert.deepEqual(expandInputPaths([]), []);
});
