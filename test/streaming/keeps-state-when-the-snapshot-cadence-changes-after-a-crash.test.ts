import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { committedOutput, freshDir, runStreamWordCount, wordCountArgs, writeWordFiles } from './stream-fixtures.js';

// A batch killed after its tasks wrote a snapshot (due every 3 batches), restarted with snapshots every 100 and one
// version retained: the rerun wrote only a delta, the killed attempt's snapshot stayed, and cleanup took it as the
// base of later versions, deleting the deltas the state really rested on. The next restart could not rebuild the
// state (before handle logs were checked, it rebuilt it from the stale snapshot and counted on wrongly).
test('a crashed attempt snapshot left behind is discarded on restart, so a changed snapshotEveryDeltas keeps the state exact', async () => {
  const base = freshDir('stream-snapshot-cadence');
  const input = join(base, 'in');
  writeWordFiles(input, 61, 12, 30); // two files a batch: 0 to 4 now, 5 after the held-back files come in
  const held = ['part-010.txt', 'part-011.txt'];
  const holdBack = (): void => held.forEach((name) => renameSync(join(input, name), join(base, name)));
  const bringBack = (): void => held.forEach((name) => renameSync(join(base, name), join(input, name)));
  const reference = { input, out: join(base, 'ref-out'), checkpoint: join(base, 'ref-ckpt') };
  const dirs = { input, out: join(base, 'out'), checkpoint: join(base, 'ckpt') };

  holdBack();
  assert.equal((await runStreamWordCount(wordCountArgs(reference, [], 0))).code, 0);
  const killed = await runStreamWordCount(wordCountArgs(dirs, ['--crash-at', 'after-prepare:2'], 0));
  assert.equal(killed.signal, 'SIGKILL', killed.stderr);
  assert.ok(readdirSync(join(dirs.checkpoint, 'state', '0', '0')).includes('2.snapshot.arrow'), 'a snapshot was due');
  const changed = ['--snapshot-every', '100', '--retain', '1'];
  const rerun = await runStreamWordCount(wordCountArgs(dirs, changed, 0));
  assert.equal(rerun.code, 0, rerun.stderr);
  // No snapshot since the crash: the state still rests on every delta from version 0.
  const stateFiles = readdirSync(join(dirs.checkpoint, 'state', '0', '0')).sort();
  assert.deepEqual(
    stateFiles,
    [0, 1, 2, 3, 4].map((version) => `${version}.delta.arrow`),
  );
  bringBack();
  assert.equal((await runStreamWordCount(wordCountArgs(reference, [], 0))).code, 0);
  const restarted = await runStreamWordCount(wordCountArgs(dirs, changed, 0));
  assert.equal(restarted.code, 0, restarted.stderr);
  assert.equal(committedOutput(dirs.out), committedOutput(reference.out));
});
