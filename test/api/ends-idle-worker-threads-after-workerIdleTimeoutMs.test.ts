// Issue 11: an idle worker isolate holds ~10 MiB. With workerIdleTimeoutMs a thread idle that long ends, and the
// next task starts a new one, which runs it with the same result; without it, threads live as long as the Context.
// Threads are told apart by the threadId of each task's metrics (a new thread gets a new id). The wait relies on
// timer order, not on a guess: Piscina sets a thread's idle timer (50 ms) when its task ends, before this test's
// longer timer, so it has fired when the test's does.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { test } from 'node:test';

import { Context, type LoggedEvent } from '../../src/index.js';

/** The thread ids that ran the tasks of a 2-thread job, and its result. */
async function threadsOf(kc: Context, ids: Set<number>): Promise<number> {
  ids.clear();
  return kc
    .range(0, 400, 1, 8)
    .map((x: number): [number, number] => [x % 4, x])
    .reduceByKey((a: number, b: number) => a + b, 2)
    .values()
    .sum();
}

for (const idleMs of [50, 0]) {
  test(`workerIdleTimeoutMs ${idleMs}: ${idleMs > 0 ? 'idle threads end, new ones run' : 'threads stay'}`, async () => {
    const kc = new Context({ threads: 2, workerIdleTimeoutMs: idleMs });
    const ids = new Set<number>();
    kc.onEvent((event: LoggedEvent) => {
      if (event.kind === 'task-end' && event.metrics !== null) ids.add(event.metrics.threadId);
    });
    try {
      assert.equal(await threadsOf(kc, ids), 79_800);
      const first = [...ids];
      assert.ok(first.length >= 1 && !first.includes(0), `worker threads ran the tasks: ${first}`);
      await delay(1000);
      assert.equal(await threadsOf(kc, ids), 79_800);
      const second = [...ids];
      const kept = second.filter((id) => first.includes(id));
      if (idleMs > 0) assert.deepEqual(kept, [], `threads ${first} ended while idle; the next job ran on ${second}`);
      else assert.deepEqual(kept.toSorted(), second.toSorted(), `the same threads ran both jobs: ${first}, ${second}`);
    } finally {
      await kc.stop();
    }
  });
}

test('workerIdleTimeoutMs must be an integer >= 0', () => {
  assert.throws(() => new Context({ workerIdleTimeoutMs: -1 }), /workerIdleTimeoutMs must be an integer >= 0/);
});
