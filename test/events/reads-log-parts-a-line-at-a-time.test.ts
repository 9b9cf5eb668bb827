import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../src/events/event-log-reader.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/**
 * Event log parts are read a chunk at a time and parsed a line at a time (a part used to be read as one string,
 * which bounded a part by V8's longest string and held it twice over while split). Lines longer than a chunk, and
 * characters whose bytes a chunk's end cuts, come back whole; what follows the last newline is handed back apart.
 */
test('reads every line whole whatever the chunk size, and hands back the crash-cut rest', () => {
  const dir = makeTempDir('read-lines');
  try {
    const lines = ['{"kind":"app-start","é":"ü€😀"}', '', 'x'.repeat(40), '{"ünïcødé":"😀😀"}'];
    const file = join(dir, 'part.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n{"cut":"😀`);
    for (let chunkBytes = 1; chunkBytes <= 50; chunkBytes++) {
      const seen: string[] = [];
      const rest = readLines(file, chunkBytes, (line) => seen.push(line));
      assert.deepEqual(seen, lines, `chunk of ${chunkBytes} bytes`);
      assert.equal(rest, '{"cut":"😀', `chunk of ${chunkBytes} bytes`);
    }
    writeFileSync(file, 'a\nb\n');
    const seen: string[] = [];
    assert.equal(
      readLines(file, 3, (line) => seen.push(line)),
      '',
    );
    assert.deepEqual(seen, ['a', 'b']);
  } finally {
    removeTempDir(dir);
  }
});
