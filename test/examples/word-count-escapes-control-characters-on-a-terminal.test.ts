// The word-count CLI's top table on a terminal shows a word's control characters as escapes (a word is a run of
// non-whitespace, so a binary file's words hold ESC, BEL …, which printed raw would drive the terminal); a pipe gets
// the word's characters as they are.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { shownWord } from '../../examples/word-count/cut-word.js';
import { CLI_PATH, makeTempDir, removeTempDir, runCli } from './word-count-fixtures.js';

const dir = makeTempDir('control-words');
after(() => removeTempDir(dir));

/** ESC [2J clears a terminal's screen; BEL rings it; U+202E reverses what follows. */
const CLEAR = 'clear\u001b[2J';
const corpus = join(dir, 'binary-ish.txt');
writeFileSync(corpus, `${CLEAR} ${CLEAR} bell\u0007 rtl\u202eabc\n`);

test('shownWord escapes a word on a terminal only, after cutting it by its own characters', () => {
  assert.equal(shownWord(CLEAR, 0, true), 'clear\\x1b[2J');
  assert.equal(shownWord(CLEAR, 0, false), CLEAR, 'a pipe gets the word as it is');
  assert.equal(shownWord(CLEAR, 6, true), 'clear\\x1b… (9 characters)', 'the cut counts the word, not its escapes');
});

test('the CLI prints raw words into a pipe and escaped words on a terminal (a real pseudo-terminal)', (t) => {
  const piped = runCli(['--quiet', '--threads', '0', corpus]);
  assert.equal(piped.status, 0, piped.stderr);
  assert.equal(piped.stdout, `${CLEAR}\t2\nbell\u0007\t1\nrtl\u202eabc\t1\n`);

  // util-linux's script(1) runs the CLI on a pseudo-terminal (Debian's bsdutils, installed everywhere CI runs).
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined && process.env['CI'] !== 'true') {
    t.skip('script(1) is not installed');
    return;
  }
  const quote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, CLI_PATH, '--quiet', '--threads', '0', corpus].map(quote).join(' ');
  const env = { ...process.env };
  delete env['KINDLING_DEBUG'];
  const onTerminal = spawnSync('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    encoding: 'utf8',
    env,
    timeout: 60_000,
  });
  assert.equal(onTerminal.status, 0, onTerminal.stderr);
  // The terminal turns each \n into \r\n (onlcr).
  assert.equal(onTerminal.stdout, 'clear\\x1b[2J\t2\r\nbell\\x07\t1\r\nrtl\\u202eabc\t1\r\n');
});
