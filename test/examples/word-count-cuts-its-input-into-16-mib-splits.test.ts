// Both word counts (columnar and RDD) cut their input into splits of at most 16 MiB, not the engine's 32 MiB, so a
// 2-thread run waits less for its last map task (issue 11). Planning only stats the files: a sparse 40 MiB file is
// enough, and no job runs.
import assert from 'node:assert/strict';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { Context } from '../../src/index.js';
import { countWords, countWordsColumnar } from '../../examples/word-count/count-words.js';
import { makeTempDir, removeTempDir } from './word-count-fixtures.js';

const dir = makeTempDir('splits');
const path = join(dir, 'big.txt');
writeFileSync(path, '');
truncateSync(path, 40 * 1024 * 1024);
after(() => removeTempDir(dir));

test('a 40 MiB input is 3 map tasks on either engine (16 + 16 + 8 MiB), not 2 of 20 MiB; --partitions cuts finer', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const options = { lower: false, minLength: 1 };
    assert.match(countWordsColumnar(kc, [path], options).explain(), /stage 0 \(shuffle map, [^)]*, 3 tasks\)/);
    assert.match(countWords(kc, [path], options).explain(), /textFile: .* \(3 partitions\)/);
    // --partitions still cuts finer than the cap.
    const eight = countWordsColumnar(kc, [path], { ...options, minPartitions: 8 }).explain();
    assert.match(eight, /stage 0 \(shuffle map, [^)]*, 8 tasks\)/);
  } finally {
    await kc.stop();
  }
});
