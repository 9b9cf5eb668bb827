// lineNumberAt names the line of a byte offset in error messages: it must count lines as the readers end them
// ('\n', '\r\n' and a lone '\r'), also where a '\r\n' straddles the 1 MiB chunks it reads.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { forEachLine } from '../../src/io/text/line-reader.js';
import { lineNumberAt } from '../../src/io/text/line-number.js';
import { makeTempDir, removeTempDir } from './io-fixtures.js';

const dir = makeTempDir('line-number');
after(() => removeTempDir(dir));

/** The number lineNumberAt gives each line the reader returns, in order. */
function numbersOfLines(path: string, bytes: number): (number | null)[] {
  const at = { lineOffset: 0 };
  const numbers: (number | null)[] = [];
  forEachLine({ path, start: 0, length: bytes }, { at }, () => numbers.push(lineNumberAt(path, at.lineOffset)));
  return numbers;
}

test('lines ended by \\n, \\r\\n and a lone \\r are numbered 1, 2, 3 … as the line reader returns them', () => {
  const path = join(dir, 'mixed.txt');
  const text = 'a\nb\r\nc\rd\r\re\n\nf';
  writeFileSync(path, text);
  assert.deepEqual(numbersOfLines(path, text.length), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('a \\r\\n split between two chunks of the count ends one line', () => {
  const path = join(dir, 'straddle.txt');
  const first = 'x'.repeat((1 << 20) - 1);
  writeFileSync(path, `${first}\r\ny\rz\n`);
  assert.equal(lineNumberAt(path, first.length + 2), 2);
  assert.equal(lineNumberAt(path, first.length + 4), 3);
});
