/**
 * Temporary directories of the tests: the one place a test makes a directory under the OS temp folder, so a suite run
 * any number of times leaves nothing behind there.
 *
 * Every directory made here is removed when the test file's process ends (its `exit` event, after every test and
 * hook has run, so after any child process a test killed with SIGKILL is dead and can no longer write into it) —
 * unless a test of the file failed: then every directory is kept and its path printed, so the failure can be
 * inspected. Removing at the end of the file rather than of the test is deliberate: many directories are made outside
 * any test (at module level, in `before` hooks, in fixtures shared by several tests), and only the end of the process
 * is after their last user and knows the outcome (node:test sets `process.exitCode` when a test failed). A test that
 * wants its directory gone sooner calls `removeTempDir`.
 * (node --test also loads this file, as it loads every file under a test/ folder; it declares no tests.)
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';

const made = new Set<string>();
let removalHooked = false;

/** A fresh empty directory `<os temp>/kindling-<label>-XXXXXX`, removed when the test file ends unless a test failed. */
export function makeTempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `kindling-${label}-`));
  made.add(dir);
  if (!removalHooked) {
    removalHooked = true;
    process.on('exit', removeOrKeepAll);
  }
  return dir;
}

/**
 * Removes `dir` (made by `makeTempDir`) now, for a test that is done with it before its file ends — unless a test of
 * the file has failed already: then it is kept, and printed at the end, with the others.
 */
export function removeTempDir(dir: string): void {
  if (aTestFailed()) return;
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  made.delete(dir);
}

/**
 * A fresh directory per suite: made in a `before` hook (so only when the suite runs), read through the returned
 * function inside its tests, removed like every other (see the file's comment).
 */
export function suiteTempDir(label: string): () => string {
  let dir: string | undefined;
  before(() => {
    dir = makeTempDir(label);
  });
  after(() => {
    if (dir !== undefined) removeTempDir(dir);
  });
  return () => {
    assert.ok(dir !== undefined, 'the directory is made in the before hook; use it inside a test');
    return dir;
  };
}

/** Whether a test of this file has failed so far (node:test sets the exit code as soon as one does). */
function aTestFailed(): boolean {
  const code = process.exitCode;
  return code !== undefined && Number(code) !== 0;
}

function removeOrKeepAll(code: number): void {
  if (made.size === 0) return;
  if (code !== 0 || aTestFailed()) {
    // A test that removed its directory itself (in a finally) has nothing left to show.
    for (const dir of made) {
      if (existsSync(dir)) process.stderr.write(`a test failed: kept its temporary directory ${dir}\n`);
    }
    return;
  }
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (error) {
      process.stderr.write(`could not remove temporary directory ${dir}: ${String(error)}\n`);
    }
  }
}
