import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, JobFailedError, TaskError } from '../../src/index.js';

const kc = new Context({ threads: 2, taskAttemptsMax: 3 });
after(() => kc.stop());

test('an exception in user code is retried, then fails the job naming stage, partition, attempts and the error', async () => {
  const error = await kc
    .range(0, 40, 1, 4)
    .map(function parseRecord(x) {
      if (x === 25) throw new RangeError(`record ${x} is out of range`);
      return x;
    })
    .collect()
    .then(
      () => assert.fail('the job should fail'),
      (e: unknown) => e,
    );
  assert.ok(error instanceof JobFailedError, String(error));
  assert.equal(error.code, 'ERR_JOB_FAILED');
  assert.match(error.message, /stage \d+ \(map\), partition 2 failed 3 times/);
  assert.match(error.message, /map\(\) threw RangeError: record 25 is out of range/);
  assert.equal(error.location.partition, 2);
  assert.equal(error.location.attempt, 2);
  assert.ok(error.cause instanceof TaskError);
  assert.match(String(error.cause.userStack), /RangeError: record 25 is out of range\n\s+at parseRecord/);
  assert.match(String(error.cause.stack), /stack in the worker thread/);
});

test('an injected throw on the first attempt is retried and the result is exact', async () => {
  kc.setFaults({ seed: 1, rules: [{ kind: 'throw', attempt: 0, partition: 1 }] });
  try {
    assert.deepEqual(
      await kc
        .range(0, 40, 1, 4)
        .map((x) => x * 2)
        .collect(),
      Array.from({ length: 40 }, (_, i) => i * 2),
    );
    const metrics = kc.lastJobMetrics!;
    assert.equal(metrics.faultsInjected.throw, 1);
    assert.equal(metrics.failures.exception, 1);
    assert.equal(metrics.tasksRetried, 1);
    assert.equal(metrics.taskAttempts, 5);
  } finally {
    kc.setFaults(null);
  }
});

test('a thrown string or number is named with the operation that threw it, with no stack of ours', async () => {
  for (const [thrown, text] of [
    ['bad row', 'bad row'],
    [404, '404'],
    [undefined, 'undefined'],
  ] as const) {
    const error = await kc
      .range(0, 8, 1, 2)
      .map((x) => [x % 2, x] as [number, number])
      .reduceByKey(
        (a, b) => {
          if (a + b > 6) throw thrown;
          return a + b;
        },
        undefined,
        { thrown },
      )
      .collect()
      .then(
        () => assert.fail('the job should fail'),
        (e: unknown) => e,
      );
    assert.ok(error instanceof JobFailedError, String(error));
    assert.match(
      error.message,
      new RegExp(
        `partition \\d failed 3 times; last failure: reduceByKey\\(\\) threw Error: a non-Error value was thrown: ${text}$`,
      ),
    );
    assert.ok(error.cause instanceof TaskError);
    assert.equal(error.cause.userStack, `Error: a non-Error value was thrown: ${text}`);
  }
});
