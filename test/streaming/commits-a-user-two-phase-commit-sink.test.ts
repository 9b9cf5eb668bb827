import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';

test('a user two-phase-commit sink module gets prepare in the workers and commit on the driver, once per partition, despite retried attempts', async () => {
  const root = freshDir('stream-user-sink');
  const kc = new Context({
    threads: 2,
    // Every first attempt of partition 1 throws after nothing was prepared; attempt 0 of partition 0 crashes its thread.
    faults: {
      seed: 3,
      rules: [
        { kind: 'throw', partition: 1, attempt: 0 },
        { kind: 'crash', partition: 0, attempt: 0 },
      ],
    },
  });
  try {
    const input = kc.readStream.memory<number>({ numPartitions: 2 });
    input.addData(1, 2, 3, 4, 5, 6);
    const query = input
      .map((n: number) => n * 10)
      .writeStream.format(kc.fn(new URL('./fixtures/recording-sink.js', import.meta.url), 'recordingSink'))
      .option('dir', root)
      .option('checkpointLocation', join(root, 'ckpt'))
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination();
    const committed = readdirSync(join(root, 'committed')).sort();
    assert.deepEqual(committed, ['0-0.json', '0-1.json']);
    const rows = committed.flatMap(
      (name) => JSON.parse(readFileSync(join(root, 'committed', name), 'utf8')) as number[],
    );
    assert.deepEqual(rows, [10, 20, 30, 40, 50, 60]);
    assert.deepEqual(readdirSync(join(root, 'pending')), []);
  } finally {
    await kc.stop();
  }
});

test('a sink module without prepare, commit and abort is refused with the missing method named', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const input = kc.readStream.memory<number>();
    input.addData(1);
    const query = input.writeStream
      .format(kc.fn(new URL('./stream-fixtures.js', import.meta.url), 'freshDir'))
      .option('checkpointLocation', join(freshDir('stream-bad-sink'), 'ckpt'))
      .trigger({ once: true })
      .start();
    await assert.rejects(
      query.awaitTermination(),
      /must be an object with prepare\(\), commit\(\) and abort\(\); prepare is/,
    );
  } finally {
    await kc.stop();
  }
});
