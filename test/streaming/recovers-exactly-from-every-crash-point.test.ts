import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { CRASH_POINTS } from '../../src/streaming/crash-points.js';
import { committedOutput, freshDir, runStreamWordCount, wordCountArgs, writeWordFiles } from './stream-fixtures.js';

// Batch 2 writes a state snapshot (every 3 versions) and is the first to clean up old files (retain 2).
const CRASHES = [
  ...CRASH_POINTS.map((point) => ({ point, batchId: 2 })),
  { point: 'after-handles', batchId: 0 },
] as const;

// The driver's steps are what this checks: the inline backend (threads 0) keeps each run short.
test('a query killed at each step of the commit protocol restarts to exactly the output of a run never killed', async () => {
  const input = freshDir('stream-crash-in');
  writeWordFiles(input, 42, 10, 60);
  const reference = {
    input,
    out: join(freshDir('stream-crash-ref'), 'out'),
    checkpoint: join(freshDir('stream-crash-ref'), 'ckpt'),
  };
  const clean = await runStreamWordCount(wordCountArgs(reference, [], 0));
  assert.equal(clean.code, 0, clean.stderr);
  const expected = committedOutput(reference.out);
  for (const crash of CRASHES) {
    const root = freshDir('stream-crash');
    const dirs = { input, out: join(root, 'out'), checkpoint: join(root, 'ckpt') };
    const killed = await runStreamWordCount(wordCountArgs(dirs, ['--crash-at', `${crash.point}:${crash.batchId}`], 0));
    assert.equal(killed.signal, 'SIGKILL', `${crash.point}:${crash.batchId} should kill the process; ${killed.stderr}`);
    const restarted = await runStreamWordCount(wordCountArgs(dirs, [], 0));
    assert.equal(restarted.code, 0, `${crash.point}:${crash.batchId}: ${restarted.stderr}`);
    assert.equal(committedOutput(dirs.out), expected, `after a crash at ${crash.point} of batch ${crash.batchId}`);
  }
});
