import { test } from 'node:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { freshDir, writeWordFiles } from './stream-fixtures.js';
import { expectRestartRefusedForMissing, runWordCountInProcess } from './in-process-word-count.js';

// Offset logs are kept for every batch: they tell the file source which files earlier batches took. A restart that
// found one missing once took that batch's files as new and counted them again (every count too high, silently).
for (const [which, batchOf] of [
  ['the first batch', (): number => 0],
  ['a middle batch', (last: number): number => Math.floor(last / 2)],
  ['the last committed batch', (last: number): number => last],
] as const) {
  test(`a restart whose checkpoint lost the offset log of ${which} is refused, naming the file, and writes nothing`, async () => {
    const base = freshDir('stream-missing-offsets');
    const dirs = { input: join(base, 'in'), out: join(base, 'out'), checkpoint: join(base, 'ckpt') };
    writeWordFiles(dirs.input, 27, 5, 20); // 5 batches (one file each), 0 to 4
    await runWordCountInProcess(dirs);
    const last = 4;
    const missing = join(dirs.checkpoint, 'offsets', String(batchOf(last)));
    rmSync(missing);
    await expectRestartRefusedForMissing(dirs, missing);
  });
}
