// Issue 11: a worker thread collects the dead buffers of a task before its next task of the same stage. Piscina hands
// a thread its queued tasks back to back without returning to the thread's event loop, so a collection scheduled
// after each task (setImmediate) ran only once the whole stage had ended, and the buffers of the stage's tasks piled
// up to V8's own external-memory trigger (~64 MiB past the last collection). One thread, a stage of 8 tasks that each
// leave 48 MiB of dead buffers in the old generation (they outlive a few young collections, as a kernel's batches
// do): each task reads the thread's buffer bytes as it starts, when the previous task's buffers are dead.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { GROWTH_BYTES_MIN } from '../../src/executor/worker/worker-gc.js';
import { Context } from '../../src/index.js';

const TASKS = 8;
const BUFFER_BYTES = 4 * 1024 * 1024;
const BUFFERS_PER_TASK = 12;
const MiB = 1024 * 1024;

test('a thread collects the dead buffers of each task before the next task of the stage', async () => {
  const taskBytes = BUFFER_BYTES * BUFFERS_PER_TASK;
  assert.ok(taskBytes >= GROWTH_BYTES_MIN, 'each task grows the buffers enough to collect');
  const kc = new Context({ threads: 1 });
  try {
    const bufferBytes = BUFFER_BYTES;
    const buffersPerTask = BUFFERS_PER_TASK;
    const atStart = await kc
      .range(0, TASKS, 1, TASKS)
      .mapPartitions(
        (_rows: Iterable<number>): number[] => {
          const bytesAtStart = process.memoryUsage().arrayBuffers;
          const buffers: Uint8Array[] = [];
          for (let i = 0; i < buffersPerTask; i++) buffers.push(new Uint8Array(bufferBytes).fill(i + 1));
          // Small objects enough for several young collections: the buffers, still alive, move to the old generation.
          let objects: { i: number }[] = [];
          for (let i = 0; i < 2_000_000; i++) objects.push({ i });
          objects = [];
          return [bytesAtStart + buffers.length - buffersPerTask + objects.length];
        },
        { bufferBytes, buffersPerTask },
      )
      .collect();
    const shown = atStart.map((bytes) => (bytes / MiB).toFixed(0)).join(', ');
    // The first task of the stage may find anything the Context's start left; every later one finds at most the
    // collection's lag (V8 frees a few buffers concurrently, just after it), not the previous task's 48 MiB.
    for (const bytes of atStart.slice(1)) {
      assert.ok(bytes < taskBytes / 2, `MiB of buffers as each task started: ${shown}`);
    }
  } finally {
    await kc.stop();
  }
});
