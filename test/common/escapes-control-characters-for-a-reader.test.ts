// Text shown to a reader (Dataset.show's table, the word-count CLI's table on a terminal) shows control, separator
// and bidirectional formatting characters as escapes, so data cannot break a table's lines or drive the terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { formatShow } from '../../src/api/dataset/dataset-show.js';
import { escapeControlCharacters } from '../../src/common/terminal-text.js';

test('control characters become escapes; everything else, a backslash included, is kept', () => {
  assert.equal(escapeControlCharacters('a\nb\tc\rd'), 'a\\nb\\tc\\rd');
  assert.equal(escapeControlCharacters('\u001b[2J\u0007'), '\\x1b[2J\\x07', 'an escape sequence and BEL');
  assert.equal(escapeControlCharacters('\u0000\u0001'), '\\x00\\x01', 'NUL is \\x00, never an octal-looking \\0');
  assert.equal(escapeControlCharacters('\u007f\u0085\u009b'), '\\x7f\\x85\\x9b', 'DEL and C1 controls (CSI)');
  assert.equal(escapeControlCharacters('admin\u202e\u2066txt'), 'admin\\u202e\\u2066txt', 'bidirectional overrides');
  assert.equal(escapeControlCharacters('x\u2028y'), 'x\\u2028y', 'a line separator breaks a line too');
  for (const kept of ['plain', 'C:\\path', 'Straße 😀 日本語', '', 'a\u00a0b', '\u00a0\u00ff']) {
    assert.equal(escapeControlCharacters(kept), kept, JSON.stringify(kept));
  }
  // Every code unit below U+00A0 is either kept or escaped to printable ASCII.
  for (let code = 0; code < 0xa0; code++) {
    const shown = escapeControlCharacters(String.fromCharCode(code));
    assert.ok(/^[\x20-\x7e]+$/.test(shown), `U+${code.toString(16)} shows as ${JSON.stringify(shown)}`);
  }
});

test('show() keeps its table whole when a cell or a column name holds a line break or an escape sequence', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const table = await kc.fromColumns({ 'na\nme': ['two\nlines', 'red \u001b[31m', 'ok'] }).toArrow();
    assert.equal(
      formatShow(table, 20),
      [
        '+------------+',
        '|      na\\nme|',
        '+------------+',
        '|  two\\nlines|',
        '|red \\x1b[31m|',
        '|          ok|',
        '+------------+',
        '',
      ].join('\n'),
    );
  } finally {
    await kc.stop();
  }
});
