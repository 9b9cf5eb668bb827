// readTextSpans (the fused word count's reader) gives, for every split of a file, exactly the whitespace tokens of
// the lines readTextBatches gives that split: every line terminator, a BOM, empty lines, multi-byte whitespace and
// words, lines and words (up to 8 KB) longer than a read, splits starting inside a '\r\n', tiny read sizes; and
// the same line-length error. The lines they count (the kernel's line ends plus each span's extraLines) are the
// lines readTextBatches reads, empty ones included. SEED= replays a run.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import type { Utf8Column } from '../../src/executor/columnar/batches/batch.js';
import { ByteKeyCounter } from '../../src/executor/columnar/kernels/byte-key-counter.js';
import { countWhitespaceTokens } from '../../src/executor/columnar/kernels/count-tokens.js';
import { readTextBatches } from '../../src/executor/columnar/sources/text-source.js';
import { readTextSpans } from '../../src/executor/columnar/sources/text-spans.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import { Rng, randomLine, testSeed } from './random-rows.js';
import { makeTempDir } from '../support/temp-dir.js';

const seed = testSeed('text-spans-hold-the-tokens-of-the-split-lines');
const rng = new Rng(seed);
const decoder = new TextDecoder();
const dir = makeTempDir('text-spans');
after(() => rmSync(dir, { recursive: true, force: true }));

const TERMINATORS = ['\n', '\r\n', '\r', '\n\n', '\r\r\n'];

function randomText(lines: number): string {
  let text = rng.nextInt(2) === 0 ? '\uFEFF' : '';
  for (let i = 0; i < lines; i++) {
    // Now and then a line far longer than the tiny reads below, or one very long multi-byte word.
    const kind = rng.nextInt(20);
    if (kind === 0) text += Array.from({ length: 30 }, () => randomLine(rng)).join(' ');
    else if (kind === 1) text += `${randomLine(rng)} ${'é😀x'.repeat(100 + rng.nextInt(900))} ${randomLine(rng)}`;
    else text += randomLine(rng);
    if (i < lines - 1 || rng.nextInt(2) === 0) text += TERMINATORS[rng.nextInt(TERMINATORS.length)];
  }
  return text;
}

function tokensOf(text: string): string[] {
  return text.split(/\s+/).filter((w) => w !== '');
}

function lineTokens(split: TextSplit, lineBytesMax: number): string[] {
  return linesOf(split, lineBytesMax).tokens;
}

function linesOf(split: TextSplit, lineBytesMax: number): { tokens: string[]; lines: number } {
  const tokens: string[] = [];
  let lines = 0;
  for (const batch of readTextBatches(split, () => {}, lineBytesMax, 64)) {
    lines += batch.rows;
    const column = batch.columns[0]!;
    if (column.type !== 'utf8') throw new Error('text batches are utf8');
    for (let i = 0; i < batch.rows; i++) {
      tokens.push(...tokensOf(decoder.decode(column.bytes.subarray(column.starts[i], column.ends[i]))));
    }
  }
  return { tokens, lines };
}

function spanTokens(
  split: TextSplit,
  lineBytesMax: number,
  batchBytes: number,
): { tokens: string[]; bytes: number; lines: number } {
  const tokens: string[] = [];
  let bytes = 0;
  let lines = 0;
  const counter = new ByteKeyCounter();
  for (const span of readTextSpans(split, (n) => (bytes += n), lineBytesMax, batchBytes)) {
    assert.ok(span.start <= span.end, 'a span is a range');
    tokens.push(...tokensOf(decoder.decode(span.bytes.subarray(span.start, span.end))));
    const column: Utf8Column = {
      type: 'utf8',
      bytes: span.bytes,
      starts: Int32Array.of(span.start),
      ends: Int32Array.of(span.end),
    };
    lines += countWhitespaceTokens(column, 1, counter) + span.extraLines;
  }
  return { tokens, bytes, lines };
}

/** Cuts `[0, fileBytes)` into splits at random offsets (some inside '\r\n', some a byte apart, some empty). */
function randomSplits(path: string, fileBytes: number): TextSplit[] {
  const cuts = new Set<number>([0, fileBytes]);
  const n = 1 + rng.nextInt(12);
  for (let i = 0; i < n; i++) cuts.add(rng.nextInt(fileBytes + 1));
  const sorted = [...cuts].sort((a, b) => a - b);
  return sorted.slice(1).map((end, i) => ({ path, start: sorted[i]!, length: end - sorted[i]! }));
}

test('the spans of every split hold exactly the tokens of its lines, and all splits the whole file', () => {
  for (let round = 0; round < 150; round++) {
    const text = randomText(1 + rng.nextInt(40));
    const path = join(dir, `text-${round}.txt`);
    writeFileSync(path, text);
    const fileBytes = Buffer.byteLength(text);
    let batchBytes = [1, 2, 7, 64, 4096][rng.nextInt(5)]!;
    const lineBytesMax = Math.max(fileBytes + 1, batchBytes); // no line too long
    // Now and then reads bigger than the line bound: the spans then come from readTextBatches.
    if (rng.nextInt(5) === 0) batchBytes = lineBytesMax + 1;
    const all: string[] = [];
    for (const split of randomSplits(path, fileBytes)) {
      const { tokens, bytes, lines } = spanTokens(split, lineBytesMax, batchBytes);
      const where = `SEED=${seed}, round ${round}, split ${split.start}+${split.length}, reads of ${batchBytes} bytes`;
      const expected = linesOf(split, lineBytesMax);
      assert.deepEqual(tokens, expected.tokens, where);
      assert.equal(lines, expected.lines, `${where}: the lines`);
      assert.ok(bytes >= Math.min(split.length, fileBytes - split.start), `${where}: the bytes read are reported`);
      all.push(...tokens);
    }
    // A BOM is whitespace to split(/\s+/): the model drops it as textFile does, the tokens agree either way.
    assert.deepEqual(all, tokensOf(text.replace(/^\uFEFF/, '')), `SEED=${seed}, round ${round}: every token once`);
  }
});

test('a line longer than lineBytesMax fails as readTextBatches fails, wherever the line lies', () => {
  for (let round = 0; round < 30; round++) {
    const long = 'x'.repeat(40 + rng.nextInt(200));
    const before = Array.from({ length: rng.nextInt(5) }, () => 'short line').join('\n');
    const text = `${before}${before === '' ? '' : '\n'}${long}${rng.nextInt(2) === 0 ? '\nend' : ''}`;
    const path = join(dir, `long-${round}.txt`);
    writeFileSync(path, text);
    const split: TextSplit = { path, start: 0, length: Buffer.byteLength(text) };
    const batchBytes = [4, 16, 32][rng.nextInt(3)]!;
    const lineBytesMax = batchBytes + rng.nextInt(long.length - batchBytes);
    const expected = (): unknown => lineTokens(split, lineBytesMax);
    assert.throws(expected, { code: 'ERR_INPUT_INVALID_RECORD' }, `SEED=${seed}, round ${round}: the model fails`);
    let message = '';
    try {
      expected();
    } catch (error) {
      message = (error as Error).message;
    }
    assert.throws(
      () => spanTokens(split, lineBytesMax, batchBytes),
      { code: 'ERR_INPUT_INVALID_RECORD', message },
      `SEED=${seed}, round ${round}: lineBytesMax ${lineBytesMax}, reads of ${batchBytes} bytes`,
    );
    // Below the read size every line is checked by the line reader.
    assert.throws(() => spanTokens(split, lineBytesMax, lineBytesMax + 1), { code: 'ERR_INPUT_INVALID_RECORD' });
    // And a bound the long line fits in reads it all.
    assert.deepEqual(spanTokens(split, long.length, batchBytes).tokens, tokensOf(text));
  }
});
