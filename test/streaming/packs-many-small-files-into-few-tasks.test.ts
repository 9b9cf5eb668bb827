import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Context } from '../../src/index.js';
import { freshDir, inputFolder } from './stream-fixtures.js';

// A batch of 200 one-line files once ran 200 tasks and wrote 200 part files (2,000 files: 5 s, nearly all of it
// task overhead). Splits are now packed as Spark packs file partitions: 4 MiB of opening cost a file, up to
// min(128 MiB, bytes per core) a partition: with 2 cores, 32 files a partition, 7 partitions.

/** Copies the jsonl files of `input` to the jsonl file sink `out` in one batch; resolves to the last batch id. */
async function copyJsonl(input: string, out: string): Promise<number | undefined> {
  const kc = new Context({ threads: 2, defaultParallelism: 2 });
  try {
    const query = kc.readStream
      .jsonlFiles<{ i: number }>(input)
      .writeStream.format('jsonl')
      .option('checkpointLocation', join(out, '..', 'ckpt'))
      .trigger({ availableNow: true })
      .start(out);
    await query.awaitTermination();
    return query.lastProgress?.batchId;
  } finally {
    await kc.stop();
  }
}

test('a batch of many small files runs as a few packed partitions, every line once and in order', async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) files[`f${String(i).padStart(3, '0')}.jsonl`] = `{"i":${i}}\n`;
  const input = inputFolder('stream-small-files', files);
  const out = join(freshDir('stream-small-files-out'), 'out');
  const lastBatch = await copyJsonl(input, out);
  assert.equal(lastBatch, 0);
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

test('gzip files are not packed with others (a task decompresses all its gzip inputs before it starts)', async () => {
  const input = inputFolder('stream-small-gzip-files', {
    'a.jsonl.gz': gzipSync('{"i":0}\n'),
    'b.jsonl': '{"i":1}\n',
    'c.jsonl': '{"i":2}\n',
    'd.jsonl.gz': gzipSync('{"i":3}\n'),
    'e.jsonl': '{"i":4}\n',
    'f.jsonl': '{"i":5}\n',
  });
  const out = join(freshDir('stream-small-gzip-files-out'), 'out');
  await copyJsonl(input, out);
  const parts = readdirSync(join(out, 'batch=0')).sort();
  const contents = parts.map((part) =>
    readFileSync(join(out, 'batch=0', part), 'utf8')
      .split('\n')
      .filter(Boolean),
  );
  assert.deepEqual(contents, [['{"i":0}'], ['{"i":1}', '{"i":2}'], ['{"i":3}'], ['{"i":4}', '{"i":5}']]);
});
