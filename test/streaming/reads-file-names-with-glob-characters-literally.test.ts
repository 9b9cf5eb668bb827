import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

// File names a glob would read as patterns: `data[1].txt` matches `data1.txt`, `x*.txt` matches every `x….txt`,
// `{a,b}.txt` means `a.txt` or `b.txt`. A batch must read the files its offsets name, whatever their names (the
// source once passed them to textFile, which expanded them as globs: `data[1].txt` was never read).
const FILES: Readonly<Record<string, readonly string[]>> = {
  'data[1].txt': ['bracket', 'one'],
  'data1.txt': ['plain', 'one'],
  'x*.txt': ['star'],
  'xy.txt': ['xy'],
  '{a,b}.txt': ['brace'],
  'a.txt': ['ay'],
  'what?.txt': ['question'],
  'whatX.txt': ['ex'],
};

/** A folder with the files above (one second apart, so batches come in this order). */
function writeInput(root: string, format: 'text' | 'jsonl'): string {
  const dir = join(root, 'in');
  mkdirSync(dir, { recursive: true });
  Object.entries(FILES).forEach(([name, words], i) => {
    const path = join(dir, name);
    const lines = format === 'text' ? words : words.map((word) => JSON.stringify({ word }));
    writeFileSync(path, `${lines.join('\n')}\n`);
    utimesSync(path, 1000 + i, 1000 + i);
  });
  return dir;
}

function expectedWords(): string[] {
  return Object.values(FILES).flat().sort();
}

for (const format of ['text', 'jsonl'] as const) {
  for (const maxFilesPerTrigger of [1, 8]) {
    test(`${format === 'text' ? 'textFiles' : 'jsonlFiles'} reads a file named like a glob as that file, ${maxFilesPerTrigger} file(s) a batch`, async () => {
      const dir = writeInput(freshDir(`glob-names-${format}`), format);
      const kc = new Context({ threads: 0 });
      const words: string[] = [];
      try {
        const stream =
          format === 'text'
            ? kc.readStream.textFiles(dir, { maxFilesPerTrigger })
            : kc.readStream
                .jsonlFiles<{ word: string }>(dir, { maxFilesPerTrigger })
                .map((record: { word: string }) => record.word);
        const query = stream.writeStream
          .trigger({ availableNow: true })
          .foreachBatch(async (rdd) => {
            words.push(...((await rdd.collect()) as string[]));
          })
          .start();
        await query.awaitTermination();
      } finally {
        await kc.stop();
      }
      assert.deepEqual(words.sort(), expectedWords());
    });
  }
}
