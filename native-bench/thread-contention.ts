#!/usr/bin/env node
/**
 * What a second busy core costs a thread on this machine, with no engine involved (issue 11's scaling analysis):
 * each kernel runs in 1 worker thread alone, then in 2 at once, best of `--rounds`; the ratio is how much slower
 * each of 2 threads is. Kernels: `compute` (xorshift in registers: clocks and shared-core effects), `probe N` (random
 * read-modify-writes in an N MiB table: caches and memory latency, as a hash table's probes).
 *
 *   node dist/native-bench/thread-contention.js [--rounds 5]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';

interface Kernel {
  readonly kind: 'compute' | 'probe';
  readonly mib: number;
}

function runKernel({ kind, mib }: Kernel): number {
  let acc = 0;
  let x = 0x12345678 | 0;
  if (kind === 'compute') {
    for (let i = 0; i < 400_000_000; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      acc = (acc + x) | 0;
    }
    return acc;
  }
  const table = new Int32Array((mib * 2 ** 20) / 4).fill(1);
  const mask = table.length - 1;
  const startedMs = performance.now();
  for (let i = 0; i < 40_000_000; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const at = x & mask;
    acc = (acc + table[at]!) | 0;
    table[at] = acc;
  }
  return performance.now() - startedMs;
}

if (!isMainThread) {
  const kernel = workerData as Kernel;
  const startedMs = performance.now();
  const probeMs = runKernel(kernel);
  parentPort!.postMessage(kernel.kind === 'probe' ? probeMs : performance.now() - startedMs);
} else {
  const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
  const rounds = Number(values.rounds);
  const run = (threads: number, kernel: Kernel): Promise<number[]> =>
    Promise.all(
      Array.from(
        { length: threads },
        () =>
          new Promise<number>((resolve, reject) => {
            const worker = new Worker(new URL(import.meta.url), { workerData: kernel });
            worker.once('message', (ms: number) => {
              resolve(ms);
              void worker.terminate();
            });
            worker.once('error', reject);
          }),
      ),
    );
  const kernels: Kernel[] = [
    { kind: 'compute', mib: 0 },
    { kind: 'probe', mib: 1 },
    { kind: 'probe', mib: 8 },
    { kind: 'probe', mib: 24 },
    { kind: 'probe', mib: 256 },
  ];
  for (const kernel of kernels) {
    const best = { 1: Infinity, 2: Infinity };
    for (let round = 0; round < rounds; round++) {
      for (const threads of [1, 2] as const)
        best[threads] = Math.min(best[threads], Math.max(...(await run(threads, kernel))));
    }
    const name = kernel.kind === 'compute' ? 'compute' : `probe ${kernel.mib} MiB`;
    console.log(
      `${name}: 1 thread ${best[1].toFixed(0)} ms, each of 2 threads ${best[2].toFixed(0)} ms: ${(best[2] / best[1]).toFixed(3)}× slower`,
    );
  }
}
