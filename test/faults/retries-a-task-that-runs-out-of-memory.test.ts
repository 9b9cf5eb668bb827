import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, JobFailedError } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from './fault-fixtures.js';

const kc = new Context({ threads: 2, workerHeapMbMax: 32, taskAttemptsMax: 2 });
after(() => kc.stop());

test('a task that exceeds the heap limit is out-of-memory, retried, and the error names the limit and the fix', async () => {
  const error = await kc
    .range(0, 4, 1, 2)
    .map((x) => {
      if (x !== 3) return x;
      const hoard: string[][] = [];
      for (let i = 0; ; i++) hoard.push(Array.from({ length: 4096 }, (_, j) => `${i}:${j}`));
    })
    .collect()
    .then(
      () => assert.fail('the job should fail'),
      (e: unknown) => e,
    );
  assert.ok(error instanceof JobFailedError, String(error));
  assert.match(error.message, /partition 1 failed 2 times/);
  assert.match(error.message, /ran out of heap memory at the heap limit of 32 MiB \(workerHeapMbMax\)/);
  assert.match(error.message, /raise the limit with the Context option workerHeapMbMax/);
  // The pool replaced the threads: the next job runs.
  assert.equal(await kc.range(0, 100, 1, 2).count(), 100);
});

test('an injected oom on a first attempt is retried and the result is exact', async () => {
  kc.setFaults({ seed: 5, rules: [{ kind: 'oom', partition: 2, attempt: 0 }] });
  try {
    assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
    const metrics = kc.lastJobMetrics!;
    assert.equal(metrics.faultsInjected.oom, 2);
    assert.equal(metrics.failures['out-of-memory'], 2);
    assert.equal(metrics.tasksRetried, 2);
  } finally {
    kc.setFaults(null);
  }
});
