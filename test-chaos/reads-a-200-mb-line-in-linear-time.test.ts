// Issue 12, defect 1, at full size (too heavy for npm test: 420 MB of temp files, several GB read): counting the
// lines of a file holding one 200 MB line costs at most twice as much time per byte as one 10 MB line, through
// textFile and readText (whose word-count engine once took 20 s for 60 MB and never finished 200 MB). The fast
// reader-level version is test/io/reads-long-lines-in-linear-time.test.ts.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { seedFromEnvironment } from '../src/common/rng.js';
import { Context } from '../src/index.js';
import { assertLinear, writeOneLineFile } from '../test/io/long-lines.js';
import { makeTempDir } from '../test/support/temp-dir.js';

const seed = seedFromEnvironment();
console.log('SEED=' + seed);
const dir = makeTempDir('long-lines');
after(() => rmSync(dir, { recursive: true, force: true }));

const MB = 1024 * 1024;
const small = join(dir, '10mb.txt');
const large = join(dir, '200mb.txt');
writeOneLineFile(small, 10 * MB, seed);
writeOneLineFile(large, 200 * MB, seed + 1);

/**
 * The median of `runs` times to count the lines of `path` with 4 splits (3 of them start inside the line), in ms,
 * after one untimed run. Not the best: a 10 MB count takes 7–16 ms here, and its fastest outlier against a typical
 * 200 MB count made the ratio 2.27 in one run of a linear reader (0.97–1.58 in the runs around it).
 */
async function medianCountMs(count: (kc: Context, path: string) => Promise<number>, path: string, runs: number) {
  const kc = new Context({ threads: 1 });
  try {
    assert.equal(await count(kc, path), 1);
    const times: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      assert.equal(await count(kc, path), 1);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1]!;
  } finally {
    await kc.stop();
  }
}

const COUNTS = {
  textFile: (kc: Context, path: string) => kc.textFile(path, { minPartitions: 4 }).count(),
  readText: (kc: Context, path: string) => kc.readText(path, { minPartitions: 4 }).count(),
};

for (const [name, count] of Object.entries(COUNTS)) {
  test(`${name}: a 200 MB line costs at most twice as much per byte as a 10 MB line`, async () => {
    const smallMs = await medianCountMs(count, small, 5);
    const largeMs = await medianCountMs(count, large, 3);
    assertLinear(name, { bytes: 10 * MB, ms: smallMs }, { bytes: 200 * MB, ms: largeMs }, 2);
  });
}
