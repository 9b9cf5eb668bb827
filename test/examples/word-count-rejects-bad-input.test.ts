// Bad command lines and bad inputs end with one line `kindling-wordcount: <message>` on stderr and no stack trace:
// exit status 2 for usage errors, 1 for runtime errors. An existing output directory is left untouched.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { isOneErrorLine, makeTempDir, removeTempDir, runCli, SAMPLE_DIR } from './word-count-fixtures.js';

const dir = makeTempDir('bad-input');
after(() => removeTempDir(dir));

function assertFails(args: readonly string[], status: number, mentions: RegExp): void {
  const result = runCli(args, { cwd: dir });
  assert.equal(result.status, status, `${args.join(' ')}: stderr ${result.stderr}`);
  assert.ok(
    isOneErrorLine(result.stderr),
    `${args.join(' ')}: expected one error line, found ${JSON.stringify(result.stderr)}`,
  );
  assert.match(result.stderr, mentions);
  assert.equal(result.stdout, '');
}

test('a missing input path exits 1 and names the path', () => {
  assertFails(['no-such-file.txt'], 1, /no-such-file\.txt/);
  assertFails([SAMPLE_DIR, 'nothing-*.txt', '--top', '3'], 1, /nothing-\*\.txt/);
});

test('usage errors exit 2: unknown flag, non-numeric or missing N, unknown format, --format without --out', () => {
  assertFails(['--frobnicate'], 2, /unknown option '--frobnicate'/);
  assertFails(['--top', 'abc'], 2, /--top expects a non-negative integer, found 'abc'/);
  assertFails(['--threads', '1.5'], 2, /--threads/);
  assertFails(['--partitions', '0'], 2, /--partitions expects an integer >= 1/);
  assertFails(['--top'], 2, /--top expects a value/);
  assertFails(['--format', 'xml', '--out', join(dir, 'never')], 2, /--format expects tsv or json, found 'xml'/);
  assertFails(['--format', 'json'], 2, /--format applies to --out/);
});

test('an existing --out directory exits 1 and is left untouched, whatever the format', () => {
  const out = join(dir, 'existing');
  mkdirSync(out);
  writeFileSync(join(out, 'keep.txt'), 'precious');
  for (const format of ['tsv', 'json']) {
    assertFails([SAMPLE_DIR, '--out', out, '--format', format], 1, /already exists/);
    assert.deepEqual(readdirSync(out), ['keep.txt']);
    assert.equal(readFileSync(join(out, 'keep.txt'), 'utf8'), 'precious');
  }
  assert.deepEqual(readdirSync(dir).sort(), ['existing'], 'no staging directory is left next to it');
});

test('--help prints the usage and exits 0', () => {
  const result = runCli(['--help']);
  assert.equal(result.status, 0);
  assert.match(result.stdout, /^Usage: kindling-wordcount /);
  assert.match(result.stdout, /--min-length N/);
});
