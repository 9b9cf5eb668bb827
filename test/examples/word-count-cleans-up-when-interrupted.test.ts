import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { generateCorpus } from '../../examples/word-count/generate-corpus.js';
import { childEnded, waitUntil } from '../api/helpers.js';
import { CLI_PATH, makeTempDir, removeTempDir, SAMPLE_DIR } from './word-count-fixtures.js';

/**
 * `kindling-wordcount --out DIR` interrupted while it writes (issue 14): SIGINT (Ctrl-C) and SIGTERM abort the job,
 * remove its staging folder beside DIR and any spill folder, and exit with 130 / 143; DIR never appears. After a
 * SIGKILL, which nothing can catch, the next run to DIR removes the staging folder left behind and says so.
 * Each child counts a 16 MiB corpus with the RDD engine (seconds of work) and is signalled as soon as its staging
 * folder appears, i.e. in the middle of its only job.
 */

let root = '';
let corpus = '';
before(() => {
  root = makeTempDir('interrupted');
  corpus = join(root, 'corpus.txt');
  generateCorpus(corpus, { bytes: 16 * 1024 * 1024, seed: 14 });
});
after(() => removeTempDir(root));

/** A CLI run in the background, with its own TMPDIR (where its spill folder goes) and its output in `parent`. */
function startCli(parent: string, args: readonly string[]) {
  const tmpDir = join(parent, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmpDir };
  delete env['KINDLING_DEBUG'];
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  return { child, output, tmpDir, ended: childEnded(child) };
}

const staging = (parent: string) => readdirSync(parent).filter((name) => name.startsWith('.counts.kindling-staging-'));
const kindlingFolders = (tmpDir: string) => readdirSync(tmpDir).filter((name) => name.startsWith('kindling-'));

for (const [signal, status] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} while writing removes the staging folder and exits with ${status}`, async () => {
    const parent = join(root, signal);
    mkdirSync(parent);
    const out = join(parent, 'counts');
    const run = startCli(parent, [corpus, '--out', out, '--threads', '2', '--engine', 'rdd']);
    try {
      await waitUntil('the staging folder appears', () => staging(parent).length > 0);
    } finally {
      run.child.kill(signal);
    }
    assert.deepEqual(await run.ended, { code: status, signal: null }, run.output.stderr);
    assert.match(run.output.stderr, new RegExp(`${signal}: stopping the job and removing its temporary files`));
    assert.deepEqual(staging(parent), [], 'no staging folder left');
    // (The default memory budget keeps a 16 MiB count in memory: this holds whether or not it spilled.)
    assert.deepEqual(kindlingFolders(run.tmpDir), [], 'nothing of kindling left in TMPDIR');
    assert.equal(existsSync(out), false, 'the output never appears half-written');
  });
}

test('after SIGKILL the next run to the same output removes the staging folder left behind and says so', async () => {
  const parent = join(root, 'SIGKILL');
  mkdirSync(parent);
  const out = join(parent, 'counts');
  const killed = startCli(parent, [corpus, '--out', out, '--threads', '2', '--engine', 'rdd']);
  try {
    await waitUntil('the staging folder appears', () => staging(parent).length > 0);
  } finally {
    killed.child.kill('SIGKILL');
  }
  assert.deepEqual(await killed.ended, { code: null, signal: 'SIGKILL' });
  assert.equal(staging(parent).length, 1, 'SIGKILL cannot be caught: the staging folder stays');

  const next = startCli(parent, [SAMPLE_DIR, '--out', out, '--threads', '0']);
  assert.deepEqual(await next.ended, { code: 0, signal: null }, next.output.stderr);
  assert.match(next.output.stderr, /removed 1 temporary folder left by interrupted runs/);
  assert.deepEqual(staging(parent), []);
  assert.ok(existsSync(join(out, '_SUCCESS')));
});
