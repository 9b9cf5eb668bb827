// A worker thread reads its buffer bytes (process.memoryUsage(), which also reads the RSS from /proc: 10–25 µs) at
// most once per READ_INTERVAL_MS, not at the start of every task: a job of 10,000 short tasks paid ~100 ms of CPU
// for it. Calls in a tight loop stand for back-to-back short tasks; the bound is computed from the loop's own time,
// so a slow machine only allows more readings.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { bufferReadings, collectIfBuffersGrew, READ_INTERVAL_MS } from '../../src/executor/worker/worker-gc.js';

test('back-to-back task starts read the buffer bytes at most once per READ_INTERVAL_MS', () => {
  const calls = 5000;
  const before = bufferReadings();
  const started = performance.now();
  for (let i = 0; i < calls; i++) collectIfBuffersGrew();
  const elapsedMs = performance.now() - started;
  const readings = bufferReadings() - before;
  assert.ok(readings >= 1, 'the first call reads');
  assert.ok(
    readings <= Math.ceil(elapsedMs / READ_INTERVAL_MS) + 1,
    `${readings} readings in ${elapsedMs.toFixed(1)} ms of ${calls} calls`,
  );
});
