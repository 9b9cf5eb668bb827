import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Context, StreamingQueryError, type StreamingQueryProgress } from '../../src/index.js';
import { CRASH_POINTS } from '../../src/streaming/crash-points.js';
import { committedOutput, freshDir, runNodeScript } from './stream-fixtures.js';
import {
  differenceFromModel,
  EVENT_WINDOWS_RUNNER,
  linesByBatchOf,
  modelAppendOutput,
  modelOutput,
  modelRun,
  WINDOW,
  writeEventFiles,
  type TestEvent,
} from './event-windows-fixtures.js';

const SEED = Number(process.env.SEED ?? Math.floor(Math.random() * 2 ** 31));
console.log(`windows-by-event-time-with-a-watermark: SEED=${SEED}`);

const RUNNER = EVENT_WINDOWS_RUNNER;

async function runWindowedCount(
  input: string,
  out: string,
  checkpoint: string,
  threads: number,
): Promise<{ batches: number; progress: StreamingQueryProgress[] }> {
  const kc = new Context({ threads });
  try {
    const query = kc.readStream
      .jsonlFiles<TestEvent>(input, { maxFilesPerTrigger: 1 })
      .reduceByKeyAndWindow((a: number, b: number) => a + b, {
        eventTime: (event: TestEvent) => event.ts,
        pair: (event: TestEvent) => [event.user, 1],
        ...WINDOW,
        numPartitions: 3,
      })
      .writeStream.trigger({ availableNow: true })
      .option('checkpointLocation', checkpoint)
      .format('jsonl')
      .start(out);
    await query.awaitTermination();
    return { batches: (query.lastProgress?.batchId ?? -1) + 1, progress: [...query.recentProgress] };
  } finally {
    await kc.stop();
  }
}

test('each event-time window is emitted once, when the watermark passes its end, as the watermark rules give batch by batch', async () => {
  const input = freshDir('windows-in');
  const events = writeEventFiles(input, SEED, 8, 40);
  const root = freshDir('windows-out');
  const { batches, progress } = await runWindowedCount(input, join(root, 'out'), join(root, 'ckpt'), 2);
  const expected = modelAppendOutput(events);
  const model = modelRun(events, 'append', WINDOW);
  assert.deepEqual(
    progress.map((p) => [p.eventTime?.watermarkMs, p.eventTime?.lateRowsDropped]),
    model.watermarks.map((watermarkMs, batch) => [watermarkMs, model.lateRows[batch]]),
    `each batch's watermark and late records in its progress, SEED=${SEED}`,
  );
  assert.equal(batches, expected.length, `batches run (8 with data, then the ones that close windows), SEED=${SEED}`);
  const found = linesByBatchOf(committedOutput(join(root, 'out')));
  assert.equal(differenceFromModel(found, expected), null, `SEED=${SEED}`);
  // Late events were dropped and on-time ones counted: the model agrees on both, and some of each occurred.
  const emittedCount = expected.flat().reduce((sum, line) => sum + (JSON.parse(line) as [unknown, number])[1], 0);
  assert.ok(emittedCount > 0, 'some windows closed');
});

test('in update mode each batch emits the windows its events changed; tumbling windows; Date event times; the open windows in readStateStore', async () => {
  const input = freshDir('windows-update-in');
  const events = writeEventFiles(input, SEED + 1, 6, 40);
  const root = freshDir('windows-update');
  const tumbling = { windowMs: 7_000, slideMs: 7_000, watermarkDelayMs: 2_000 };
  const kc = new Context({ threads: 2 });
  let batches = 0;
  let stateRows: string[] = [];
  try {
    const query = kc.readStream
      .jsonlFiles<TestEvent>(input, { maxFilesPerTrigger: 1 })
      .reduceByKeyAndWindow((a: number, b: number) => a + b, {
        eventTime: (event: TestEvent) => new Date(event.ts),
        pair: (event: TestEvent) => [event.user, 1],
        windowMs: tumbling.windowMs, // slideMs left out: tumbling
        watermarkDelayMs: tumbling.watermarkDelayMs,
      })
      .writeStream.outputMode('update')
      .trigger({ availableNow: true })
      .option('checkpointLocation', join(root, 'ckpt'))
      .format('jsonl')
      .start(join(root, 'out'));
    await query.awaitTermination();
    batches = (query.lastProgress?.batchId ?? -1) + 1;
    const state = await kc.readStateStore(join(root, 'ckpt')).collect();
    stateRows = state.map((row) => JSON.stringify([row['key'], row['windowStartMs'], row['value']])).sort();
  } finally {
    await kc.stop();
  }
  const expected = modelOutput(events, 'update', tumbling);
  assert.deepEqual(
    stateRows,
    modelRun(events, 'update', tumbling).open,
    `readStateStore: the open windows, SEED=${SEED + 1}`,
  );
  assert.equal(batches, expected.length, `SEED=${SEED + 1}`);
  const found = linesByBatchOf(committedOutput(join(root, 'out')));
  assert.equal(differenceFromModel(found, expected), null, `SEED=${SEED + 1}`);
});

test('an event-time window query killed at each step of the commit protocol restarts to exactly the output of a run never killed', async () => {
  const input = freshDir('windows-crash-in');
  // Eight files: batch 2 writes a state snapshot and cleans up; batches 8 and later carry no data and close windows.
  const events = writeEventFiles(input, SEED, 8, 25);
  const lastBatch = modelAppendOutput(events).length - 1;
  const reference = freshDir('windows-crash-ref');
  const clean = await runNodeScript(RUNNER, [input, join(reference, 'out'), join(reference, 'ckpt')]);
  assert.equal(clean.code, 0, clean.stderr);
  const expected = committedOutput(join(reference, 'out'));
  assert.ok(expected.length > 0, 'the reference run emitted windows');
  const crashes = [
    ...CRASH_POINTS.map((point) => `${point}:2`),
    `after-handles:0`,
    `after-commit:${lastBatch}`, // a batch without data, closing the last windows
  ];
  for (const crash of crashes) {
    const root = freshDir('windows-crash');
    const args = [input, join(root, 'out'), join(root, 'ckpt')];
    const killed = await runNodeScript(RUNNER, [...args, crash]);
    assert.equal(killed.signal, 'SIGKILL', `${crash} should kill the process; ${killed.stderr}`);
    const restarted = await runNodeScript(RUNNER, args);
    assert.equal(restarted.code, 0, `${crash}: ${restarted.stderr}`);
    assert.equal(committedOutput(join(root, 'out')), expected, `after a crash at ${crash}, SEED=${SEED}`);
  }
});

test('an event time that is not a number fails the batch at once, naming the record', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const stream = kc.readStream.memory<{ user: string; ts: unknown }>();
    const query = stream
      .reduceByKeyAndWindow((a: number, b: number) => a + b, {
        eventTime: (event: { ts: unknown }) => event.ts as number,
        pair: (event: { user: string }) => [event.user, 1],
        ...WINDOW,
      })
      .writeStream.format('memory')
      .queryName('late')
      .start();
    stream.addData({ user: 'a', ts: 1_000 }, { user: 'b', ts: '12:00' });
    await assert.rejects(query.awaitTermination(), (error: unknown) => {
      assert.ok(error instanceof StreamingQueryError, String(error));
      assert.match(error.message, /streaming batch 0 failed/);
      assert.match(error.message, /eventTime gave "12:00" for the record \{"user":"b","ts":"12:00"\}: expected/);
      assert.match(error.message, /expected milliseconds since the epoch/);
      return true;
    });
  } finally {
    await kc.stop();
  }
});

test('window options, output modes and a changed window are refused before anything runs, naming what is wrong', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const events = kc.readStream.memory<TestEvent>();
    const count = (a: number, b: number) => a + b;
    const base = { eventTime: (e: TestEvent) => e.ts, pair: (e: TestEvent) => [e.user, 1] as [string, number] };
    assert.throws(
      () => events.reduceByKeyAndWindow(count, { ...base, windowMs: 10_000, slideMs: 20_000, watermarkDelayMs: 0 }),
      /slideMs must be a positive integer no larger than windowMs \(10000\), found 20000/,
    );
    assert.throws(
      () => events.reduceByKeyAndWindow(count, { ...base, windowMs: 10_000 } as never),
      /watermarkDelayMs must be an integer ≥ 0, found undefined/,
    );
    assert.throws(
      () => events.reduceByKeyAndWindow(count, { ...base, windowMs: 0.5, watermarkDelayMs: 0 }),
      /windowMs must be a positive integer, found 0.5/,
    );
    assert.throws(
      () => events.reduceByKeyAndWindow(count, { ...base, windowMs: 1000, watermarkDelayMs: 0, slide: 5 } as never),
      /unknown option 'slide'/,
    );
    const windowed = events.reduceByKeyAndWindow(count, { ...base, windowMs: 10_000, watermarkDelayMs: 0 });
    assert.throws(
      () => windowed.writeStream.outputMode('complete').format('memory').queryName('x').start(),
      /outputMode\('complete'\) would keep every window forever/,
    );
    assert.throws(
      () => windowed.updateStateByKey(() => 1),
      /updateStateByKey\(\) cannot follow reduceByKeyAndWindow\(\)/,
    );
    const input = freshDir('windows-changed-in');
    // One event, so a batch runs and the checkpoint holds state (a query that never ran a batch may be changed).
    writeFileSync(join(input, 'events.jsonl'), '{"user":"a","ts":1000}\n');
    const root = freshDir('windows-changed');
    const start = (windowMs: number) =>
      kc.readStream
        .jsonlFiles<TestEvent>(input)
        .reduceByKeyAndWindow(count, { ...base, windowMs, watermarkDelayMs: 0 })
        .writeStream.trigger({ availableNow: true })
        .option('checkpointLocation', join(root, 'ckpt'))
        .format('jsonl')
        .start(join(root, 'out'));
    await start(10_000).awaitTermination();
    assert.throws(() => start(20_000), /its event-time windows were .*"windowMs":10000.*, now .*"windowMs":20000/);
  } finally {
    await kc.stop();
  }
});
