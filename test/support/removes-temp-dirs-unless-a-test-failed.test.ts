// The shared temp-dir helper: a test file's temporary directories are gone once its tests passed, and kept (their
// paths printed) when one failed. Each case runs a small test file in a child process whose OS temp folder (TMPDIR)
// is a directory of this test, so what the child left behind is exactly what that directory holds afterwards.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from './temp-dir.js';

const HELPER_URL = new URL('./temp-dir.js', import.meta.url).href;

/** Runs a child test file whose one test makes a file-level and a suite directory, then passes or fails. */
function runChild(fails: boolean): { left: string[]; stderr: string; status: number | null } {
  const tmp = makeTempDir('temp-dir-test');
  const script = join(tmp, 'child.mjs');
  writeFileSync(
    script,
    `import { test, describe } from 'node:test';
     import { writeFileSync } from 'node:fs';
     import { join } from 'node:path';
     import { makeTempDir, suiteTempDir } from ${JSON.stringify(HELPER_URL)};
     describe('suite', () => {
       const suiteDir = suiteTempDir('suite');
       test('writes into its directories', () => {
         writeFileSync(join(makeTempDir('file'), 'a.txt'), 'a');
         writeFileSync(join(suiteDir(), 'b.txt'), 'b');
         if (${String(fails)}) throw new Error('failed on purpose');
       });
     });`,
  );
  const result = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, TMPDIR: tmp } });
  const left = readdirSync(tmp)
    .filter((name) => name !== 'child.mjs')
    .sort();
  return { left, stderr: result.stderr + result.stdout, status: result.status };
}

test('a test file whose tests pass leaves none of its temporary directories behind', () => {
  const { left, status, stderr } = runChild(false);
  assert.equal(status, 0, stderr);
  assert.deepEqual(left, []);
});

test('a test file with a failed test keeps its temporary directories and prints their paths', () => {
  const { left, status, stderr } = runChild(true);
  assert.notEqual(status, 0);
  assert.equal(left.length, 2, `kept: ${left.join(', ')}`);
  assert.ok(left.some((name) => name.startsWith('kindling-file-')));
  assert.ok(left.some((name) => name.startsWith('kindling-suite-')));
  for (const name of left) assert.ok(stderr.includes(name), `the path of ${name} is printed:\n${stderr}`);
});
