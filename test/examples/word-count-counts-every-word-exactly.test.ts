// The CLI's counts equal an independent count (whole files, split on /\s+/u, a Map) on a seeded corpus with
// multi-byte characters, CRLF and exotic whitespace, cut into so many partitions that splits fall mid-line and
// mid-character: for --top, for --out tsv and --out json, with --lower and --min-length, inline and on threads.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { generateCorpusFiles } from '../../examples/word-count/generate-corpus.js';
import {
  byFrequency,
  makeTempDir,
  referenceCounts,
  removeTempDir,
  runCli,
  tsv,
  writeEdgeCaseFile,
  type CliResult,
} from './word-count-fixtures.js';
import { sized } from '../support/test-scale.js';

const seed = seedFromEnvironment();
let dir = '';
let corpus = '';
let files: string[] = [];
let partitions = 0;

/** Split boundaries as the engine cuts them (Hadoop's rule, without the 10 % slop of the last split). */
function boundaries(sizes: readonly number[], minPartitions: number): { file: number; offset: number }[] {
  const splitBytes = Math.floor(sizes.reduce((a, b) => a + b, 0) / minPartitions);
  return sizes.flatMap((size, file) =>
    Array.from({ length: Math.floor((size - 1) / splitBytes) }, (_, k) => ({ file, offset: (k + 1) * splitBytes })),
  );
}

/** A partition count whose split boundaries fall inside lines and, at least twice, inside a UTF-8 character. */
function choosePartitions(contents: readonly Buffer[]): number {
  for (let p = 401; p < 601; p++) {
    const cuts = boundaries(
      contents.map((c) => c.length),
      p,
    );
    const midChar = cuts.filter(({ file, offset }) => (contents[file]![offset]! & 0xc0) === 0x80).length;
    const midLine = cuts.filter(({ file, offset }) => contents[file]![offset - 1] !== 0x0a).length;
    if (midChar >= 2 && midLine >= 10) return p;
  }
  throw new Error('no partition count in [401, 600] cuts a character: make the corpus more multi-byte');
}

function assertSuccess(result: CliResult): void {
  assert.equal(result.status, 0, `CLI failed: ${result.stderr}`);
}

before(() => {
  console.log(`seed ${seed} (rerun with SEED=${seed})`);
  dir = makeTempDir('exact');
  corpus = join(dir, 'corpus');
  // A small vocabulary, so many words repeat and counts tie, and one file of edge cases. 1 MiB (3 MiB at full size)
  // already has splits mid-line and mid-character (choosePartitions asks for them) and over 1,000 distinct words.
  generateCorpusFiles(corpus, { bytes: sized(1, 3) * 1024 * 1024, files: 4, seed, vocabularySize: 3000 });
  writeEdgeCaseFile(join(corpus, 'part-5.txt'), new Rng(seed), 200_000);
  files = readdirSync(corpus)
    .sort()
    .map((name) => join(corpus, name));
  partitions = choosePartitions(files.map((file) => readFileSync(file)));
});

after(() => removeTempDir(dir));

test('--top N prints the N most frequent words, identically inline (--threads 0) and on 2 threads', () => {
  const expected = tsv(byFrequency(referenceCounts(files)).slice(0, 200));
  const threaded = runCli([corpus, '--top', '200', '--partitions', String(partitions), '--threads', '2']);
  assertSuccess(threaded);
  assert.equal(threaded.stdout, expected);
  const inline = runCli([corpus, '--top', '200', '--partitions', String(partitions), '--threads', '0']);
  assertSuccess(inline);
  assert.equal(inline.stdout, threaded.stdout);
});

test('--engine rdd (closures) prints exactly what the default columnar engine prints, with and without --lower', () => {
  for (const flags of [[], ['--lower', '--min-length', '2']]) {
    const args = [corpus, '--top', '1000000', ...flags, '--partitions', String(partitions), '--threads', '2'];
    const columnar = runCli([...args, '--engine', 'columnar']);
    assertSuccess(columnar);
    const rdd = runCli([...args, '--engine', 'rdd']);
    assertSuccess(rdd);
    assert.equal(columnar.stdout, rdd.stdout, `flags ${flags.join(' ')}`);
    assert.ok(columnar.stdout.split('\n').length > 1000, 'the corpus has many distinct words');
  }
});

test('--out DIR writes every count as word<TAB>count part files in order, plus _SUCCESS', () => {
  const out = join(dir, 'out-tsv');
  const result = runCli([join(corpus, '*.txt'), '--out', out, '--partitions', String(partitions)]);
  assertSuccess(result);
  assert.equal(result.stdout, '', 'with --out and no --top, nothing is printed');
  const names = readdirSync(out).sort();
  assert.ok(existsSync(join(out, '_SUCCESS')));
  const parts = names.filter((name) => /^part-\d{5}$/.test(name));
  assert.equal(parts.length, names.length - 1, `unexpected files: ${names.join(', ')}`);
  const written = parts.map((name) => readFileSync(join(out, name), 'utf8')).join('');
  assert.equal(written, tsv(byFrequency(referenceCounts(files))));
});

test('--out DIR --format json --lower --min-length 3 writes DIR/counts.json with every count in order', () => {
  const out = join(dir, 'out-json');
  const args = [...files, '--out', out, '--format', 'json', '--lower', '--min-length', '3'];
  const result = runCli([...args, '--partitions', String(partitions), '--threads', '2']);
  assertSuccess(result);
  assert.deepEqual(readdirSync(out), ['counts.json']);
  const written: unknown = JSON.parse(readFileSync(join(out, 'counts.json'), 'utf8'));
  assert.deepEqual(written, byFrequency(referenceCounts(files, { lower: true, minLength: 3 })));
});

test('--min-length counts code points, not UTF-16 units, and --lower applies before it', () => {
  for (const [flags, options] of [
    [['--min-length', '2'], { minLength: 2 }],
    [['--lower', '--min-length', '2'], { lower: true, minLength: 2 }],
  ] as const) {
    const result = runCli([corpus, '--top', '1000000', ...flags, '--partitions', '7', '--threads', '2']);
    assertSuccess(result);
    const expected = referenceCounts(files, options);
    assert.equal(result.stdout, tsv(byFrequency(expected)), `flags ${flags.join(' ')}`);
    // The edge-case file holds these: the test must not pass vacuously.
    assert.ok(expected.has('😀😀') && !expected.has('😀'), '😀😀 has 2 code points (4 UTF-16 units), 😀 has 1');
  }
  const lowered = referenceCounts(files, { lower: true, minLength: 2 });
  assert.ok(lowered.has('i\u0307') && !lowered.has('İ'), "'İ' lower-cases to 2 code points, 'i' + U+0307");
});
