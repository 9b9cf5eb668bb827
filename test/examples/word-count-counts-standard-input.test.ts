// `kindling-wordcount -` counts standard input: fed through a pipe in chunks cut mid-line and mid-character, its
// counts equal an independent count of the same bytes, alone and beside a file, on either engine; the temporary copy
// it counts is gone when the run ends; '-' twice is a usage error.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { parseWordCountArguments, UsageError } from '../../examples/word-count/parse-arguments.js';
import {
  byFrequency,
  CLI_PATH,
  makeTempDir,
  referenceCounts,
  removeTempDir,
  tsv,
  writeEdgeCaseFile,
  type CliResult,
} from './word-count-fixtures.js';

const seed = seedFromEnvironment();
let dir = '';
let piped = '';
let other = '';

before(() => {
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  dir = makeTempDir('wordcount-stdin');
  piped = join(dir, 'piped.txt');
  other = join(dir, 'other.txt');
  const rng = new Rng(seed);
  writeEdgeCaseFile(piped, rng, 300_000);
  writeEdgeCaseFile(other, rng, 50_000);
});
after(() => removeTempDir(dir));

/**
 * Runs the CLI with `input` written to its stdin pipe `chunkBytes` at a time (waiting for the pipe to drain), and
 * `TMPDIR` set to `tmp`, so what the run leaves in its temporary folder can be seen.
 */
async function runWithStdin(
  args: readonly string[],
  input: Buffer,
  tmp: string,
  chunkBytes: number,
): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp };
  delete env['KINDLING_DEBUG'];
  const child = spawn(process.execPath, [CLI_PATH, ...args], { env, stdio: 'pipe' });
  const closed = once(child, 'close');
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.on('error', () => {}); // a run that fails early closes its stdin: its status and stderr say why
  for (let at = 0; at < input.length; at += chunkBytes) {
    if (!child.stdin.write(input.subarray(at, at + chunkBytes))) await once(child.stdin, 'drain');
  }
  child.stdin.end();
  const [status] = (await closed) as [number | null];
  return { status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

for (const engine of ['columnar', 'rdd'] as const) {
  test(`'-' counts stdin through a pipe exactly, and its temporary copy is removed (${engine})`, async () => {
    const tmp = makeTempDir('wordcount-stdin-tmp');
    // 4,093 bytes: a prime, so chunks end mid-line and mid-character.
    const result = await runWithStdin(
      ['--engine', engine, '--threads', '2', '--top', '1000000', '-'],
      readFileSync(piped),
      tmp,
      4093,
    );
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, tsv(byFrequency(referenceCounts([piped]))));
    assert.deepEqual(readdirSync(tmp), []);
  });
}

test(`'-' beside a file counts both`, async () => {
  const tmp = makeTempDir('wordcount-stdin-tmp');
  const result = await runWithStdin(['--top', '1000000', other, '-'], readFileSync(piped), tmp, 65_536);
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout, tsv(byFrequency(referenceCounts([other, piped]))));
  assert.deepEqual(readdirSync(tmp), []);
});

test(`'-' twice is a usage error: stdin can be read once`, () => {
  assert.throws(
    () => parseWordCountArguments(['-', 'a.txt', '-'], { threads: 2 }),
    (error: unknown) =>
      error instanceof UsageError &&
      error.message === "'-' (standard input) is given more than once: it can be read only once",
  );
});
