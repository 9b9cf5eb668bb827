// expandInputPaths errors: missing paths, globs matching nothing, special files, permission denied.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { InputError } from '../../src/common/errors.js';
import { expandInputPaths } from '../../src/io/expand-paths.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const root = makeTempDir('expand-errors');
after(() => removeTempDir(root));
writeFileSync(join(root, 'a.txt'), 'a\n');

function assertInputError(patterns: string[], code: string, mentions: string): void {
  assert.throws(
    () => expandInputPaths(patterns),
    (error: unknown) => error instanceof InputError && error.code === code && error.message.includes(mentions),
  );
}

test('a missing path is ERR_INPUT_NOT_FOUND naming it', () => {
  const missing = join(root, 'missing.txt');
  assertInputError([join(root, 'a.txt'), missing], 'ERR_INPUT_NOT_FOUND', missing);
  assertInputError([join(root, 'a.txt', 'below-a-file')], 'ERR_INPUT_NOT_FOUND', 'below-a-file');
  assertInputError([''], 'ERR_INPUT_NOT_FOUND', 'empty');
});

test('a glob matching nothing is ERR_INPUT_NOT_FOUND naming the pattern and where it looked', () => {
  const pattern = join(root, '*.csv');
  assertInputError([pattern], 'ERR_INPUT_NOT_FOUND', `'${pattern}'`);
  assertInputError([join(root, 'no-dir', '*', 'x')], 'ERR_INPUT_NOT_FOUND', join(root, 'no-dir'));
});

test('an explicit FIFO is ERR_INPUT_NOT_A_FILE; a glob skips it', (t) => {
  const fifo = join(root, 'pipe.txt');
  const made = spawnSync('mkfifo', [fifo]);
  if (made.status !== 0) {
    t.skip('mkfifo is not available');
    return;
  }
  assertInputError([fifo], 'ERR_INPUT_NOT_A_FILE', 'FIFO');
  assert.deepEqual(expandInputPaths([join(root, '*.txt')]), [join(root, 'a.txt')]);
});

/**
 * Runs expandInputPaths in a child process as an unprivileged user (root reads everything, so permission errors
 * cannot be seen as root) and returns the error code it threw, or 'none'.
 */
function errorCodeWithoutPrivileges(patterns: string[]): string {
  const moduleUrl = pathToFileURL(join(import.meta.dirname, '../../src/io/expand-paths.js')).href;
  const script =
    `import { expandInputPaths } from ${JSON.stringify(moduleUrl)};` +
    `try { expandInputPaths(${JSON.stringify(patterns)}); console.log('none'); }` +
    `catch (e) { console.log(e.code ?? String(e)); }`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', ...asNobody });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim();
}

test('an unreadable file or directory is ERR_INPUT_UNREADABLE', () => {
  const open = join(root, 'perm');
  mkdirSync(open);
  chmodSync(root, 0o755); // mkdtemp makes it 0700: the unprivileged child must be able to walk in
  writeFileSync(join(open, 'readable.txt'), 'x\n');
  const secretFile = join(open, 'secret.txt');
  writeFileSync(secretFile, 'x\n');
  chmodSync(secretFile, 0o000);
  const closedDir = join(root, 'closed');
  mkdirSync(closedDir);
  writeFileSync(join(closedDir, 'inside.txt'), 'x\n');
  chmodSync(closedDir, 0o000);

  assert.equal(errorCodeWithoutPrivileges([join(open, 'readable.txt')]), 'none');
  assert.equal(errorCodeWithoutPrivileges([secretFile]), 'ERR_INPUT_UNREADABLE');
  assert.equal(errorCodeWithoutPrivileges([open]), 'ERR_INPUT_UNREADABLE');
  assert.equal(errorCodeWithoutPrivileges([closedDir]), 'ERR_INPUT_UNREADABLE');
  assert.equal(errorCodeWithoutPrivileges([join(closedDir, '*.txt')]), 'ERR_INPUT_UNREADABLE');
  chmodSync(closedDir, 0o755); // so the cleanup can remove it
});
