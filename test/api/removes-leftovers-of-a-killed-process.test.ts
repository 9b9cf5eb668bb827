import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { childEnded, temporaryDirectory, waitUntil } from './helpers.js';

/**
 * A process killed with SIGKILL while it writes cleans up nothing: its staging folder stays beside the target and
 * its spill folder in tmpDir (issue 14). The next write to the same target removes the staging folder, the next
 * Context's first job the spill folder, since their names say the process is gone; the job's metrics count them.
 */

const dir = temporaryDirectory('killed-writer');
const INDEX_URL = new URL('../../src/index.js', import.meta.url).href;

/**
 * The child: a save whose shuffle spills every map output (memoryBytesMax: 1) and whose result tasks then block for
 * good, so it is killed mid-write, never between jobs.
 */
const CHILD = `
import { Context } from '${INDEX_URL}';
const [tmpDir, target] = process.argv.slice(2);
const kc = new Context({ threads: 2, tmpDir, memoryBytesMax: 1, taskTimeoutMs: 0 });
const gate = new Int32Array(new SharedArrayBuffer(4));
await kc
  .parallelize(Array.from({ length: 100 }, (_, i) => i), 4)
  .map((x) => [x % 7, x])
  .reduceByKey((a, b) => a + b, 2)
  .map((pair) => { Atomics.wait(gate, 0, 0); return pair; }, { gate })
  .saveAsTextFile(target);
`;

const staging = (parent: string) => readdirSync(parent).filter((name) => name.startsWith('.out.kindling-staging-'));
const spill = (tmpDir: string) => readdirSync(tmpDir).filter((name) => name.startsWith('kindling-spill-'));

test('the next write removes the staging and spill folders of a writer killed with SIGKILL, and counts them', async () => {
  const tmpDir = join(dir(), 'tmp');
  mkdirSync(tmpDir);
  const target = join(dir(), 'out');
  const script = join(dir(), 'child.mjs');
  writeFileSync(script, CHILD);
  const child = spawn(process.execPath, [script, tmpDir, target], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = childEnded(child);
  try {
    // A result task was launched once the driver made its attempt folder: the shuffle has spilled by then.
    await waitUntil('a result task of the child runs', () => {
      // The staging folder is made before its `_temporary` folder: either may not exist yet.
      const [folder] = staging(dir());
      const attempts = folder === undefined ? null : join(dir(), folder, '_temporary');
      return attempts !== null && existsSync(attempts) && readdirSync(attempts).length > 0;
    });
  } finally {
    child.kill('SIGKILL');
  }
  assert.deepEqual(await ended, { code: null, signal: 'SIGKILL' }, stderr);
  assert.equal(staging(dir()).length, 1, 'the killed writer left its staging folder');
  assert.equal(spill(tmpDir).length, 1, 'the killed writer left its spill folder');
  assert.ok(readdirSync(join(tmpDir, spill(tmpDir)[0]!), { recursive: true }).length > 0, 'with spill files in it');

  const kc = new Context({ threads: 0, tmpDir });
  try {
    await kc.parallelize(['a', 'b'], 1).saveAsTextFile(target);
    assert.equal(kc.lastJobMetrics!.staleTempDirsRemoved, 2, 'one staging folder and one spill folder');
    assert.deepEqual(staging(dir()), []);
    assert.deepEqual(spill(tmpDir), []);
    assert.equal(readFileSync(join(target, 'part-00000'), 'utf8'), 'a\nb\n');
    await kc.range(3).count();
    assert.equal(kc.lastJobMetrics!.staleTempDirsRemoved, 0, 'tmpDir is swept once per Context');
  } finally {
    await kc.stop();
  }
});
