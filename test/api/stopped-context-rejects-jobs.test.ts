import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, ContextStoppedError } from '../../src/index.js';
import { BACKENDS, rejectsWith } from './helpers.js';

/**
 * After `kc.stop()` every new job is rejected with ERR_CONTEXT_STOPPED, including jobs over datasets defined
 * before the stop. Each test stops its own Context, so these do not use the shared per-file Context.
 */

for (const backend of BACKENDS) {
  test(`a stopped context rejects new jobs (${backend.name} backend)`, async () => {
    const kc = new Context({ threads: backend.threads });
    const defined = kc.parallelize([1, 2, 3], 2).map((x) => x * 2);
    assert.deepEqual(await defined.collect(), [2, 4, 6]);
    assert.equal(kc.stopped, false);
    await kc.stop();
    assert.equal(kc.stopped, true);

    const error = await rejectsWith(defined.collect(), ContextStoppedError, 'ERR_CONTEXT_STOPPED');
    assert.match(error.message, /stop/);
    await rejectsWith(defined.count(), ContextStoppedError, 'ERR_CONTEXT_STOPPED');
    await rejectsWith(
      kc.range(0, 5).reduce((a, b) => a + b),
      ContextStoppedError,
      'ERR_CONTEXT_STOPPED',
    );
    await rejectsWith(
      kc
        .parallelize<[string, number]>([['a', 1]])
        .reduceByKey((a, b) => a + b)
        .collect(),
      ContextStoppedError,
      'ERR_CONTEXT_STOPPED',
    );
    await rejectsWith(
      defined.foreach(() => {}),
      ContextStoppedError,
      'ERR_CONTEXT_STOPPED',
    );
    await rejectsWith(defined.take(1), ContextStoppedError, 'ERR_CONTEXT_STOPPED');
  });

  test(`stop is idempotent (${backend.name} backend)`, async () => {
    const kc = new Context({ threads: backend.threads });
    await kc.stop();
    await kc.stop();
    assert.equal(kc.stopped, true);
  });

  test(`stopping one context leaves another working (${backend.name} backend)`, async () => {
    const first = new Context({ threads: backend.threads });
    const second = new Context({ threads: backend.threads });
    try {
      await first.stop();
      assert.equal(await second.range(0, 10).count(), 10);
    } finally {
      await second.stop();
    }
  });
}
