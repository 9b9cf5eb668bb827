import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, JobFailedError } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from './fault-fixtures.js';

// taskAttemptsMax 1: a dead thread must not count against the user's attempts.
const kc = new Context({ threads: 2, taskAttemptsMax: 1 });
after(() => kc.stop());

for (const crash of ['exit', 'uncaught'] as const) {
  test(`a thread that dies (${crash === 'exit' ? 'process.exit' : 'uncaught exception from a timer'}) is worker-lost, rerun, and the result is exact`, async () => {
    kc.setFaults({ seed: 2, rules: [{ kind: 'crash', crash, partition: 1, attempt: 0 }] });
    try {
      assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
      const metrics = kc.lastJobMetrics!;
      // Partition 1 of the map stage and of the reduce stage each lost their thread once.
      assert.equal(metrics.faultsInjected.crash, 2);
      assert.equal(metrics.failures['worker-lost'], 2);
      assert.equal(metrics.failures.exception, 0);
      // Other tasks kept running: every other partition succeeded at its first attempt.
      assert.equal(metrics.tasksSucceeded, 7);
      assert.equal(metrics.taskAttempts, 9);
      assert.equal(metrics.tasksRetried, 2);
    } finally {
      kc.setFaults(null);
    }
  });
}

test('a task whose thread always dies still ends, after its own bound, with a clear error', async () => {
  kc.setFaults({ seed: 3, rules: [{ kind: 'crash', partition: 0 }] });
  try {
    await assert.rejects(kc.range(0, 10, 1, 2).collect(), (error: unknown) => {
      assert.ok(error instanceof JobFailedError);
      assert.match(
        error.message,
        /partition 0 failed 8 times; last failure: the worker thread died: worker exited with code: 1/,
      );
      return true;
    });
  } finally {
    kc.setFaults(null);
  }
  // The pool recovered: the next job runs.
  assert.equal(await kc.range(0, 10, 1, 2).count(), 10);
});
