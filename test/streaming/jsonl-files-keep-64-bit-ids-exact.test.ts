import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

// 64-bit ids that JSON.parse rounds: 1234567890123456789 and 1234567890123456790 both parse to 1234567890123456800.
const IDS = ['1234567890123456789', '1234567890123456790', '-9007199254740993'];

test('jsonlFiles reads 64-bit ids exactly (as bigints), keyed state keeps them apart, and the jsonl sink writes their digits', async () => {
  const input = freshDir('big-ids-in');
  const root = freshDir('big-ids');
  const batches = [
    [IDS[0], IDS[1], IDS[0]],
    [IDS[1], IDS[2], IDS[0]],
  ];
  batches.forEach((ids, i) => {
    const path = join(input, `events-${i}.jsonl`);
    writeFileSync(path, ids.map((id) => `{"id":${id},"n":1}`).join('\n') + '\n');
    utimesSync(path, 1000 + i, 1000 + i);
  });
  const kc = new Context({ threads: 2 });
  try {
    const query = kc.readStream
      .jsonlFiles<{ id: bigint; n: number }>(input, { maxFilesPerTrigger: 1 })
      .map((event: { id: bigint; n: number }) => [event.id, event.n])
      .updateStateByKey((values: number[], total: number | undefined) => (total ?? 0) + values.length, {
        numPartitions: 2,
      })
      .writeStream.outputMode('update')
      .trigger({ availableNow: true })
      .option('checkpointLocation', join(root, 'ckpt'))
      .format('jsonl')
      .start(join(root, 'out'));
    await query.awaitTermination();
  } finally {
    await kc.stop();
  }
  const lastBatch = join(root, 'out', 'batch=1');
  const lines = readdirSync(lastBatch)
    .flatMap((part) => readFileSync(join(lastBatch, part), 'utf8').split('\n'))
    .filter((line) => line.length > 0)
    .sort();
  assert.deepEqual(lines, [`[${IDS[2]},1]`, `[${IDS[0]},3]`, `[${IDS[1]},2]`].sort());
});
