import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../src/events/event-log-reader.js';
import { makeTempDir, removeTempDir } from '../support/temp-dir.js';

/**
 * Event log parts are read a chunk at a time and parsed a line at a time (a part used to be read as one string,
 * which bounded a part by V8's longest string and held it twice over while split), by the line scanner the text
 * sources use (common/line-scanner.ts). Lines longer than a chunk, and characters whose bytes a chunk's end cuts,
 * come back whole; the line a crash cut short (no terminator after it) is told apart from a whole one.
 */
test('reads every line whole whatever the chunk size, and tells the crash-cut last line apart', () => {
  const dir = makeTempDir('read-lines');
  try {
    const lines = ['{"kind":"app-start","é":"ü€😀"}', '', 'x'.repeat(40), '{"ünïcødé":"😀😀"}'];
    const file = join(dir, 'part.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n{"cut":"😀`);
    const whole = lines.map((line) => [line, true]);
    for (let chunkBytes = 1; chunkBytes <= 50; chunkBytes++) {
      const seen: [string, boolean][] = [];
      readLines(file, chunkBytes, (line, terminated) => seen.push([line, terminated]));
      assert.deepEqual(seen, [...whole, ['{"cut":"😀', false]], `chunk of ${chunkBytes} bytes`);
    }
    for (const ending of ['\n', '\r\n']) {
      writeFileSync(file, `a${ending}b${ending}`);
      const seen: [string, boolean][] = [];
      readLines(file, 3, (line, terminated) => seen.push([line, terminated]));
      assert.deepEqual(seen, [
        ['a', true],
        ['b', true],
      ]);
    }
  } finally {
    removeTempDir(dir);
  }
});
