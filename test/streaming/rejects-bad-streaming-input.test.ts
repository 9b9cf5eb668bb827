import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, PlanError, StreamCheckpointCorruptError, StreamingQueryError } from '../../src/index.js';
import { writeLog } from '../../src/streaming/checkpoint-log.js';
import { committedOutput, freshDir, runStreamWordCount, wordCountArgs, writeWordFiles } from './stream-fixtures.js';
import { runWordCountInProcess } from './in-process-word-count.js';

function queryDirs(prefix: string, files = 3) {
  const root = freshDir(prefix);
  const dirs = { input: join(root, 'in'), out: join(root, 'out'), checkpoint: join(root, 'ckpt') };
  writeWordFiles(dirs.input, 5, files, 20);
  return dirs;
}

async function failureOf(run: Promise<unknown>): Promise<Error> {
  const error = await run.then(
    () => null,
    (failure: unknown) => failure,
  );
  assert.ok(error instanceof Error, `expected a failure, found ${String(error)}`);
  return error;
}

test('a source folder that does not exist is a StreamingQueryError naming it', async () => {
  const dirs = queryDirs('stream-nosource');
  rmSync(dirs.input, { recursive: true });
  const error = await failureOf(runWordCountInProcess(dirs));
  assert.ok(error instanceof StreamingQueryError && error.code === 'ERR_STREAM_SOURCE', String(error));
  assert.match(error.message, new RegExp(`textFiles\\(${dirs.input}\\): the source folder does not exist`));
});

test('a start that failed before its first batch leaves the checkpoint to the corrected query', async () => {
  // The user's typo: the folder does not exist. Nothing was read, so the same checkpoint must take the fixed query.
  const dirs = queryDirs('stream-typo');
  const typo = { ...dirs, input: `${dirs.input}-typo` };
  const error = await failureOf(runWordCountInProcess(typo));
  assert.ok(error instanceof StreamingQueryError && error.code === 'ERR_STREAM_SOURCE', String(error));
  const firstId = JSON.parse(readFileSync(join(dirs.checkpoint, 'metadata'), 'utf8').split('\n')[1]!).queryId;
  const fixed = await runWordCountInProcess(dirs);
  assert.equal(fixed.id, firstId);
  const expected = queryDirs('stream-typo-fresh'); // the same seeded files
  await runWordCountInProcess(expected);
  assert.equal(committedOutput(dirs.out), committedOutput(expected.out));
  // Once a batch ran, a changed query is refused as before.
  const changed = await failureOf(runWordCountInProcess(typo));
  assert.ok(changed instanceof StreamingQueryError && changed.code === 'ERR_STREAM_INCOMPATIBLE_CHECKPOINT');
});

test('a source folder removed while the query runs ends it with an error naming the folder', async () => {
  const dirs = queryDirs('stream-vanish');
  const kc = new Context({ threads: 0 });
  try {
    const query = kc.readStream
      .textFiles(dirs.input)
      .writeStream.foreachBatch(() => rmSync(dirs.input, { recursive: true }))
      .trigger({ processingTimeMs: 1 })
      .start();
    const error = await failureOf(query.awaitTermination());
    assert.ok(error instanceof StreamingQueryError && error.code === 'ERR_STREAM_SOURCE', String(error));
    assert.match(error.message, /does not exist \(or was removed\)/);
    assert.equal(query.recentProgress.length, 1);
    assert.equal(query.status.message, `Terminated with exception: ${error.message}`);
  } finally {
    await kc.stop();
  }
});

test('a file removed while its batch runs fails the batch with ERR_STREAM_SOURCE naming it, and writes nothing', async () => {
  const root = freshDir('stream-vanish-mid-batch');
  const input = join(root, 'in');
  mkdirSync(input, { recursive: true });
  writeFileSync(join(input, 'a.txt'), 'one\n');
  writeFileSync(join(input, 'b.txt'), 'two\n');
  const kc = new Context({ threads: 0 });
  try {
    const query = kc.readStream
      .textFiles(input)
      // Runs after the source checked the batch's files and before any task reads them.
      .transform((rdd) => {
        rmSync(join(input, 'b.txt'));
        return rdd;
      })
      .writeStream.option('checkpointLocation', join(root, 'ckpt'))
      .format('jsonl')
      .trigger({ availableNow: true })
      .start(join(root, 'out'));
    const error = await failureOf(query.awaitTermination());
    assert.ok(error instanceof StreamingQueryError && error.code === 'ERR_STREAM_SOURCE', String(error));
    assert.equal(error.batchId, 0);
    assert.ok(
      error.message.includes(`batch 0 takes ${join(input, 'b.txt')}, which can no longer be read (ENOENT)`),
      error.message,
    );
    assert.deepEqual(
      readdirSync(join(root, 'out')).filter((name) => name.startsWith('batch=')),
      [],
    );
  } finally {
    await kc.stop();
  }
});

/**
 * The word count killed right after recording batch 1's offsets, `change` applied to the first file that batch
 * takes (its path given), then restarted: the restart must fail naming that file, and write nothing.
 */
async function restartAfterChangingATakenFile(prefix: string, change: (path: string) => void) {
  const dirs = queryDirs(prefix, 4);
  const killed = await runStreamWordCount(wordCountArgs(dirs, ['--crash-at', 'after-offsets:1'], 0));
  assert.equal(killed.signal, 'SIGKILL');
  const before = committedOutput(dirs.out);
  const recorded = readFileSync(join(dirs.checkpoint, 'offsets', '1'), 'utf8');
  const taken = JSON.parse(recorded.slice(recorded.indexOf('\n') + 1)).sources[0].files[0].name as string;
  change(join(dirs.input, taken));
  const restarted = await runStreamWordCount(wordCountArgs(dirs, [], 0));
  assert.equal(restarted.code, 1);
  assert.match(restarted.stderr, /ERR_STREAM_SOURCE/);
  assert.ok(restarted.stderr.includes(join(dirs.input, taken)), restarted.stderr);
  assert.equal(committedOutput(dirs.out), before);
  return restarted.stderr;
}

test('a file taken by a recorded but uncommitted batch and removed before the restart is named, and nothing is written', async () => {
  await restartAfterChangingATakenFile('stream-lostfile', (path) => rmSync(path));
});

test('a file taken by a recorded but uncommitted batch and appended to before the restart is named, and nothing is written', async () => {
  // The rerun once read the appended lines too: output a run never killed would not have written.
  const stderr = await restartAfterChangingATakenFile('stream-grownfile', (path) =>
    appendFileSync(path, 'appended words\n'),
  );
  assert.match(stderr, /batch 1 takes .* as it was listed, .* but found/);
  assert.match(stderr, /must not change once it is in the source folder/);
});

test('a restart with a changed query, or of a checkpoint from a newer format, is refused', async () => {
  const dirs = queryDirs('stream-changed');
  await runWordCountInProcess(dirs);
  const changed = await failureOf(runWordCountInProcess(dirs, { outputMode: 'complete' }));
  assert.ok(changed instanceof StreamingQueryError && changed.code === 'ERR_STREAM_INCOMPATIBLE_CHECKPOINT');
  assert.match(changed.message, /its output mode was 'update', now 'complete'/);
  const metadata = join(dirs.checkpoint, 'metadata');
  writeLog(metadata, { formatVersion: 99, queryId: 'q', fingerprint: {} });
  const newer = await failureOf(runWordCountInProcess(dirs));
  assert.ok(newer instanceof StreamCheckpointCorruptError && newer.file === metadata);
  assert.match(newer.message, /format 99 \(written by a newer kindling\)/);
});

test('a sink path that belongs to another query, or holds other files, is refused before anything is written', async () => {
  const first = queryDirs('stream-owner');
  await runWordCountInProcess(first);
  const before = committedOutput(first.out);
  const second = { ...queryDirs('stream-intruder'), out: first.out };
  const owned = await failureOf(runWordCountInProcess(second));
  assert.ok(owned instanceof StreamingQueryError && owned.code === 'ERR_STREAM_SINK', String(owned));
  assert.match(owned.message, /belongs to streaming query/);
  assert.equal(committedOutput(first.out), before);
  const third = queryDirs('stream-foreign');
  mkdirSync(third.out, { recursive: true });
  writeFileSync(join(third.out, 'report.csv'), 'a,b\n');
  const foreign = await failureOf(runWordCountInProcess(third));
  assert.match(foreign.message, /exists and is not empty, and no streaming query wrote it/);
  // What a query killed inside the sink's open leaves (its folder and a temporary metadata file, no metadata) is
  // not another writer's output: the restart takes the path. Anything else beside it still makes it refuse.
  const killed = queryDirs('stream-killed-open');
  mkdirSync(join(killed.out, '_kindling_sink'), { recursive: true });
  writeFileSync(join(killed.out, '_kindling_sink', 'metadata.tmp-4242-0'), 'kindling-log 1 0000');
  await runWordCountInProcess(killed);
  const fresh = queryDirs('stream-fresh-open');
  await runWordCountInProcess(fresh);
  assert.equal(committedOutput(killed.out), committedOutput(fresh.out));
  assert.deepEqual(
    readdirSync(join(killed.out, '_kindling_sink')).filter((name) => name.startsWith('metadata.tmp-')),
    [],
  );
  const mixed = queryDirs('stream-killed-open-mixed');
  mkdirSync(join(mixed.out, '_kindling_sink'), { recursive: true });
  writeFileSync(join(mixed.out, '_kindling_sink', 'metadata.tmp-4242-0'), '');
  writeFileSync(join(mixed.out, '_kindling_sink', 'notes.txt'), 'mine');
  const refused = await failureOf(runWordCountInProcess(mixed));
  assert.match(refused.message, /exists and is not empty, and no streaming query wrote it/);
});

test('a checkpoint or sink path that is a file, or lies under one, is refused with an error naming it', async () => {
  // Once Node's raw ENOTDIR stack (checkpoint), and a "corrupt checkpoint file <out>/_kindling_sink/metadata" (sink).
  const dirs = queryDirs('stream-paths-are-files');
  const file = join(dirs.input, '..', 'a-file');
  writeFileSync(file, 'not a folder\n');
  for (const checkpoint of [file, join(file, 'below')]) {
    const error = await failureOf(runWordCountInProcess({ ...dirs, checkpoint }));
    assert.ok(error instanceof PlanError && error.code === 'ERR_PLAN_INVALID_ARGUMENT', String(error));
    assert.match(error.message, /option\('checkpointLocation'\) expects a folder .*, found a file (at|in the way of)/);
    assert.ok(error.message.includes(checkpoint), error.message);
  }
  for (const out of [file, join(file, 'below')]) {
    const error = await failureOf(runWordCountInProcess({ ...dirs, out }));
    assert.ok(error instanceof StreamingQueryError && error.code === 'ERR_STREAM_SINK', String(error));
    assert.match(error.message, /the sink path must be a folder .*, found a file (at|in the way of)/);
    assert.ok(error.message.includes(out), error.message);
  }
  // Nothing was planned: the corrected query takes the checkpoint.
  await runWordCountInProcess(dirs);
  const fresh = queryDirs('stream-paths-are-files-fresh');
  await runWordCountInProcess(fresh);
  assert.equal(committedOutput(dirs.out), committedOutput(fresh.out));
});

test(
  'a checkpoint or sink path where no folder can be made (under /proc) is refused at once, not left hanging',
  { skip: process.platform !== 'linux' },
  async () => {
    // Node's recursive mkdirSync loops forever there (the parent exists, the child is ENOENT): run in a child that is
    // killed if it hangs, so the test fails instead of hanging with it.
    const dirs = queryDirs('stream-paths-under-proc');
    for (const [flag, path, what] of [
      ['--checkpoint', '/proc/self/kindling-checkpoint', /option\('checkpointLocation'\) expects a folder/],
      ['--out', '/proc/self/kindling-out', /the sink path must be a folder/],
    ] as const) {
      const args = wordCountArgs(flag === '--checkpoint' ? { ...dirs, checkpoint: path } : { ...dirs, out: path });
      const end = await runStreamWordCount(args, 30_000);
      assert.equal(end.signal, null, `${flag} ${path}: killed after hanging 30 s`);
      assert.notEqual(end.code, 0);
      assert.match(end.stderr, what);
      assert.ok(
        end.stderr.includes(`${path} cannot be made a folder: its parent folder exists but takes no new folders`),
        end.stderr,
      );
    }
  },
);

test('readStateStore of nothing, of a folder that is no checkpoint, or of a file is a PlanError naming the path', async () => {
  // A file once failed with readdir's raw ENOTDIR.
  const root = freshDir('stream-read-state-store');
  const file = join(root, 'a-file');
  writeFileSync(file, 'not a checkpoint\n');
  const kc = new Context({ threads: 0 });
  try {
    for (const path of [join(root, 'nothing-here'), root, file]) {
      assert.throws(
        () => kc.readStateStore(path),
        (error: unknown) =>
          error instanceof PlanError &&
          error.message === `readStateStore(): ${path} is not the checkpoint of a stateful streaming query`,
        path,
      );
    }
  } finally {
    await kc.stop();
  }
});

test('a jsonl line that is not JSON fails the batch with the file named', async () => {
  const root = freshDir('stream-badjson');
  mkdirSync(join(root, 'in'));
  writeFileSync(join(root, 'in', 'events.jsonl'), '{"a":1}\n{"a":\n');
  const kc = new Context({ threads: 0, taskAttemptsMax: 1 });
  try {
    const query = kc.readStream
      .jsonlFiles(join(root, 'in'))
      .writeStream.format('memory')
      .queryName('events')
      .trigger({ once: true })
      .start();
    const error = await failureOf(query.awaitTermination());
    assert.ok(error instanceof StreamingQueryError && error.code === 'ERR_STREAM_QUERY_FAILED' && error.batchId === 0);
    assert.ok(error.message.includes(join(root, 'in', 'events.jsonl')), error.message);
    assert.deepEqual(kc.memoryTable('events'), []);
  } finally {
    await kc.stop();
  }
});

test('definition mistakes are refused at definition time', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const pairs = kc.readStream.memory<[string, number]>();
    const limit = 3;
    assert.throws(() => pairs.updateStateByKey((values: number[]) => Math.min(limit, values.length)), /uses `limit`/);
    const counted = pairs.updateStateByKey((values: number[], n: number | undefined) => (n ?? 0) + values.length);
    assert.throws(() => counted.writeStream.outputMode('append').start('out'), /needs a stateless query/);
    assert.throws(() => counted.reduceByKey((a, b) => a + b), /cannot follow updateStateByKey/);
    assert.throws(
      () => counted.writeStream.format('jsonl').start(join(freshDir('x'), 'out')),
      /needs option\('checkpointLocation'/,
    );
    assert.throws(
      () => counted.writeStream.option('checkpointLocaton', 'c').format('memory').start(),
      /unknown option 'checkpointLocaton': did you mean 'checkpointLocation'\?/,
    );
    assert.throws(
      () => kc.readStream.textFiles('in', { maxFilesPerTriger: 2 } as never),
      /did you mean 'maxFilesPerTrigger'/,
    );
    assert.throws(() => kc.readStream.jsonlFiles('in', { maxFilesPerTrigger: '3' as never }), {
      name: 'PlanError',
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: 'readStream.jsonlFiles(): maxFilesPerTrigger must be a positive integer, found "3"',
    });
    assert.throws(() => counted.writeStream.trigger({ processingTime: 5 } as never), /trigger\(\) expects/);
  } finally {
    await kc.stop();
  }
});

test('a checkpoint held by a running query is refused to a second one, and free again once the first stops', async () => {
  const root = freshDir('stream-lock');
  const kc = new Context({ threads: 0 });
  try {
    const start = () =>
      kc.readStream
        .memory<number>()
        .writeStream.format('memory')
        .queryName('locked')
        .option('checkpointLocation', join(root, 'ckpt'))
        .start();
    const first = start();
    assert.throws(
      start,
      (error: unknown) =>
        error instanceof StreamingQueryError &&
        error.code === 'ERR_STREAM_CHECKPOINT_IN_USE' &&
        /another query in this process/.test(error.message),
    );
    await first.stop();
    const second = start();
    await second.stop();
  } finally {
    await kc.stop();
  }
});
