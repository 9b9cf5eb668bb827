// Issue 11: an idle worker thread waits for its next task without blocking its event loop (Piscina's atomics:
// 'async'), so what the thread has scheduled runs while it waits: V8's memory reducer, which gives an idle thread's
// young generation back (~8 s after its last collection), and any timer a task left. With Piscina's default
// (Atomics.wait) the thread ran nothing until its next task came, and its memory stayed as the last task left it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context } from '../../src/index.js';

/** Atomics.waitAsync (ES2024; Node has it since 16), missing from the TypeScript lib this project targets. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(cells: Int32Array, index: number, value: number, timeoutMs: number): { value: Promise<string> | string };
  }
).waitAsync;

/** Bound on the wait for the timer; it fires within milliseconds when the thread's event loop runs. */
const WAIT_MS_MAX = 20_000;

test('a timer a task scheduled fires while the thread waits for its next task', async () => {
  const kc = new Context({ threads: 2 });
  try {
    const fired = new Int32Array(new SharedArrayBuffer(4));
    // One task per thread, each scheduling a timer that runs only after its task has ended.
    const results = await kc
      .range(0, 2, 1, 2)
      .map(
        (x: number) => {
          setTimeout(() => {
            Atomics.add(fired, 0, 1);
            Atomics.notify(fired, 0);
          }, 1);
          return x;
        },
        { fired },
      )
      .collect();
    assert.deepEqual(results, [0, 1]);
    // No further task is sent: the timers can run only in the idle threads' event loops.
    // waitAsync's promise does not keep Node's event loop alive by itself: this timer does, up to the bound.
    const deadline = Date.now() + WAIT_MS_MAX;
    const keepAlive = setTimeout(() => {}, WAIT_MS_MAX);
    try {
      for (let seen = Atomics.load(fired, 0); seen < 2 && Date.now() < deadline; seen = Atomics.load(fired, 0)) {
        await waitAsync(fired, 0, seen, deadline - Date.now()).value;
      }
    } finally {
      clearTimeout(keepAlive);
    }
    assert.equal(Atomics.load(fired, 0), 2, 'both idle threads ran the timer their task left');
  } finally {
    await kc.stop();
  }
});
