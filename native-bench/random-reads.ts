#!/usr/bin/env node
/**
 * How random reads into a hash table scale from 1 thread to 2, each thread reading its own table: the word count's
 * map side spends about half its CPU probing its thread's counter (a table of 4–8 MiB of slots on a 32 MiB split of
 * the 1.15 M-word corpus), a pattern that streaming bandwidth (`memory-bandwidth.ts`) does not describe. Issue 11
 * asks what keeps 2 threads from 1.9× one.
 *
 *   node dist/native-bench/random-reads.js [--table-mib 4,8,16,64] [--reads 20000000] [--rounds 5]
 *
 * For each table size, each worker fills its own Int32Array of that size, then reads `--reads` random slots of it in
 * batches of 1024 independent reads (as `ByteKeyCounter.touchSlots` does before a batch of probes), timed in the
 * worker. Prints the best of `--rounds` of 1 thread alone and of 2 threads at the same moment, in million reads per
 * second, with the 2-thread / 1-thread ratio: near 2, a thread's probes do not slow the other's; lower, the shared
 * cache or the memory bus does.
 */
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';

import { askWorker } from './ask-worker.js';

/** The worker's body: keeps one table per size; on { mib, reads, seed } replies { ms, check }. */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const tables = new Map();
const at = new Int32Array(1024);
parentPort.on('message', ({ mib, reads, seed }) => {
  let table = tables.get(mib);
  if (table === undefined) {
    table = new Int32Array(mib * 262144);
    for (let i = 0; i < table.length; i++) table[i] = i; // every page touched before timing
    tables.set(mib, table);
  }
  const mask = table.length - 1;
  let x = seed | 1;
  let check = 0;
  const started = performance.now();
  for (let done = 0; done < reads; done += 1024) {
    for (let j = 0; j < 1024; j++) {
      x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
      at[j] = x & mask;
    }
    for (let j = 0; j < 1024; j++) check |= table[at[j]];
  }
  parentPort.postMessage({ ms: performance.now() - started, check });
});
`;

interface Reply {
  readonly ms: number;
  readonly check: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'table-mib': { type: 'string', default: '4,8,16,64' },
      reads: { type: 'string', default: '20000000' },
      rounds: { type: 'string', default: '5' },
    },
  });
  const sizes = values['table-mib'].split(',').map(Number);
  const reads = Number(values.reads);
  const rounds = Number(values.rounds);
  for (const mib of sizes) {
    if (!Number.isSafeInteger(mib) || mib < 1 || (mib & (mib - 1)) !== 0) {
      throw new RangeError(`--table-mib takes powers of two >= 1, found ${mib}`);
    }
  }
  if (!Number.isSafeInteger(reads) || reads < 1024) throw new RangeError(`--reads must be >= 1024`);
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new RangeError(`--rounds must be >= 1`);
  const workers = [0, 1].map(() => new Worker(WORKER_SOURCE, { eval: true }));
  try {
    for (const mib of sizes) {
      for (const w of workers) await askWorker<Reply>(w, { mib, reads: 1024 * 64, seed: 7 }); // fill the tables, warm the JIT
      let oneMs = Infinity;
      let twoMs = Infinity;
      for (let round = 0; round < rounds; round++) {
        oneMs = Math.min(oneMs, (await askWorker<Reply>(workers[0]!, { mib, reads, seed: round + 1 })).ms);
        const both = await Promise.all(
          workers.map((w, i) => askWorker<Reply>(w, { mib, reads, seed: 2 * round + i + 1 })),
        );
        twoMs = Math.min(twoMs, Math.max(...both.map((r) => r.ms)));
      }
      const oneRate = reads / oneMs / 1000;
      const twoRate = (2 * reads) / twoMs / 1000;
      process.stdout.write(
        `random reads, ${mib} MiB table per thread, best of ${rounds}: 1 thread ${oneRate.toFixed(1)} M/s, ` +
          `2 threads ${twoRate.toFixed(1)} M/s, ratio ${(twoRate / oneRate).toFixed(2)}×\n`,
      );
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

await main();
