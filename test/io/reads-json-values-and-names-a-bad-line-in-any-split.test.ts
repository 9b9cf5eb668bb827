// The JSON values reader of `readStream.jsonlFiles`: however a file is cut into splits, the values of all splits are
// the values of the file's non-blank lines, each once; and a line that is not JSON is named by its file and line
// number by the one split that owns it, whichever split that is (the number is counted from the file's start).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { InputError } from '../../src/common/errors.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { forEachJsonValue, readJsonValues } from '../../src/io/text/json-line-values.js';
import type { TextSplit } from '../../src/protocol/pipeline.js';
import { exactSplits, makeTempDir, removeTempDir } from './io-fixtures.js';

const seed = seedFromEnvironment();
console.log('SEED=' + seed);
const dir = makeTempDir('json-values');
after(() => removeTempDir(dir));

const VALUES = ['{"a":1}', '[1,"é",null]', '3.5', '"s\\"x"', 'null', 'true', ' {"b":{"c":[]}} ', '"😀 中"'];
const BLANKS = ['', ' ', '\t  '];
const TERMINATORS = ['\n', '\r\n', '\r'];

/** A seeded file of JSON values and blank lines; with `badLine`, that line (1-based) is not JSON. */
function randomFile(rng: Rng, lines: number, badLine: number | null): { text: string; values: unknown[] } {
  let text = rng.nextFloat() < 0.3 ? '\uFEFF' : '';
  const values: unknown[] = [];
  for (let n = 1; n <= lines; n++) {
    let line: string;
    if (n === badLine) line = '{"w":';
    else if (rng.nextFloat() < 0.25) line = BLANKS[rng.nextInt(BLANKS.length)]!;
    else {
      line = VALUES[rng.nextInt(VALUES.length)]!;
      values.push(JSON.parse(line));
    }
    // After a lone '\r', an empty line must not end in '\n': the two would be one '\r\n' terminator.
    const terminators = line === '' && text.endsWith('\r') ? ['\r\n', '\r'] : TERMINATORS;
    text += line + (n < lines || rng.nextFloat() < 0.5 ? terminators[rng.nextInt(terminators.length)]! : '');
  }
  return { text, values };
}

/** The values of every split, pushed or pulled, and the errors they threw. */
function readSplits(splits: readonly TextSplit[], chunkBytes: number, pulled: boolean) {
  const values: unknown[] = [];
  const errors: unknown[] = [];
  for (const split of splits) {
    try {
      if (pulled) for (const value of readJsonValues(split, { chunkBytes })) values.push(value);
      else forEachJsonValue(split, { chunkBytes }, (value) => values.push(value));
    } catch (error) {
      errors.push(error);
    }
  }
  return { values, errors };
}

test('every way of cutting a file gives its values once, and the one bad line is named by file:line', () => {
  const rng = new Rng(seed);
  for (let i = 0; i < 40; i++) {
    const lines = 1 + rng.nextInt(12);
    const badLine = i % 2 === 0 ? null : 1 + rng.nextInt(lines);
    const { text, values } = randomFile(rng, lines, badLine);
    const path = join(dir, `case-${i}.jsonl`);
    writeFileSync(path, text);
    const bytes = Buffer.byteLength(text);
    for (let splitBytes = 1; splitBytes <= bytes + 1; splitBytes++) {
      const chunkBytes = [1, 3, 64, 1 << 20][rng.nextInt(4)]!;
      const detail = `SEED=${seed} case ${i} splitBytes=${splitBytes} chunkBytes=${chunkBytes} ${JSON.stringify(text)}`;
      for (const pulled of [false, true]) {
        const read = readSplits(exactSplits(path, bytes, splitBytes), chunkBytes, pulled);
        if (badLine === null) {
          assert.deepEqual(read.errors, [], detail);
          assert.deepEqual(read.values, values, detail);
          continue;
        }
        assert.equal(read.errors.length, 1, detail);
        const error = read.errors[0];
        assert.ok(error instanceof InputError && error.code === 'ERR_INPUT_INVALID_RECORD', `${detail}: ${error}`);
        assert.ok(error.message.startsWith(`${path}:${badLine}: `), `${detail}: ${error.message}`);
        assert.ok(error.message.includes('"{\\"w\\":"'), error.message);
      }
    }
  }
});

test('a bad line of a decompressed copy is named by the file the user gave', () => {
  const path = join(dir, 'copy.jsonl');
  writeFileSync(path, '1\n2\nnot json\n');
  const split: TextSplit = { path, start: 0, length: 13, sourcePath: '/data/events.jsonl.gz' };
  assert.throws(
    () => forEachJsonValue(split, {}, () => {}),
    (error: unknown) => error instanceof InputError && error.message.startsWith('/data/events.jsonl.gz:3: '),
  );
});
