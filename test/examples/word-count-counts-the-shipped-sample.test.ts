// With no paths, the CLI counts the sample corpus that ships with the project (found relative to the CLI file, not
// the working directory), says so on stderr, and prints the top 20.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { generateCorpusFiles } from '../../examples/word-count/generate-corpus.js';
import {
  byFrequency,
  makeTempDir,
  referenceCounts,
  removeTempDir,
  runCli,
  SAMPLE_DIR,
  tsv,
} from './word-count-fixtures.js';

const elsewhere = makeTempDir('sample-cwd');
after(() => removeTempDir(elsewhere));

test('the shipped sample is a few files of at most 3 MB in all', () => {
  const files = readdirSync(SAMPLE_DIR);
  const bytes = files.reduce((sum, name) => sum + statSync(join(SAMPLE_DIR, name)).size, 0);
  assert.ok(files.length >= 3, `expected a few files, found ${files.join(', ')}`);
  assert.ok(bytes > 1_000_000 && bytes <= 3_000_000, `expected 1–3 MB, found ${bytes} bytes`);
});

test('the shipped sample is what the generator writes for seed 2024 (so it can be remade, see make-corpus.ts)', () => {
  const remade = join(elsewhere, 'remade');
  generateCorpusFiles(remade, { bytes: 2 * 1024 * 1024, files: 4, seed: 2024 });
  assert.deepEqual(readdirSync(remade), readdirSync(SAMPLE_DIR));
  for (const name of readdirSync(SAMPLE_DIR)) {
    assert.ok(readFileSync(join(remade, name)).equals(readFileSync(join(SAMPLE_DIR, name))), name);
  }
});

test('with no paths, counts the shipped sample and prints its top 20', () => {
  const result = runCli([], { cwd: elsewhere });
  assert.equal(result.status, 0, result.stderr);
  const firstLine = result.stderr.split('\n')[0] ?? '';
  assert.match(firstLine, /sample corpus/);
  assert.ok(firstLine.includes(SAMPLE_DIR), `the first stderr line names ${SAMPLE_DIR}: ${firstLine}`);
  const files = readdirSync(SAMPLE_DIR).map((name) => join(SAMPLE_DIR, name));
  assert.equal(result.stdout, tsv(byFrequency(referenceCounts(files)).slice(0, 20)));
});

test('--quiet leaves stderr empty on success', () => {
  const result = runCli(['--quiet', '--top', '3'], { cwd: elsewhere });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.split('\n').length, 4);
  assert.equal(result.stderr, '');
});
