// What a user function prints on a worker thread (console.log, console.error) has reached the driver's stdout or stderr
// when the action that ran it returns, so a program that exits right after an action (process.exit) loses none of it
// to the result overtaking it. Worker threads wait for tasks with Atomics.waitAsync, for which Piscina does not wait
// for a task's output (executor/worker/worker-stdio.ts): without that wait, a program that logged 20,000 lines from two tasks
// and then called process.exit(0) printed 3 or 10,002 lines.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Context } from '../../src/index.js';

const LINES_PER_TASK = 10_000;

test('every line two tasks print has reached the driver when their action returns', async () => {
  const kc = new Context({ threads: 2 });
  // stderr, not stdout: the test runner reports through this process's stdout.
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  let atReturn: string;
  try {
    const count = await kc
      .range(0, 2 * LINES_PER_TASK, 1, 2)
      .map((x: number) => {
        console.error(`record ${x}`);
        return x;
      }, {})
      .count();
    atReturn = written.join('');
    assert.equal(count, 2 * LINES_PER_TASK);
  } finally {
    process.stderr.write = write;
    await kc.stop();
  }
  const lines = new Set(atReturn.split('\n').filter((line) => line.startsWith('record ')));
  assert.equal(lines.size, 2 * LINES_PER_TASK, `${lines.size} lines had reached the driver`);
  for (let x = 0; x < 2 * LINES_PER_TASK; x++) assert.ok(lines.has(`record ${x}`), `record ${x} had reached it`);
});
