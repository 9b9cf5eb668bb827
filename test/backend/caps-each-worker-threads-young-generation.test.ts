// Issue 11: a worker thread parked by Piscina between tasks never collects, so it kept all the young generation V8
// had grown it to (4 MiB at rest, more after a job of many short-lived objects). The pool caps it at V8's smallest
// (WORKER_YOUNG_GENERATION_MB): after a job that allocates a pair per record, every thread's new space is still at
// most two 1 MiB semi-spaces, and the job's answer is right.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context } from '../../src/index.js';
import { WORKER_YOUNG_GENERATION_MB } from '../../src/backend/piscina-backend.js';

const THREADS = 2;
const MiB = 2 ** 20;

/** What each thread reports: its young generation limit and the size of its new space now. */
interface YoungGeneration {
  readonly limitMb: number | undefined;
  readonly newSpaceBytes: number;
}

/** One answer per thread: each probe task waits at `gate` until all `THREADS` run at once (no sleeps). */
function probeEachThread(kc: Context): Promise<YoungGeneration[]> {
  const gate = new Int32Array(new SharedArrayBuffer(4));
  const parties = THREADS;
  return kc
    .range(0, parties, 1, parties)
    .mapPartitions(
      (_rows: Iterable<number>): YoungGeneration[] => {
        let started = Atomics.add(gate, 0, 1) + 1;
        Atomics.notify(gate, 0);
        const deadline = Date.now() + 30_000;
        while (started < parties) {
          if (Date.now() > deadline) throw new Error(`only ${started} of ${parties} probe tasks started`);
          Atomics.wait(gate, 0, started, 1000);
          started = Atomics.load(gate, 0);
        }
        const v8 = process.getBuiltinModule('node:v8');
        const { resourceLimits } = process.getBuiltinModule('node:worker_threads');
        const newSpace = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
        return [{ limitMb: resourceLimits.maxYoungGenerationSizeMb, newSpaceBytes: newSpace?.space_size ?? 0 }];
      },
      { gate, parties },
    )
    .collect();
}

test('every worker thread keeps a young generation of two 1 MiB semi-spaces through an allocating job', async () => {
  const kc = new Context({ threads: THREADS });
  try {
    const keys = 50_000;
    const counts = await kc
      .range(0, 400_000, 1, 4)
      .map((x: number): [number, number] => [x % keys, 1], { keys })
      .reduceByKey((a: number, b: number) => a + b, 4)
      .collect();
    assert.equal(counts.length, keys);
    assert.ok(
      counts.every(([, n]) => n === 8),
      'each key counted 8 times',
    );
    const threads = await probeEachThread(kc);
    assert.equal(threads.length, THREADS);
    for (const { limitMb, newSpaceBytes } of threads) {
      assert.ok(newSpaceBytes <= 2 * MiB, `a thread's new space is ${newSpaceBytes} bytes`);
      assert.equal(limitMb, WORKER_YOUNG_GENERATION_MB);
    }
  } finally {
    await kc.stop();
  }
});
