// Shared helpers of the io tests: temporary directories, random text files and an independent line splitter.
// (node --test also loads this file; it declares no tests.)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';

import type { Rng } from '../../src/common/rng.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import { readLines } from '../../src/io/text/line-reader.js';
import { readTextBatches } from '../../src/executor/columnar/sources/text-source.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/** Temporary directories (see test/support/temp-dir.ts for when they are removed). */
export { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/**
 * A maker of fresh, empty directories, one per test case, under a temporary root that is removed after the file's
 * tests.
 */
export function caseDirectories(label: string): () => string {
  const root = makeTempDir(label);
  after(() => removeTempDir(root));
  let count = 0;
  return () => {
    const dir = join(root, `case-${count++}`);
    mkdirSync(dir);
    return dir;
  };
}

/**
 * The lines of a whole file, computed independently of `readLines`: split the decoded text at `\r\n`, `\r` or `\n`;
 * a terminator at the very end does not start another line; a leading UTF-8 BOM is dropped.
 */
export function referenceLines(bytes: Buffer): string[] {
  const text = bytes.toString('utf8');
  if (text === '') return [];
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  return lines;
}

/** Reads every split in order and concatenates their lines. */
export function linesOfSplits(splits: readonly TextSplit[], chunkBytes: number): string[] {
  const lines: string[] = [];
  for (const split of splits) for (const line of readLines(split, { chunkBytes })) lines.push(line);
  return lines;
}

// ignoreBOM: keep a BOM inside the text (TextDecoder drops a leading one by default; the reader decides that).
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Reads every split in order through the columnar reader (`readText`'s), batches of `batchBytes`, decoding lines
 * (each batch before the next is read, as `reuseBuffer` asks).
 */
export function columnarLinesOfSplits(splits: readonly TextSplit[], batchBytes: number, reuseBuffer = false): string[] {
  const lines: string[] = [];
  for (const split of splits) {
    for (const batch of readTextBatches(split, () => {}, undefined, batchBytes, undefined, reuseBuffer)) {
      const column = batch.columns[0];
      if (column?.type !== 'utf8') throw new Error(`expected a utf8 column, found ${column?.type}`);
      for (let r = 0; r < batch.rows; r++)
        lines.push(utf8.decode(column.bytes.subarray(column.starts[r], column.ends[r])));
    }
  }
  return lines;
}

/** Contiguous splits of exactly `splitBytes` (the last one shorter), without Hadoop's 10 % slop. */
export function exactSplits(path: string, size: number, splitBytes: number): TextSplit[] {
  const splits: TextSplit[] = [];
  for (let start = 0; start < size; start += splitBytes) {
    splits.push({ path, start, length: Math.min(splitBytes, size - start) });
  }
  return splits;
}

const words = ['a', 'bc', 'def', 'x y', 'é', 'ñandú', '€', '中文', '😀', 'a😀b', '\u{10FFFF}', ' ', '\t'];
const terminators = ['\n', '\r\n', '\r'];

/**
 * A random text file as bytes: words with 2-, 3- and 4-byte UTF-8 characters, every terminator kind, runs of empty
 * lines and `\r\r\n`-like runs, some lines much longer than `longLineChars`, sometimes a BOM, sometimes no final
 * terminator. Aims at roughly `targetChars` characters.
 */
export function randomTextFile(rng: Rng, targetChars: number, longLineChars: number): Buffer {
  let text = rng.nextInt(8) === 0 ? '\uFEFF' : '';
  while (text.length < targetChars) {
    const kind = rng.nextInt(10);
    if (kind < 5) text += words[rng.nextInt(words.length)];
    else if (kind < 8) text += terminators[rng.nextInt(terminators.length)];
    else if (kind === 8) text += terminators[rng.nextInt(terminators.length)]!.repeat(1 + rng.nextInt(4));
    else {
      const length = longLineChars + rng.nextInt(longLineChars * 2);
      for (let i = 0; i < length; i++) text += words[rng.nextInt(words.length)];
    }
  }
  if (rng.nextInt(2) === 0) text += terminators[rng.nextInt(terminators.length)];
  return Buffer.from(text, 'utf8');
}
