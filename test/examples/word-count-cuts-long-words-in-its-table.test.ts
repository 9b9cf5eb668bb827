// The printed top table cuts a word past `--truncate N` characters (as Spark's show() cuts cells), never inside a
// character, and says how long the word was; `--truncate 0` and a stdout that is not a terminal print words whole;
// `--out` files always hold whole words.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { cutWord, WORD_CHARS_SHOWN_ON_TERMINAL, wordCharsShown } from '../../examples/word-count/cut-word.js';
import { parseWordCountArguments } from '../../examples/word-count/parse-arguments.js';
import { makeTempDir, removeTempDir, runCli } from './word-count-fixtures.js';

const dir = makeTempDir('cut-words');
after(() => removeTempDir(dir));

/** A word of 200,000 characters, over every limit the tests use; the most frequent word of the file. */
const HUGE = 'ab'.repeat(100_000);
const corpus = join(dir, 'huge.txt');
writeFileSync(corpus, `${HUGE} ${HUGE} ${HUGE}\nsmall small\nx\n`);

test('a word over the limit keeps its first N characters, then "… (L characters)"', () => {
  assert.equal(cutWord('internationalization', 5), 'inter… (20 characters)');
  assert.equal(cutWord(HUGE, 3), 'aba… (200000 characters)');
  assert.equal(cutWord('exactly', 7), 'exactly', 'a word of exactly N characters is whole');
  assert.equal(cutWord('exactly', 0), 'exactly', '0 means whole words');
});

test('a cut never splits a character: surrogate pairs and multi-byte characters stay whole', () => {
  // Cut at 2 UTF-16 code units, 'a😀' would end in a lone high surrogate.
  assert.equal(cutWord('a😀😀😀', 2), 'a😀… (4 characters)');
  assert.equal(cutWord('😀😀😀', 2), '😀😀… (3 characters)');
  // Two code points, four code units: not over a limit of 2 characters, so whole.
  assert.equal(cutWord('😀😀', 2), '😀😀');
  assert.equal(cutWord('日本語テキスト', 3), '日本語… (7 characters)');
  assert.equal(cutWord('Straße', 5), 'Straß… (6 characters)');
  for (const word of ['a😀😀😀', '😀😀😀', 'é😀日本語😀é']) {
    for (let n = 1; n <= 4; n++) {
      const shown = cutWord(word, n);
      assert.ok(!/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(shown), shown);
      assert.ok(word.startsWith(shown.split('… (')[0]!), `${shown} is a prefix of ${word}`);
    }
  }
});

test('without --truncate, a terminal gets the cut and a pipe or file gets whole words', () => {
  assert.equal(wordCharsShown(null, true), WORD_CHARS_SHOWN_ON_TERMINAL);
  assert.equal(wordCharsShown(null, false), 0);
  assert.equal(wordCharsShown(7, false), 7, 'an explicit --truncate applies to a pipe too');
  assert.equal(wordCharsShown(0, true), 0, '--truncate 0 prints whole words on a terminal');
  assert.equal(parseWordCountArguments(['--truncate', '12'], { threads: 1 }).truncate, 12);
});

test('the CLI prints a cut word with --truncate N, and the word whole with --truncate 0 or into a pipe', () => {
  const cut = runCli(['--quiet', '--threads', '0', '--truncate', '10', corpus]);
  assert.equal(cut.status, 0, cut.stderr);
  assert.equal(cut.stdout, 'ababababab… (200000 characters)\t3\nsmall\t2\nx\t1\n');
  const whole = `${HUGE}\t3\nsmall\t2\nx\t1\n`;
  for (const args of [['--truncate', '0'], []]) {
    const result = runCli(['--quiet', '--threads', '0', ...args, corpus]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(result.stdout === whole, `${args.join(' ') || 'a pipe'}: the word is printed whole`);
  }
});

test('--out files hold whole words, in tsv and json, whatever --truncate says', () => {
  for (const format of ['tsv', 'json']) {
    const out = join(dir, `out-${format}`);
    const result = runCli([
      '--quiet',
      '--threads',
      '0',
      '--top',
      '1',
      '--truncate',
      '5',
      '--format',
      format,
      '--out',
      out,
      corpus,
    ]);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(result.stdout, 'ababa… (200000 characters)\t3\n');
    const written = readdirSync(out)
      .filter((name) => !name.startsWith('_'))
      .sort()
      .map((name) => readFileSync(join(out, name), 'utf8'))
      .join('');
    const expected =
      format === 'tsv' ? `${HUGE}\t3\nsmall\t2\nx\t1\n` : `[\n["${HUGE}",3],\n["small",2],\n["x",1]\n]\n`;
    assert.ok(written === expected, `${format}: the file holds the whole word`);
  }
});
