// THE invariant of the text reader: however a file is cut into contiguous splits, the lines of all splits,
// concatenated, are exactly the lines of the whole file, each once. Checked against an independent splitter, for
// textFile's line reader (pulled and pushed) and readText's columnar reader (with and without reusing its buffer).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';

import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { forEachLine, readLines } from '../../src/io/text/line-reader.js';
import { computeTextSplits } from '../../src/io/text/text-splits.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import {
  columnarLinesOfSplits,
  exactSplits,
  linesOfSplits,
  makeTempDir,
  randomTextFile,
  referenceLines,
  removeTempDir,
} from './io-fixtures.js';
import { sized } from '../support/test-scale.js';

const seed = seedFromEnvironment();
console.log('SEED=' + seed);
const dir = makeTempDir('invariant');
after(() => removeTempDir(dir));

const chunkSizes = [1, 2, 3, 7, 64, 1024 * 1024];
let fileCount = 0;

function writeCase(bytes: Buffer): string {
  const path = join(dir, `case-${fileCount++}.txt`);
  writeFileSync(path, bytes);
  return path;
}

function describeCase(bytes: Buffer, detail: string): string {
  return `SEED=${seed} ${detail} file=${JSON.stringify(bytes.toString('utf8'))}`;
}

/**
 * `assert.deepEqual` whose message (the whole file, quoted) is made only when the lines differ: made for each of
 * ~20,000 checks, it took most of this file's time.
 */
function assertLines(found: readonly string[], expected: readonly string[], bytes: Buffer, detail: string): void {
  if (!isDeepStrictEqual(found, expected)) assert.deepEqual(found, expected, describeCase(bytes, detail));
}

/**
 * Checks the whole-file read with every chunk size, then Hadoop's splits and exact splits for each split size in
 * `splitSizes`, each with a chunk size drawn from `chunkChoices`.
 */
function checkFile(bytes: Buffer, splitSizes: Iterable<number>, rng: Rng, chunkChoices = chunkSizes): void {
  const path = writeCase(bytes);
  const expected = referenceLines(bytes);
  const whole: TextSplit = { path, start: 0, length: bytes.length };
  for (const chunkBytes of chunkSizes) {
    let bytesRead = 0;
    const lines = [...readLines(whole, { chunkBytes, onBytes: (n) => (bytesRead += n) })];
    assertLines(lines, expected, bytes, `whole file, chunkBytes=${chunkBytes}`);
    if (bytesRead !== bytes.length)
      assert.equal(bytesRead, bytes.length, describeCase(bytes, 'onBytes of a whole-file read sums to the size'));
  }
  for (const splitBytes of splitSizes) {
    const chunkBytes = chunkChoices[rng.nextInt(chunkChoices.length)] ?? 1;
    const detail = `splitBytes=${splitBytes} chunkBytes=${chunkBytes}`;
    const hadoop = computeTextSplits([path], 1, { splitBytes });
    assertLines(linesOfSplits(hadoop, chunkBytes), expected, bytes, `Hadoop splits ${detail}`);
    const exact = exactSplits(path, bytes.length, splitBytes);
    assertLines(linesOfSplits(exact, chunkBytes), expected, bytes, `exact splits ${detail}`);
    // The pushed reader (what a task that takes every line uses) gives the same lines as the generator.
    const pushed: string[] = [];
    for (const split of hadoop) forEachLine(split, { chunkBytes }, (line) => pushed.push(line));
    assertLines(pushed, expected, bytes, `forEachLine, Hadoop splits ${detail}`);
    // readText's columnar reader keeps the same invariant (its batch size plays the chunk size's part).
    const columnar = columnarLinesOfSplits(exact, chunkBytes);
    assertLines(columnar, expected, bytes, `columnar reader, exact splits ${detail}`);
    // The CSV reader's way: one buffer for the whole split, each batch read before the next.
    const reused = columnarLinesOfSplits(exact, chunkBytes, true);
    assertLines(reused, expected, bytes, `columnar reader reusing its buffer, ${detail}`);
  }
}

function everySize(size: number): number[] {
  return Array.from({ length: size + 1 }, (_, i) => i + 1);
}

test('hand-picked edge cases: terminators only, BOM, CRLF runs, no final terminator', () => {
  const rng = new Rng(seed);
  const cases = [
    '',
    '\n',
    '\r',
    '\r\n',
    '\n\n\n',
    '\r\r\r',
    '\r\n\r\n',
    '\n\r',
    '\r\r\n\n\r',
    'a',
    'a\n',
    'a\r',
    'a\r\n',
    'a\r\nb',
    'a\rb\nc\r\nd',
    '\uFEFF',
    '\uFEFF\n',
    '\uFEFFa\r\nb',
    '\n\uFEFFnot-a-bom-here',
    'é\r€\n😀\r\n中',
    'x'.repeat(40) + '\r' + '\n'.repeat(3) + 'y'.repeat(17),
  ];
  for (const text of cases) {
    const bytes = Buffer.from(text, 'utf8');
    checkFile(bytes, everySize(bytes.length), rng);
  }
});

test('random small files: every split size from 1 byte to size + 1', () => {
  const rng = new Rng(seed);
  for (let i = 0; i < sized(40, 100); i++) {
    const bytes = randomTextFile(rng, 1 + rng.nextInt(50), 8);
    checkFile(bytes, everySize(bytes.length), rng);
  }
});

test('random larger files: a sample of split sizes, lines longer than splits and chunks', () => {
  const rng = new Rng(seed ^ 0x5a5a5a5a);
  for (let i = 0; i < sized(5, 12); i++) {
    const bytes = randomTextFile(rng, 2000 + rng.nextInt(20000), 200);
    // Split sizes from 50 bytes up and chunks from 64 bytes up (the whole-file reads still use every chunk size):
    // thousands of tiny splits each reading a long tail line 3 bytes at a time would take minutes, and the
    // small-file test already covers every split size down to 1 byte with every chunk size.
    const sizes = new Set([50, 51, bytes.length - 1, bytes.length, bytes.length + 1]);
    while (sizes.size < 25) sizes.add(50 + rng.nextInt(bytes.length - 48));
    checkFile(bytes, sizes, rng, [64, 4096, 1024 * 1024]);
  }
});

test('random cut points: any contiguous cutting of a file, not only equal sizes', () => {
  const rng = new Rng(seed ^ 0x13579bdf);
  for (let i = 0; i < 200; i++) {
    const bytes = randomTextFile(rng, 1 + rng.nextInt(300), 20);
    const path = writeCase(bytes);
    const cuts = new Set<number>([0, bytes.length]);
    const cutCount = rng.nextInt(Math.min(bytes.length, 30) + 1);
    for (let k = 0; k < cutCount; k++) cuts.add(rng.nextInt(bytes.length + 1));
    const points = [...cuts].sort((a, b) => a - b);
    const splits: TextSplit[] = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const start = points[k] ?? 0;
      splits.push({ path, start, length: (points[k + 1] ?? 0) - start });
    }
    // A zero-length split after offset 0 owns no line: it must contribute nothing and take nothing away.
    // (At offset 0 it would own the first line, as in Hadoop; split planning never makes one there.)
    if (bytes.length > 0) splits.push({ path, start: 1 + rng.nextInt(bytes.length), length: 0 });
    splits.sort((a, b) => a.start - b.start || a.length - b.length);
    const chunkBytes = chunkSizes[rng.nextInt(chunkSizes.length)] ?? 1;
    assertLines(
      linesOfSplits(splits, chunkBytes),
      referenceLines(bytes),
      bytes,
      `cuts=${points.join(',')} chunkBytes=${chunkBytes}`,
    );
  }
});
