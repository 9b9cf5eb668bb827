#!/usr/bin/env node
/**
 * How much faster two threads stream through memory than one: the ceiling on two-thread scaling of a job whose
 * time goes into reading buffers (issue 11 asks what limits the word count's and the group-by's 2-thread speed-up).
 *
 *   node dist/native-bench/memory-bandwidth.js [--mib 512] [--rounds 5]
 *
 * A SharedArrayBuffer of `--mib` MiB (far larger than the caches) is summed as Float64 by 1 thread, then by 2 worker
 * threads each summing one half at the same moment; the best of `--rounds` rounds of each is printed as GB/s, with
 * the 2-thread / 1-thread ratio. A ratio near 2 says the memory bus leaves room for two threads; a lower one is the
 * bound no engine on this machine can beat on a memory-bound pass.
 */
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';

import { askWorker } from './ask-worker.js';

/**
 * The worker's body: waits for a { buffer, from, to } message, sums the range, replies with the sum. Four
 * accumulators, so the loop waits on memory rather than on the latency of one chain of additions.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', ({ buffer, from, to }) => {
  const view = new Float64Array(buffer, from * 8, to - from);
  let a = 0, b = 0, c = 0, d = 0, i = 0;
  for (; i + 4 <= view.length; i += 4) { a += view[i]; b += view[i + 1]; c += view[i + 2]; d += view[i + 3]; }
  for (; i < view.length; i++) a += view[i];
  parentPort.postMessage(a + b + c + d);
});
`;

function sumRange(view: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < view.length; i++) sum += view[i]!;
  return sum;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { mib: { type: 'string', default: '512' }, rounds: { type: 'string', default: '5' } },
  });
  const bytes = Number(values.mib) * 2 ** 20;
  const rounds = Number(values.rounds);
  if (!Number.isSafeInteger(bytes) || bytes < 8 * 2 ** 20) throw new RangeError(`--mib must be >= 8`);
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new RangeError(`--rounds must be >= 1`);
  const buffer = new SharedArrayBuffer(bytes);
  const all = new Float64Array(buffer);
  for (let i = 0; i < all.length; i++) all[i] = i & 1023; // touch every page before timing
  const expected = sumRange(all);
  const workers = [0, 1].map(() => new Worker(WORKER_SOURCE, { eval: true }));
  const half = Math.floor(all.length / 2);
  let oneMs = Infinity;
  let twoMs = Infinity;
  try {
    for (const w of workers) await askWorker<number>(w, { buffer, from: 0, to: 1024 }); // warm the workers' JIT
    for (let round = 0; round < rounds; round++) {
      let started = performance.now();
      const one = await askWorker<number>(workers[0]!, { buffer, from: 0, to: all.length });
      oneMs = Math.min(oneMs, performance.now() - started);
      started = performance.now();
      const [a, b] = await Promise.all([
        askWorker<number>(workers[0]!, { buffer, from: 0, to: half }),
        askWorker<number>(workers[1]!, { buffer, from: half, to: all.length }),
      ]);
      twoMs = Math.min(twoMs, performance.now() - started);
      // Integer-valued doubles far below 2^53: every order of additions gives the exact sum.
      if (one !== expected || a + b !== expected) throw new Error('memory-bandwidth: the sums disagree');
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  const gbPerSecond = (ms: number) => bytes / 1e9 / (ms / 1000);
  process.stdout.write(
    `read bandwidth over ${values.mib} MiB, best of ${rounds}: 1 thread ${gbPerSecond(oneMs).toFixed(2)} GB/s, ` +
      `2 threads ${gbPerSecond(twoMs).toFixed(2)} GB/s, ratio ${(oneMs / twoMs).toFixed(2)}×\n`,
  );
}

await main();
