// Both word counts (columnar and RDD) cut their input into 16 MiB splits instead of the engine's 32 MiB when the
// default gives fewer than 8 map tasks per thread, so a 2-thread run waits less for its last map task (issue 11),
// and keep the default from 8 a thread on (finer splits there only add partial counts). Planning only stats the
// files: sparse files are enough, and no job runs.
import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { Context } from '../../src/index.js';
import { countWords, countWordsColumnar } from '../../examples/word-count/count-words.js';
import { makeTempDir, removeTempDir } from './word-count-fixtures.js';

const MiB = 1024 * 1024;
const dir = makeTempDir('splits');
after(() => removeTempDir(dir));

/** A sparse file of `bytes` bytes at `path` (no disk blocks: only its size is read). */
function sparseFile(path: string, bytes: number): string {
  writeFileSync(path, '');
  truncateSync(path, bytes);
  return path;
}

/** The map stage's task count in the columnar count's explain text. */
function mapTasks(explained: string): number {
  const match = /stage 0 \(shuffle map, [^)]*, (\d+) tasks\)/.exec(explained);
  assert.ok(match !== null, `no map stage in:\n${explained}`);
  return Number(match[1]);
}

test('a 40 MiB input (2 default splits on 2 threads) is 3 map tasks on either engine (16 + 16 + 8 MiB)', async () => {
  const path = sparseFile(join(dir, 'forty.txt'), 40 * MiB);
  const kc = new Context({ threads: 2 });
  try {
    const options = { lower: false, minLength: 1 };
    assert.equal(mapTasks(countWordsColumnar(kc, [path], options).explain()), 3);
    assert.match(countWords(kc, [path], options).explain(), /textFile: .* \(3 partitions\)/);
    // --partitions still cuts finer than the cap.
    assert.equal(mapTasks(countWordsColumnar(kc, [path], { ...options, minPartitions: 8 }).explain()), 8);
  } finally {
    await kc.stop();
  }
});

test('16 files of 32 MiB (8 default splits a thread on 2 threads) keep their 16 splits', async () => {
  const folder = join(dir, 'many');
  mkdirSync(folder);
  for (let i = 0; i < 16; i++) sparseFile(join(folder, `part-${i}.txt`), 32 * MiB);
  const kc = new Context({ threads: 2 });
  try {
    const options = { lower: false, minLength: 1 };
    assert.equal(mapTasks(countWordsColumnar(kc, [folder], options).explain()), 16);
    assert.match(countWords(kc, [folder], options).explain(), /textFile: .* \(16 partitions\)/);
  } finally {
    await kc.stop();
  }
});
