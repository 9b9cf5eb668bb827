// The RDD word count hands a long line's words on one at a time: one line of 3 M words is counted exactly by a
// worker thread whose heap (64 MiB) could not hold them as one array (~100 MiB of strings and slots), which is how
// a 100 MB line took ~1.7 GB of RSS.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { Context } from '../../src/index.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { countWords } from '../../examples/word-count/count-words.js';
import { makeTempDir, referenceCounts, removeTempDir } from './word-count-fixtures.js';

const seed = seedFromEnvironment();
const dir = makeTempDir('wordcount-long-line');
const kc = new Context({ threads: 1, workerHeapMbMax: 64 });
after(async () => {
  await kc.stop();
  removeTempDir(dir);
});

test(`one line of 3 M words is counted exactly within a 64 MiB worker heap (SEED=${seed})`, async () => {
  const rng = new Rng(seed);
  const vocabulary = Array.from({ length: 500 }, (_, i) => `w${i.toString(36)}${i % 7 === 0 ? 'é' : ''}`);
  const words = Array.from({ length: 3_000_000 }, () => vocabulary[rng.nextInt(vocabulary.length)]!);
  const file = join(dir, 'one-line.txt');
  writeFileSync(file, `short line\n ${words.join(' ')}\t\nlast line`);
  const counts = await countWords(kc, [file], { lower: false, minLength: 1 }).collect();
  assert.deepEqual(
    counts.sort((a, b) => (a[0] < b[0] ? -1 : 1)),
    [...referenceCounts([file])].sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );
});
