// The byte-wise string kernels agree with JavaScript for every Unicode scalar value: whitespace (`\s`) for the
// split kernels, `toLowerCase()` for lower, `.length` and code points for length, `<` for the UTF-8 comparison.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Utf8Column } from '../../../src/executor/columnar/batches/batch.js';
import { ByteKeyCounter } from '../../../src/executor/columnar/kernels/byte-key-counter.js';
import { countWhitespaceTokens } from '../../../src/executor/columnar/kernels/count-tokens.js';
import { splitOnWhitespace } from '../../../src/executor/columnar/kernels/split-to-rows.js';
import { compareUtf8, lowerUtf8, utf8Lengths } from '../../../src/executor/columnar/kernels/utf8-strings.js';

/** Every scalar value (no lone surrogates, which UTF-8 cannot carry) as `prefix + char + suffix`, one per row. */
function everyCodePoint(prefix: string, suffix: string): { column: Utf8Column; chars: string[] } {
  const chars: string[] = [];
  for (let cp = 0; cp <= 0x10ffff; cp++) if (cp < 0xd800 || cp > 0xdfff) chars.push(String.fromCodePoint(cp));
  const parts = chars.map((ch) => Buffer.from(prefix + ch + suffix, 'utf8'));
  const bytes = Buffer.concat(parts);
  const starts = new Int32Array(parts.length);
  const ends = new Int32Array(parts.length);
  let at = 0;
  parts.forEach((part, i) => {
    starts[i] = at;
    at += part.length;
    ends[i] = at;
  });
  return { column: { type: 'utf8', bytes, starts, ends }, chars };
}

test('splitOnWhitespace and the fused counter split exactly where /\\s/ matches', () => {
  const { column, chars } = everyCodePoint('a', 'b');
  const split = splitOnWhitespace(column, chars.length);
  const tokensPerRow = new Int32Array(chars.length);
  for (let i = 0; i < split.rows; i++) tokensPerRow[split.parents[i]!]!++;
  const wrong = chars.filter((ch, i) => tokensPerRow[i] !== (/\s/.test(ch) ? 2 : 1));
  assert.deepEqual(
    wrong.map((ch) => ch.codePointAt(0)!.toString(16)),
    [],
  );
  const counter = new ByteKeyCounter();
  countWhitespaceTokens(column, chars.length, counter);
  const tokens = chars.reduce((sum, ch) => sum + (/\s/.test(ch) ? 2 : 1), 0);
  assert.equal(
    counter.entries().counts.reduce((sum, n) => sum + n, 0),
    tokens,
  );
});

test('lowerUtf8 equals toLowerCase, utf8Lengths equals .length and code points', () => {
  const { column, chars } = everyCodePoint('Ab', 'É');
  const lowered = lowerUtf8(column, chars.length);
  const units = utf8Lengths(column, chars.length, false);
  const points = utf8Lengths(column, chars.length, true);
  chars.forEach((ch, i) => {
    const value = `Ab${ch}É`;
    const got = Buffer.from(
      lowered.bytes.buffer,
      lowered.bytes.byteOffset + lowered.starts[i]!,
      lowered.ends[i]! - lowered.starts[i]!,
    );
    if (got.toString('utf8') !== value.toLowerCase()) assert.fail(`lower of U+${ch.codePointAt(0)!.toString(16)}`);
    if (units[i] !== value.length) assert.fail(`length of U+${ch.codePointAt(0)!.toString(16)}`);
    if (points[i] !== [...value].length) assert.fail(`code points of U+${ch.codePointAt(0)!.toString(16)}`);
  });
});

test('compareUtf8 orders like JS < (UTF-16 code units), astral against U+E000–U+FFFF included', () => {
  const samples = [
    '',
    'a',
    'b',
    'é',
    '\u07ff',
    '\u0800',
    '\ud7ff',
    '\ue000',
    '\uffff',
    '\u{10000}',
    '\u{1f600}',
    '\u{10ffff}',
  ];
  const withPrefix = samples.flatMap((s) => [s, `x${s}`, `${s}y`]);
  for (const a of withPrefix) {
    for (const b of withPrefix) {
      const x = Buffer.from(a);
      const y = Buffer.from(b);
      const got = Math.sign(compareUtf8(x, 0, x.length, y, 0, y.length));
      assert.equal(got, a < b ? -1 : a > b ? 1 : 0, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  }
});
