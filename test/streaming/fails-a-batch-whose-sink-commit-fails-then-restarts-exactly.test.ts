import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, StreamingQueryError } from '../../src/index.js';
import { committedOutput, freshDir, writeWordFiles } from './stream-fixtures.js';
import { runWordCountInProcess } from './in-process-word-count.js';

// A sink commit that failed (a read-only or full disk under the sink folder; here, a file where the sink needs a
// folder) once ended the query with the file system's raw error and stack, not the StreamingQueryError naming the
// batch that awaitTermination promises.

test('a file sink commit that fails ends the query with ERR_STREAM_SINK naming the batch, and a restart commits it exactly once', async () => {
  const base = freshDir('stream-commit-fails');
  const dirs = { input: join(base, 'in'), out: join(base, 'out'), checkpoint: join(base, 'ckpt') };
  writeWordFiles(dirs.input, 53, 3, 20); // one file a batch: batches 0, 1, 2
  const reference = { input: dirs.input, out: join(base, 'ref-out'), checkpoint: join(base, 'ref-ckpt') };
  await runWordCountInProcess(reference);
  const expected = committedOutput(reference.out);

  const third = join(dirs.input, 'part-002.txt');
  renameSync(third, join(base, 'held-back.txt'));
  await runWordCountInProcess(dirs); // batches 0 and 1
  renameSync(join(base, 'held-back.txt'), third);
  // The sink's log folder becomes a file: batch 2's commit cannot record itself there.
  const log = join(dirs.out, '_kindling_sink', 'log');
  renameSync(log, `${log}-aside`);
  writeFileSync(log, 'in the way\n');
  const error = await runWordCountInProcess(dirs).then(
    () => null,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof StreamingQueryError, `expected a StreamingQueryError, found ${String(error)}`);
  assert.equal(error.code, 'ERR_STREAM_SINK');
  assert.equal(error.batchId, 2);
  const handles = join(dirs.checkpoint, 'handles', '2');
  assert.ok(
    error.message.startsWith(`streaming batch 2: the sink (jsonl files at ${dirs.out}) failed to commit: `),
    error.message,
  );
  assert.ok(
    error.message.endsWith(
      `its commit decision is recorded in ${handles}, so a restart with the same checkpoint commits it again`,
    ),
    error.message,
  );

  rmSync(log);
  renameSync(`${log}-aside`, log);
  await runWordCountInProcess(dirs);
  assert.equal(committedOutput(dirs.out), expected, 'the output of a run whose commit never failed');
  assert.deepEqual(readdirSync(log).sort(), ['0', '1', '2']);
});

test("a user sink whose commit throws ends the query with ERR_STREAM_SINK naming the batch and keeping the sink's error as the cause; a restart commits it", async () => {
  const root = freshDir('stream-user-commit-fails');
  // The recording sink commits into <dir>/committed: a file there makes its commit throw (EEXIST or ENOTDIR).
  writeFileSync(join(root, 'committed'), 'in the way\n');
  const run = async (): Promise<unknown> => {
    const kc = new Context({ threads: 0 });
    try {
      const input = kc.readStream.memory<number>({ numPartitions: 2 });
      input.addData(1, 2, 3, 4);
      const query = input.writeStream
        .format(kc.fn(new URL('./fixtures/recording-sink.js', import.meta.url), 'recordingSink'))
        .option('dir', root)
        .option('checkpointLocation', join(root, 'ckpt'))
        .trigger({ availableNow: true })
        .start();
      return await query.awaitTermination().then(
        () => null,
        (failure: unknown) => failure,
      );
    } finally {
      await kc.stop();
    }
  };
  const error = await run();
  assert.ok(error instanceof StreamingQueryError, `expected a StreamingQueryError, found ${String(error)}`);
  assert.equal(error.code, 'ERR_STREAM_SINK');
  assert.equal(error.batchId, 0);
  assert.match(
    error.message,
    /^streaming batch 0: the sink \(sink recordingSink of file:.*recording-sink\.js\) failed to commit: E/,
  );
  assert.ok(error.cause instanceof Error && /^E(EXIST|NOTDIR)/.test((error.cause as NodeJS.ErrnoException).code ?? ''));

  rmSync(join(root, 'committed'));
  mkdirSync(join(root, 'committed'));
  assert.equal(await run(), null);
  const committed = readdirSync(join(root, 'committed')).sort();
  assert.deepEqual(committed, ['0-0.json', '0-1.json']);
  const rows = committed.flatMap((name) => JSON.parse(readFileSync(join(root, 'committed', name), 'utf8')) as number[]);
  assert.deepEqual(rows.sort(), [1, 2, 3, 4]);
});
