// countWhitespaceTokens scans rows 32 bytes at a time (a space mask per block) and the rest byte by byte: its
// tokens and line ends must be the same wherever a block boundary falls: a multi-byte space or a CR LF across it, a
// token across it or ending at it, a row that ends inside a block, bytes that look like a multi-byte space's start
// and are not one. Checked against `split(/\s+/)` in a Map and a count of the line ends of each row. SEED= replays.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { ByteKeyCounter } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { countWhitespaceTokens } from '../../../src/executor/columnar/kernels/count-tokens.js';
import { countedKeys } from './counted-keys.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('count-tokens-scans-32-byte-blocks');

/** Every `\s` character outside ASCII (2 and 3 UTF-8 bytes), as JavaScript defines them. */
const WIDE_SPACES = Array.from({ length: 0xd800 - 0x80 }, (_, i) => String.fromCharCode(0x80 + i))
  .concat(Array.from({ length: 0x10000 - 0xe000 }, (_, i) => String.fromCharCode(0xe000 + i)))
  .filter((char) => /\s/.test(char));
/** Characters whose UTF-8 starts with a byte a multi-byte space may start with, and that are not spaces. */
const LOOK_ALIKES = ['\u00a1', '\u00c0', '\u1681', '\u2010', '\u200b', '\u2030', '\u3001', '\ufefe', '\u30a2'];
const ASCII_SPACES = [' ', '\t', '\n', '\r', '\r\n', '\v', '\f'];
const GAP = Uint8Array.of(0x0a, 0x78, 0x20, 0x78);
const WORD_CHARS = ['a', 'b', 'Z', '9', '-', 'é', '😀', ...LOOK_ALIKES];

/**
 * `rows` as one column, the rows' bytes apart: before each row and after the last, "\nx x", which the scan counts
 * only if it read past a row's bounds (an LF right after a row ending in CR makes that CR's line end depend on them).
 */
function columnOf(rows: readonly string[]): Utf8Column {
  const parts = rows.map((row) => Buffer.from(row, 'utf8'));
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length + 4, 4));
  const starts = new Int32Array(rows.length);
  const ends = new Int32Array(rows.length);
  let at = 0;
  parts.forEach((part, i) => {
    bytes.set(GAP, at);
    at += GAP.length;
    bytes.set(part, at);
    starts[i] = at;
    at += part.length;
    ends[i] = at;
  });
  bytes.set(GAP, at);
  return { type: 'utf8', bytes, starts, ends };
}

function expectedCounts(rows: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const row of rows)
    for (const word of row.split(/\s+/)) if (word !== '') counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Line ends of the rows: each `\n`, and each `\r` not followed by `\n` in its row. */
function expectedLineEnds(rows: readonly string[]): number {
  return rows.reduce((sum, row) => sum + (row.match(/\n|\r(?!\n)/g)?.length ?? 0), 0);
}

function check(rows: readonly string[], label: string): void {
  const counter = new ByteKeyCounter(16);
  const lineEnds = countWhitespaceTokens(columnOf(rows), rows.length, counter);
  assert.deepEqual(countedKeys(counter), expectedCounts(rows), label);
  assert.equal(lineEnds, expectedLineEnds(rows), `${label}: line ends`);
}

test(`every multi-byte space (${WIDE_SPACES.length}), CR LF and look-alike at every offset around the first two block boundaries`, () => {
  for (const separator of [...WIDE_SPACES, ...ASCII_SPACES, ...LOOK_ALIKES])
    for (let offset = 0; offset <= 70; offset++) {
      const rows = [`${'a'.repeat(offset)}${separator}${'b'.repeat(80 - offset)}`];
      // The same with a space before the separator, and as the row's last characters (its tail or a full block).
      rows.push(`${'c'.repeat(offset)} ${separator}d`, `${'e'.repeat(offset)}${separator}`);
      check(rows, `separator U+${separator.codePointAt(0)!.toString(16)} at byte ${offset}`);
    }
});

test(`random rows of words and every kind of space count as split(/\\s+/) (seed ${seed})`, () => {
  const rng = new Rng(seed);
  for (let round = 0; round < 40; round++) {
    const rows = Array.from({ length: 1 + rng.nextInt(20) }, () => {
      let row = '';
      const length = rng.nextInt(300);
      while (row.length < length) {
        const kind = rng.nextInt(10);
        if (kind < 6) row += WORD_CHARS[rng.nextInt(WORD_CHARS.length)];
        else if (kind < 9) row += ASCII_SPACES[rng.nextInt(ASCII_SPACES.length)];
        else row += WIDE_SPACES[rng.nextInt(WIDE_SPACES.length)];
      }
      return row;
    });
    check(rows, `round ${round} (seed ${seed})`);
  }
});

test('a long row of one word, of only spaces, and empty rows', () => {
  check(['w'.repeat(1000), ' '.repeat(1000), '', '\n'.repeat(65), `${'\r\n'.repeat(40)}x`], 'edge rows');
});
