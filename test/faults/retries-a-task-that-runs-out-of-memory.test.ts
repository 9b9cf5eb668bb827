import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, JobFailedError } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from './fault-fixtures.js';

const kc = new Context({ threads: 2, workerHeapMbMax: 32, taskAttemptsMax: 4 });
after(() => kc.stop());

test('a task that exceeds the heap limit is out-of-memory, retried once, and the error names the limit and the fix', async () => {
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
  // Twice, not taskAttemptsMax (4) times: the second attempt on a fresh heap fails alike.
  assert.match(error.message, /^job failed: stage 0 \(map\), partition 1 failed 2 times; /);
  assert.match(error.message, /ran out of heap memory at the heap limit of 32 MiB \(workerHeapMbMax\)/);
  assert.match(
    error.message,
    /raise the limit with the Context option workerHeapMbMax \(e\.g\. new Context\(\{ workerHeapMbMax: 64 \}\)\)/,
  );
  // The pool replaced the threads: the next job runs.
  assert.equal(await kc.range(0, 100, 1, 2).count(), 100);
});

test('injected ooms on a first and a second attempt are retried (they do not count as a real oom) and the result is exact', async () => {
  kc.setFaults({
    seed: 5,
    rules: [
      { kind: 'oom', partition: 2, attempt: 0 },
      { kind: 'oom', partition: 2, attempt: 1 },
    ],
  });
  try {
    assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
    const metrics = kc.lastJobMetrics!;
    // Partition 2 of both stages, twice each.
    assert.equal(metrics.faultsInjected.oom, 4);
    assert.equal(metrics.failures['out-of-memory'], 4);
    assert.equal(metrics.tasksRetried, 2);
  } finally {
    kc.setFaults(null);
  }
});
