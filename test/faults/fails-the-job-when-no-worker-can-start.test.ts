import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, JobFailedError } from '../../src/index.js';

// Both kinds of pool: one that keeps its threads, and one whose idle threads end (the default), which starts threads
// only when a task is submitted, so tasks queued when the last thread died would wait forever.
for (const workerIdleTimeoutMs of [0, 60_000]) {
  test(`a pool whose threads cannot start fails the job with a clear error instead of hanging (workerIdleTimeoutMs ${workerIdleTimeoutMs})`, async () => {
    // A 1 MiB heap cannot even load the worker's modules: every thread dies while starting up.
    const kc = new Context({ threads: 1, workerHeapMbMax: 1, workerIdleTimeoutMs });
    try {
      const error = await kc
        .range(0, 10, 1, 2)
        .count()
        .then(
          () => assert.fail('the job should fail'),
          (e: unknown) => e,
        );
      assert.ok(error instanceof JobFailedError, String(error));
      assert.match(error.message, /the worker pool cannot run tasks: every worker thread failed while starting/);
      assert.match(error.message, /workerHeapMbMax = 1 MiB is too small to start a worker; raise it/);
      assert.equal((error.cause as { code?: string }).code, 'ERR_POOL_FAILED');
      // Later jobs fail at once with the same reason.
      await assert.rejects(kc.range(0, 3).count(), /the worker pool cannot run tasks/);
    } finally {
      await kc.stop();
    }
  });
}
