// --format json is written as the pairs arrive (an async iterable, partition by partition from toLocalIterator),
// with the same bytes as from an array, and still atomically: a source that fails midway leaves neither the output
// nor a staging folder, and its error is passed on as it is.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';

import { JSON_FILE_NAME, writeCountsJson } from '../../examples/word-count/write-json-output.js';
import { makeTempDir, removeTempDir } from './word-count-fixtures.js';

const dir = makeTempDir('json-stream');
after(() => removeTempDir(dir));

const PAIRS: [string, number][] = [
  ['the', 9],
  ['a"b', 4],
  ['😀', 4],
  ['x\\y', 1],
];

async function* slowly<T>(items: readonly T[], failAt = -1): AsyncGenerator<T> {
  for (let i = 0; i < items.length; i++) {
    await Promise.resolve();
    if (i === failAt) throw new Error(`the job failed at pair ${i}`);
    yield items[i]!;
  }
}

test('pairs from an async iterable are written as the same bytes as from an array', async () => {
  await writeCountsJson(join(dir, 'array'), PAIRS, { overwrite: false });
  await writeCountsJson(join(dir, 'stream'), slowly(PAIRS), { overwrite: false });
  const text = readFileSync(join(dir, 'stream', JSON_FILE_NAME), 'utf8');
  assert.equal(text, readFileSync(join(dir, 'array', JSON_FILE_NAME), 'utf8'));
  assert.deepEqual(JSON.parse(text), PAIRS);
  await writeCountsJson(join(dir, 'empty'), slowly([]), { overwrite: false });
  assert.equal(readFileSync(join(dir, 'empty', JSON_FILE_NAME), 'utf8'), '[]\n');
});

test('a source that fails midway leaves no output and no staging folder, and its error as it is', async () => {
  const parent = join(dir, 'failing');
  await assert.rejects(writeCountsJson(join(parent, 'out'), slowly(PAIRS, 2), { overwrite: false }), {
    message: 'the job failed at pair 2',
  });
  assert.deepEqual(readdirSync(parent), []);
  // With --overwrite, the old output stays whole.
  await writeCountsJson(join(parent, 'out'), PAIRS.slice(0, 1), { overwrite: false });
  await assert.rejects(writeCountsJson(join(parent, 'out'), slowly(PAIRS, 3), { overwrite: true }), /pair 3/);
  assert.deepEqual(readdirSync(parent), ['out']);
  assert.deepEqual(JSON.parse(readFileSync(join(parent, 'out', JSON_FILE_NAME), 'utf8')), [['the', 9]]);
});
