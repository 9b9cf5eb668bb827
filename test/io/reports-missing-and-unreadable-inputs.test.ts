// expandInputPaths errors: missing paths, globs matching nothing, special files, permission denied.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { InputError } from '../../src/common/errors.js';
import { expandInputPaths } from '../../src/io/files/expand-paths.js';
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
 * The compiled sources, copied into the world-readable temp dir: the unprivileged child must be able to import
 * them, and the checkout may sit where only its owner can enter (root's home in a container, a `mktemp -d` dir).
 */
function modulesForEveryone(): string {
  const copy = join(root, 'modules');
  cpSync(join(import.meta.dirname, '../../src'), join(copy, 'src'), { recursive: true });
  writeFileSync(join(copy, 'package.json'), '{ "type": "module" }\n');
  // Modes are copied too, and a checkout made under umask 077 has files only their owner can read.
  chmodSync(copy, 0o755);
  for (const entry of readdirSync(copy, { recursive: true, withFileTypes: true })) {
    chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
  }
  return pathToFileURL(join(copy, 'src/io/files/expand-paths.js')).href;
}

/**
 * Runs expandInputPaths in a child process as an unprivileged user (root reads everything, so permission errors
 * cannot be seen as root) and returns the error code it threw, or 'none'; 'cannot-import' when the child cannot
 * even load the module (the temp dir itself lies under a directory closed to that user).
 */
function errorCodeWithoutPrivileges(moduleUrl: string, patterns: string[]): string {
  const script =
    `let expandInputPaths;` +
    `try { ({ expandInputPaths } = await import(${JSON.stringify(moduleUrl)})); }` +
    `catch { console.log('cannot-import'); process.exit(0); }` +
    `try { expandInputPaths(${JSON.stringify(patterns)}); console.log('none'); }` +
    `catch (e) { console.log(e.code ?? String(e)); }`;
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    cwd: root,
    ...asNobody,
  });
  if (child.error !== undefined) return 'cannot-import'; // e.g. EACCES entering its working directory
  assert.equal(child.status, 0, child.stderr);
  return child.stdout.trim();
}

test('an unreadable file or directory is ERR_INPUT_UNREADABLE', (t) => {
  const open = join(root, 'perm');
  mkdirSync(open);
  chmodSync(root, 0o755); // mkdtemp makes it 0700: the unprivileged child must be able to walk in
  const moduleUrl = modulesForEveryone();
  if (errorCodeWithoutPrivileges(moduleUrl, [root]) === 'cannot-import') {
    t.skip(`an unprivileged user cannot enter the temp dir ${root}: permission errors cannot be provoked as root`);
    return;
  }
  writeFileSync(join(open, 'readable.txt'), 'x\n');
  const secretFile = join(open, 'secret.txt');
  writeFileSync(secretFile, 'x\n');
  chmodSync(secretFile, 0o000);
  const closedDir = join(root, 'closed');
  mkdirSync(closedDir);
  writeFileSync(join(closedDir, 'inside.txt'), 'x\n');
  chmodSync(closedDir, 0o000);

  assert.equal(errorCodeWithoutPrivileges(moduleUrl, [join(open, 'readable.txt')]), 'none');
  assert.equal(errorCodeWithoutPrivileges(moduleUrl, [secretFile]), 'ERR_INPUT_UNREADABLE');
  assert.equal(errorCodeWithoutPrivileges(moduleUrl, [open]), 'ERR_INPUT_UNREADABLE');
  assert.equal(errorCodeWithoutPrivileges(moduleUrl, [closedDir]), 'ERR_INPUT_UNREADABLE');
  assert.equal(errorCodeWithoutPrivileges(moduleUrl, [join(closedDir, '*.txt')]), 'ERR_INPUT_UNREADABLE');
  chmodSync(closedDir, 0o755); // so the cleanup can remove it
});
