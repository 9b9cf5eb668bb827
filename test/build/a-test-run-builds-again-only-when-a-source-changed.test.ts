// `npm test` (and test:chaos, test:browser) build only when dist/ was not built from exactly the current sources
// (scripts/build-stamp.mjs): CI's `npm ci` has just built in `prepare`, and building again cost ~50 s of its run. The
// stamp may only ever skip a build whose inputs are unchanged: this runs the script on a project folder of its own,
// whose `build` counts its runs, and checks that every kind of change (an edit, a new file, a deleted file, a
// changed tsconfig) builds again, an unchanged tree does not, and a build that failed leaves no stamp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../scripts/build-stamp.mjs', import.meta.url));

/** A project whose build appends a line to builds.log, writes the stamp, and fails when src/fail exists. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kindling-build-stamp-'));
  mkdirSync(join(dir, 'src'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
  writeFileSync(join(dir, 'tsconfig.json'), '{}\n');
  const build =
    `node -e "const fs=require('fs');if(fs.existsSync('src/fail'))process.exit(1);` +
    `fs.appendFileSync('builds.log','built\\\\n')" && node ${JSON.stringify(SCRIPT)} write`;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'p', private: true, scripts: { build } }));
  return dir;
}

function ensure(dir: string): { status: number | null; builds: number } {
  const run = spawnSync(process.execPath, [SCRIPT, 'ensure'], {
    cwd: dir,
    env: { ...process.env, KINDLING_BUILD_ROOT: dir },
    encoding: 'utf8',
  });
  const log = join(dir, 'builds.log');
  return { status: run.status, builds: existsSync(log) ? readFileSync(log, 'utf8').split('\n').length - 1 : 0 };
}

test('a test run builds when any input changed and only then', () => {
  const dir = project();
  try {
    assert.deepEqual(ensure(dir), { status: 0, builds: 1 }, 'no stamp yet: builds');
    assert.deepEqual(ensure(dir), { status: 0, builds: 1 }, 'nothing changed: not built again');
    writeFileSync(join(dir, 'src', 'a.ts'), 'export const a = 22;\n');
    assert.deepEqual(ensure(dir), { status: 0, builds: 2 }, 'an edited source: builds');
    writeFileSync(join(dir, 'src', 'b.ts'), 'export const b = 1;\n');
    assert.deepEqual(ensure(dir), { status: 0, builds: 3 }, 'a new source: builds');
    unlinkSync(join(dir, 'src', 'b.ts'));
    assert.deepEqual(ensure(dir), { status: 0, builds: 4 }, 'a deleted source: builds');
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": {} }\n');
    assert.deepEqual(ensure(dir), { status: 0, builds: 5 }, 'a changed tsconfig: builds');
    assert.deepEqual(ensure(dir), { status: 0, builds: 5 }, 'unchanged again: not built');
    // A failed build: the run fails, and since a real build first empties dist/, no stamp says it is up to date.
    rmSync(join(dir, 'dist', '.build-inputs.json'));
    writeFileSync(join(dir, 'src', 'fail'), '');
    assert.equal(ensure(dir).status, 1, 'a failing build fails the run');
    unlinkSync(join(dir, 'src', 'fail'));
    assert.deepEqual(ensure(dir), { status: 0, builds: 6 }, 'after a failed build: builds');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
