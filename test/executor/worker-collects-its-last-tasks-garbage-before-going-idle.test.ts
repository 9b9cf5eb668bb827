// Issue 11: a worker thread collects a task's dead JavaScript objects as the task ends when they grew its heap by
// HEAP_GROWTH_BYTES_MIN, so a thread that goes idle after a job holds none of them. Before, an idle thread (parked
// by Piscina in Atomics.wait, running nothing) kept its last task's garbage until its next task or its idle end:
// after an RDD job whose map-side combiners held a million keys, ~120 MiB a thread. One thread, a job whose task
// builds and drops a map of 1.5 million entries, then a second job whose task reads the thread's heap as it starts
// (a task's start collects only when buffers grew, which this job's did not).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { HEAP_GROWTH_BYTES_MIN } from '../../src/executor/worker/worker-gc.js';
import { Context } from '../../src/index.js';

// Enough that the live map alone grows the heap past HEAP_GROWTH_BYTES_MIN: with a million entries (~58 MiB) the
// collection came only from whatever garbage the young generation held at the task's end, which moved with
// the modules a thread had loaded.
const ENTRIES = 1_500_000;
const MiB = 1024 * 1024;

test("a thread that goes idle after a task holds none of the task's dead objects", async () => {
  await checkIdleHeapAfter(ENTRIES, HEAP_GROWTH_BYTES_MIN);
});

// A sort's map task leaves ~26 MiB of dead pairs: a task that leaves ~40 MiB is collected as it ends, not only once
// a second task's garbage is added to it (with 64 MiB as the bound, the thread went idle holding all of it).
test("a thread collects a task's dead objects once they fill 40 MiB, not only past 64", async () => {
  await checkIdleHeapAfter(700_000, 40 * MiB);
});

/** Runs a task whose map of `entries` fills at least `heapAtEndMin` bytes of heap, then reads the idle thread's heap. */
async function checkIdleHeapAfter(entries: number, heapAtEndMin: number): Promise<void> {
  const kc = new Context({ threads: 1 });
  try {
    const [heapAtEnd] = await kc
      .range(0, 1, 1, 1)
      .mapPartitions(
        (_rows: Iterable<number>): number[] => {
          const counts = new Map<string, number>();
          for (let i = 0; i < entries; i++) counts.set(`word-${i}`, i);
          return [process.memoryUsage().heapUsed + counts.size - entries];
        },
        { entries },
      )
      .collect();
    assert.ok(heapAtEnd! >= heapAtEndMin, `the map filled ${(heapAtEnd! / MiB).toFixed(0)} MiB of heap`);
    const probe = new URL('./fixtures/worker-heap.js', import.meta.url);
    const [heapIdleMiB] = await kc.range(0, 1, 1, 1).map<number>(kc.fn(probe, 'heapUsedMiB')).collect();
    assert.ok(
      heapIdleMiB! < 16,
      `${heapIdleMiB!.toFixed(0)} MiB of heap used after the task, ${(heapAtEnd! / MiB).toFixed(0)} MiB at its end`,
    );
  } finally {
    await kc.stop();
  }
}
