import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRASH_POINTS } from '../../src/streaming/crash-points.js';
import { readLog } from '../../src/streaming/checkpoint-log.js';
import { committedOutput, freshDir, runNodeScript } from './stream-fixtures.js';
import { EVENT_WINDOWS_RUNNER } from './event-windows-fixtures.js';

/**
 * Four files, one batch each (10 s windows every 5 s, 3 s late allowed): the watermark stays below the first
 * window's end (105 s) through batch 3, so batches 0 to 3 read data but close no window; batch 4 (no data; the
 * watermark is 117 s) closes the four windows of 95 s and 100 s. Batch 2 also writes a state snapshot and cleans up.
 */
function writeInput(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const events = [
    { user: 'u0', ts: 100_000 },
    { user: 'u0', ts: 101_000 },
    { user: 'u1', ts: 102_000 },
    { user: 'u0', ts: 120_000 },
  ];
  const base = Date.UTC(2026, 0, 1) / 1000;
  events.forEach((event, f) => {
    const path = join(dir, `events-${f}.jsonl`);
    writeFileSync(path, `${JSON.stringify(event)}\n`);
    utimesSync(path, base + f, base + f);
  });
}

/** What a reader of the sink path sees: its entries, each batch's log entry, and the committed part files. */
function published(out: string): { entries: string[]; log: unknown[]; output: string } {
  const logDir = join(out, '_kindling_sink', 'log');
  const logged = existsSync(logDir) ? readdirSync(logDir).sort((a, b) => Number(a) - Number(b)) : [];
  return {
    entries: readdirSync(out).sort(),
    log: logged.map((name) => readLog(join(logDir, name))),
    output: committedOutput(out),
  };
}

const EXPECTED_LOG = [0, 1, 2, 3].map((batchId) => ({ batchId, files: [] as string[] }));

test('a batch that emits no rows publishes no batch folder, is logged with no files, and a kill -9 at each of its steps restarts to the same output', async () => {
  const input = freshDir('empty-batch-in');
  writeInput(input);
  const reference = freshDir('empty-batch-ref');
  const clean = await runNodeScript(EVENT_WINDOWS_RUNNER, [input, join(reference, 'out'), join(reference, 'ckpt')]);
  assert.equal(clean.code, 0, clean.stderr);
  const expected = published(join(reference, 'out'));
  assert.deepEqual(expected.entries, ['_kindling_sink', 'batch=4'], 'only the batch that closed windows has a folder');
  assert.deepEqual(expected.log.slice(0, 4), EXPECTED_LOG, 'the empty batches are logged as committed, with no files');
  // minBatchesToRetain 2: the checkpoint keeps only the last few commit records.
  assert.equal(
    readdirSync(join(reference, 'ckpt', 'commits'))
      .sort()
      .at(-1),
    '4',
    'batches 0 to 4 committed',
  );
  assert.equal(
    expected.output.split('\n').filter((line) => line.length > 0 && !line.startsWith('== ')).length,
    4,
    'batch 4 emits the windows of 95 s and 100 s of u0 and u1',
  );
  for (const crash of [...CRASH_POINTS.map((point) => `${point}:2`), 'after-handles:0']) {
    const root = freshDir('empty-batch-crash');
    const args = [input, join(root, 'out'), join(root, 'ckpt')];
    const killed = await runNodeScript(EVENT_WINDOWS_RUNNER, [...args, crash]);
    assert.equal(killed.signal, 'SIGKILL', `${crash} should kill the process; ${killed.stderr}`);
    const restarted = await runNodeScript(EVENT_WINDOWS_RUNNER, args);
    assert.equal(restarted.code, 0, `${crash}: ${restarted.stderr}`);
    assert.deepEqual(published(join(root, 'out')), expected, `after a crash at ${crash}`);
  }
});
