// toLocalIterator(true) (PySpark's prefetchPartitions): the same records in the same order, with the next
// partition's job started before the current partition is consumed; a failing prefetched job is reported when the
// iteration reaches it (never as an unhandled rejection), and stopping early is harmless.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { JobFailedError, type LoggedEvent } from '../../src/index.js';
import { onEveryBackend } from './helpers.js';

onEveryBackend('toLocalIterator with prefetchPartitions', (on) => {
  test('yields every record in partition order, as without prefetching', async () => {
    const rdd = on
      .kc()
      .range(0, 50, 1, 7)
      .map((x: number) => x * 2);
    const plain: number[] = [];
    for await (const x of rdd.toLocalIterator()) plain.push(x);
    const prefetched: number[] = [];
    for await (const x of rdd.toLocalIterator(true)) prefetched.push(x);
    assert.deepEqual(prefetched, plain);
    assert.deepEqual(
      prefetched,
      Array.from({ length: 50 }, (_, i) => i * 2),
    );
    const empty: number[] = [];
    for await (const x of on
      .kc()
      .parallelize([] as number[], 3)
      .toLocalIterator(true))
      empty.push(x);
    assert.deepEqual(empty, []);
  });

  test('the next partition’s job is started before the first record of the current one is consumed', async () => {
    const kc = on.kc();
    const started: number[] = [];
    const off = kc.onEvent((event: LoggedEvent) => {
      if (event.kind === 'job-start') started.push(event.jobId);
    });
    try {
      const rdd = kc.range(0, 8, 1, 4);
      for await (const x of rdd.toLocalIterator(true)) {
        // Partition 0's job and partition 1's.
        assert.equal(started.length, 2, `jobs started when record ${x} is consumed`);
        break;
      }
      started.length = 0;
      for await (const x of rdd.toLocalIterator()) {
        assert.equal(started.length, 1, `jobs started without prefetching when record ${x} is consumed`);
        break;
      }
    } finally {
      off();
    }
  });

  test('a failing partition fails the iteration when it is reached; an early stop leaves nothing pending', async () => {
    const kc = on.kc();
    const failing = kc.range(0, 6, 1, 3).map((x: number) => {
      if (x === 5) throw new Error('record 5 is bad');
      return x;
    });
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const x of failing.toLocalIterator(true)) seen.push(x);
      })(),
      (error: unknown) => error instanceof JobFailedError && /record 5 is bad/.test(error.message),
    );
    assert.deepEqual(seen, [0, 1, 2, 3]);
    // Partition 1 fails while partition 0 still computes: its job is rejected before the iteration awaits it.
    const slowThenFailing = kc.range(0, 2, 1, 2).map((x: number) => {
      if (x === 1) throw new Error('partition 1 is bad');
      let sum = 0;
      for (let i = 0; i < 3e7; i++) sum += i % 7;
      return sum;
    });
    const firsts: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const x of slowThenFailing.toLocalIterator(true)) firsts.push(x);
      })(),
      (error: unknown) => error instanceof JobFailedError && /partition 1 is bad/.test(error.message),
    );
    assert.equal(firsts.length, 1);
    // Stopped at the first record, while the failing partition 2 may still be prefetched: nothing surfaces.
    for await (const x of failing.toLocalIterator(true)) if (x === 0) break;
    assert.equal(await kc.range(0, 3).count(), 3, 'the Context still runs jobs');
  });
});
