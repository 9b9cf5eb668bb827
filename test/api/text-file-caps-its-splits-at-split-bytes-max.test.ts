import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanError } from '../../src/index.js';
import { onEveryBackend, temporaryDirectory, throwsWith } from './helpers.js';

/**
 * `splitBytesMax` caps the size of textFile's and readText's splits below the 32 MiB block (the word-count example
 * uses 16 MiB: more, shorter tasks, so the last one keeps one thread alone for less time), and every line is still
 * read once, in order, whatever the cap.
 */

/** 3,000 lines of 5 to 40 bytes (with their `\n`): ~66 KB, so a 16 KiB cap cuts it mid-line several times. */
const LINES = Array.from({ length: 3000 }, (_, i) => `line ${i} ${'y'.repeat((i * 7) % 31)}`);

onEveryBackend('textFile splitBytesMax', (on) => {
  const dir = temporaryDirectory('split-bytes-max');

  test('cuts a file into splits of at most splitBytesMax (Hadoop 10 % slop on the last) and reads each line once', async () => {
    const path = join(dir(), 'lines.txt');
    const text = `${LINES.join('\n')}\n`;
    writeFileSync(path, text);
    const capBytes = 16 * 1024;
    const kc = on.kc();
    const lines = kc.textFile(path, { splitBytesMax: capBytes });
    // minPartitions (2 by default) alone would cut two halves of ~33 KB.
    assert.equal(lines.getNumPartitions(), Math.ceil(text.length / capBytes - 0.1));
    assert.deepEqual(await lines.collect(), LINES);
    const columnar = kc.readText(path, { splitBytesMax: capBytes });
    const rows = await columnar.collect();
    assert.deepEqual(
      rows.map((row) => row['value']),
      LINES,
    );
  });

  test('minPartitions still cuts below the cap', () => {
    const path = join(dir(), 'lines.txt');
    writeFileSync(path, `${LINES.join('\n')}\n`);
    assert.equal(
      on
        .kc()
        .textFile(path, { splitBytesMax: 1024 * 1024, minPartitions: 5 })
        .getNumPartitions(),
      5,
    );
  });

  test('refuses a splitBytesMax that is not a positive integer, naming it', () => {
    for (const bad of [0, -1, 1.5, 'x']) {
      const error = throwsWith(
        () => on.kc().textFile('/any/path', { splitBytesMax: bad as number }),
        PlanError,
        'ERR_PLAN_INVALID_ARGUMENT',
      );
      assert.match(error.message, /textFile\(\).*splitBytesMax/);
    }
  });
});
