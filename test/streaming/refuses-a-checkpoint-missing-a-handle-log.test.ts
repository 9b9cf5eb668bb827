import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, writeWordFiles } from './stream-fixtures.js';
import { expectRestartRefusedForMissing, runWordCountInProcess } from './in-process-word-count.js';

// The state of the last committed batch is rebuilt from the handle logs back to the newest snapshot. A restart that
// found one of them missing once rebuilt the state without that batch's updates and went on counting from there:
// every later count of a word that batch changed came out too low, silently.
for (const [which, batchId] of [
  ['the snapshot the state rests on', 2],
  ['a delta after the snapshot', 3],
  ['the last committed batch', 4],
] as const) {
  test(`a restart whose checkpoint lost the handle log of ${which} is refused, naming the file, and writes nothing`, async () => {
    const base = freshDir('stream-missing-handles');
    const dirs = { input: join(base, 'in'), out: join(base, 'out'), checkpoint: join(base, 'ckpt') };
    writeWordFiles(dirs.input, 31, 5, 20); // 5 batches (one file each); snapshots every 3: version 2 has one
    await runWordCountInProcess(dirs);
    const handles = join(dirs.checkpoint, 'handles');
    assert.deepEqual(readdirSync(handles).map(Number).sort(), [2, 3, 4], 'retention keeps the logs from the snapshot');
    const missing = join(handles, String(batchId));
    rmSync(missing);
    const error = await expectRestartRefusedForMissing(dirs, missing);
    assert.match(
      error.message,
      new RegExp(`handle log of committed batch ${batchId}, one of those the state of batch 4`),
    );
  });
}
