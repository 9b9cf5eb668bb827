import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Context } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from './fault-fixtures.js';

const TIMEOUT_MS = 400;
const kc = new Context({ threads: 2, taskTimeoutMs: TIMEOUT_MS, taskAttemptsMax: 2 });
after(() => kc.stop());

test(`a task that stops progressing is terminated within taskTimeoutMs + 100 ms and rerun`, async () => {
  // Shared with the workers: a flag so that only the first attempt hangs, and the time it stopped progressing.
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const hungAtMs = new Float64Array(new SharedArrayBuffer(8));
  let rerunAtMs = 0;
  // The watch's checks are timers on this thread: when the machine is busy they run late by the event loop's delay,
  // which is load, not the watch. Measured here and allowed for on top of the 100 ms (the watch checks every
  // taskTimeoutMs / 20 = 20 ms; a watch that checked once per timeout would be up to 400 ms late however idle).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const stop = kc.onStageProgress((progress) => {
    // The second launch of the hung partition: the scheduler reports it as soon as the first attempt ended.
    if (Atomics.load(flag, 0) === 1 && rerunAtMs === 0 && progress.running > 0 && hungAtMs[0]! > 0) {
      rerunAtMs = performance.timeOrigin + performance.now();
    }
  });
  try {
    // One partition: after the hang starts, the only progress report is the rerun's launch.
    const result = await kc
      .range(0, 200, 1, 1)
      .map(
        (x) => {
          if (x === 150 && Atomics.compareExchange(flag, 0, 0, 1) === 0) {
            hungAtMs[0] = performance.timeOrigin + performance.now();
            Atomics.wait(flag, 0, 1); // blocks: nobody ever notifies
          }
          return x + 1;
        },
        { flag, hungAtMs },
      )
      .collect();
    assert.deepEqual(
      result,
      Array.from({ length: 200 }, (_, i) => i + 1),
    );
  } finally {
    stop();
    loopDelay.disable();
  }
  const metrics = kc.lastJobMetrics!;
  assert.equal(metrics.failures['timed-out'], 1);
  const loopDelayMs = loopDelay.max / 1e6;
  const latencyMs = rerunAtMs - hungAtMs[0]!;
  console.log(
    `hang detection: stopped at t0, attempt ended and rerun after ${latencyMs.toFixed(0)} ms ` +
      `(taskTimeoutMs ${TIMEOUT_MS}, event loop delay at most ${loopDelayMs.toFixed(0)} ms)`,
  );
  assert.ok(latencyMs >= TIMEOUT_MS - 5, `not before the timeout: ${latencyMs} ms`);
  assert.ok(
    latencyMs <= TIMEOUT_MS + 100 + loopDelayMs,
    `within taskTimeoutMs + 100 ms + the event loop's delay (${loopDelayMs.toFixed(0)} ms): ${latencyMs} ms`,
  );
});

test('a slow task that keeps progressing is never killed, though it runs longer than the timeout', async () => {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  const startedMs = performance.now();
  const result = await kc
    .range(0, 96, 1, 1)
    .map(
      (x) => {
        Atomics.wait(cell, 0, 0, 10); // 10 ms per record: slow, with a heartbeat per record
        return x;
      },
      { cell },
    )
    .count();
  const wallMs = performance.now() - startedMs;
  assert.equal(result, 96);
  assert.ok(wallMs > 2 * TIMEOUT_MS, `the task ran longer than the timeout (${wallMs.toFixed(0)} ms)`);
  assert.equal(kc.lastJobMetrics!.failures['timed-out'], 0);
  assert.equal(kc.lastJobMetrics!.taskAttempts, 1);
});

// Issue 12: the heartbeat once advanced every 16 records, so records slower than taskTimeoutMs / 16 (25 ms here)
// got a progressing task killed as hung. Now every record beats: 100 ms records (a quarter of the timeout) pass,
// whether they reach the sink (map) or are dropped on the way (filter).
for (const [name, keep] of [
  ['map', true],
  ['filter dropping every record', false],
] as const) {
  test(`records taking a quarter of the timeout each never get the task killed (${name})`, async () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const startedMs = performance.now();
    const result = await kc
      .range(0, 8, 1, 1)
      .filter(
        () => {
          Atomics.wait(cell, 0, 0, 100); // the record's work: 100 ms, a quarter of taskTimeoutMs
          return keep;
        },
        { cell, keep },
      )
      .count();
    const wallMs = performance.now() - startedMs;
    assert.equal(result, keep ? 8 : 0);
    assert.ok(wallMs > 2 * TIMEOUT_MS, `the task ran longer than the timeout (${wallMs.toFixed(0)} ms)`);
    assert.equal(kc.lastJobMetrics!.failures['timed-out'], 0);
    assert.equal(kc.lastJobMetrics!.taskAttempts, 1);
  });
}

test('an injected hang is terminated and rerun; the result is exact', async () => {
  kc.setFaults({ seed: 9, rules: [{ kind: 'hang', partition: 0, attempt: 0 }] });
  try {
    assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
    const metrics = kc.lastJobMetrics!;
    assert.equal(metrics.faultsInjected.hang, 2);
    assert.equal(metrics.failures['timed-out'], 2);
    assert.ok(metrics.timeLostMs >= 2 * TIMEOUT_MS);
  } finally {
    kc.setFaults(null);
  }
});
