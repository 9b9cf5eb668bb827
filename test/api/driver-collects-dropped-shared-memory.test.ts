// Issue 10: the driver frees the shared memory of answers and map outputs it dropped. Those are SharedArrayBuffers
// a worker thread allocated, which the driver's V8 does not count, so without a collection of our own they stayed
// until a major collection (GiBs over the join benchmark). A job starts with a full collection once the jobs since
// the last one wrote SHARED_BYTES_MIN and more than the heap's size; small jobs never pay one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';

import { DriverGc, SHARED_BYTES_MIN } from '../../src/api/context/driver-gc.js';

/** A SharedArrayBuffer of `bytes` that a worker thread allocated (as a task's result block). */
async function sharedFromWorker(bytes: number): Promise<SharedArrayBuffer> {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const shared = new SharedArrayBuffer(workerData);
     new Uint8Array(shared).fill(1);
     parentPort.postMessage(shared);`,
    { eval: true, workerData: bytes },
  );
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

test('a dropped SharedArrayBuffer from a worker is freed by the collection, which V8 alone does not schedule', async () => {
  const before = getHeapStatistics().external_memory;
  let shared: SharedArrayBuffer | null = await sharedFromWorker(32 * 1024 * 1024);
  assert.ok(
    getHeapStatistics().external_memory - before < 16 * 1024 * 1024,
    'V8 does not count the worker-made buffer',
  );
  const watched = new WeakRef(shared);
  shared = null;
  const driverGc = new DriverGc(16 * 1024 * 1024);
  driverGc.noteWritten(8 * 1024 * 1024);
  await nextTurn(); // a WeakRef keeps its target until the turn that made it ends
  assert.equal(driverGc.collectIfDue(), false, 'below the bound: no collection');
  driverGc.noteWritten(32 * 1024 * 1024);
  assert.equal(driverGc.collectIfDue(), true, 'past the bound: a collection');
  await nextTurn();
  assert.equal(watched.deref(), undefined, 'the dropped buffer was collected');
  assert.equal(driverGc.writtenBytes, 0, 'counted again from zero');
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'no gc global for user code');
});

test('collections are bounded by SHARED_BYTES_MIN and by the heap size', () => {
  let collections = 0;
  const driverGc = new DriverGc(SHARED_BYTES_MIN, () => collections++);
  driverGc.noteWritten(SHARED_BYTES_MIN - 1);
  assert.equal(driverGc.collectIfDue(), false);
  driverGc.noteWritten(1 + getHeapStatistics().used_heap_size);
  assert.equal(driverGc.collectIfDue(), true);
  assert.equal(driverGc.collectIfDue(), false, 'nothing written since');
  const big = new DriverGc(1, () => collections++);
  big.noteWritten(getHeapStatistics().used_heap_size / 2);
  assert.equal(big.collectIfDue(), false, 'a collection costs about the heap: not for less written than that');
  assert.equal(collections, 1);
});
