import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Context, ContextStoppedError } from '../../src/index.js';
import { rejectsWith, sharedCounters, temporaryDirectory } from './helpers.js';

/**
 * `kc.stop()` while a job writes (issue 14): the job is aborted and rejects with ContextStoppedError, and before
 * stop() resolves the job's staging folder beside the target and every spill file of the Context are gone; the
 * target never appears. On worker threads the task is stopped in the middle of its work (blocked for good), so only
 * terminating its thread ends it.
 */

const dir = temporaryDirectory('stop-aborts');

/** `Atomics.waitAsync` (Node 16+; the ES2024 lib that types it is newer than our target). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
      timeoutMs: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

/** Names in `parent` that are kindling's temporary folders. */
function leftovers(parent: string): string[] {
  return readdirSync(parent).filter((name) => name.includes('kindling-'));
}

test('stop() aborts a save whose task never ends, and removes its staging folder and spill files (piscina)', async () => {
  const tmpDir = join(dir(), 'tmp-piscina');
  mkdirSync(tmpDir);
  const target = join(dir(), 'out-piscina');
  // memoryBytesMax: 1 makes every map output of the shuffle spill, so the Context has spill files while it waits.
  const kc = new Context({ threads: 2, tmpDir, memoryBytesMax: 1, taskTimeoutMs: 0 });
  const gate = sharedCounters(2);
  const saving = kc
    .parallelize(
      Array.from({ length: 100 }, (_, i) => i),
      4,
    )
    .map((x) => [x % 7, x] as [number, number])
    .reduceByKey((a, b) => a + b, 2)
    .map(
      (pair) => {
        // Tell the test a result task runs, then block this thread for good: the job never ends by itself.
        Atomics.add(gate, 0, 1);
        Atomics.notify(gate, 0);
        Atomics.wait(gate, 1, 0);
        return pair;
      },
      { gate },
    )
    .saveAsTextFile(target);
  const outcome = saving.then(
    () => null,
    (error: unknown) => error,
  );
  const started = waitAsync(gate, 0, 0, 60_000);
  assert.equal(started.async ? await started.value : 'not-equal', 'ok', 'a result task started within 60 s');

  assert.equal(leftovers(dir()).length, 1, `the staging folder exists while the job runs: ${leftovers(dir())}`);
  assert.equal(leftovers(tmpDir).length, 1, `the spill folder exists while the job runs: ${leftovers(tmpDir)}`);
  await kc.stop();
  assert.deepEqual(leftovers(dir()), [], 'no staging folder after stop()');
  assert.deepEqual(leftovers(tmpDir), [], 'no spill folder after stop()');
  assert.equal(existsSync(target), false);
  await rejectsWith(
    outcome.then((error) => Promise.reject(error)),
    ContextStoppedError,
    'ERR_CONTEXT_STOPPED',
  );
  assert.deepEqual(leftovers(dir()), [], 'the aborted job created nothing after it rejected');
});

test('stop() aborts a save that has tasks queued on the calling thread (inline)', async () => {
  const target = join(dir(), 'out-inline');
  const kc = new Context({ threads: 0, tmpDir: dir() });
  const saving = kc
    .parallelize(
      Array.from({ length: 100 }, (_, i) => i),
      50,
    )
    .saveAsTextFile(target);
  // The committer made its staging folder when the save was called; no task has run yet.
  assert.equal(leftovers(dir()).length, 1);
  await kc.stop();
  const error = await rejectsWith(saving, ContextStoppedError, 'ERR_CONTEXT_STOPPED');
  assert.match(error.message, /the job was aborted/);
  assert.deepEqual(leftovers(dir()), []);
  assert.equal(existsSync(target), false);
});

test('a second stop() waits for the first to finish', async () => {
  const kc = new Context({ threads: 2, tmpDir: dir() });
  assert.equal(await kc.range(10).count(), 10);
  let firstDone = false;
  const first = kc.stop().then(() => (firstDone = true));
  await kc.stop();
  assert.equal(firstDone, true);
  await first;
});
