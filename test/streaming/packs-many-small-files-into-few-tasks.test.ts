import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { freshDir, inputFolder } from './stream-fixtures.js';

// A batch of 200 one-line files once ran 200 tasks and wrote 200 part files (2,000 files: 5 s, nearly all of it
// task overhead). Splits are now packed as Spark packs file partitions: 4 MiB of opening cost a file, up to
// min(128 MiB, bytes per core) a partition: with 2 cores, 32 files a partition, 7 partitions.

test('a batch of many small files runs as a few packed partitions, every line once and in order', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`f${String(i).padStart(3, '0')}.jsonl`] = `{"i":${i}}\n`;
  const input = inputFolder('stream-small-files', files);
  const out = join(freshDir('stream-small-files-out'), 'out');
  const kc = new Context({ threads: 2, defaultParallelism: 2 });
  try {
    const query = kc.readStream
      .jsonlFiles<{ i: number }>(input)
      .writeStream.format('jsonl')
      .option('checkpointLocation', join(out, '..', 'ckpt'))
      .trigger({ availableNow: true })
      .start(out);
    await query.awaitTermination();
    assert.equal(query.lastProgress?.batchId, 0);
  } finally {
    await kc.stop();
  }
  const parts = readdirSync(join(out, 'batch=0')).sort();
  assert.equal(parts.length, 7, parts.join(', '));
  const lines = parts.flatMap((part) =>
    readFileSync(join(out, 'batch=0', part), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { i: number }).i),
    Array.from({ length: 200 }, (_, i) => i),
  );
});
