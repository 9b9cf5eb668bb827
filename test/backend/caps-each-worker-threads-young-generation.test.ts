// Issue 11: a worker thread parked by Piscina between tasks never collects, so it kept all the young generation V8
// had grown it to (4 MiB at rest, 32 after a job of many short-lived objects). The pool caps it
// (WORKER_YOUNG_GENERATION_MB, of which V8 gives two thirds to the two semi-spaces): after a job that allocates a pair
// per record, every thread's new space is still at most those two semi-spaces, and the job's answer is right.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { probeEveryThread } from '../api/thread-probe.js';
import type { YoungGeneration } from './young-generation-probe.js';
import { Context } from '../../src/index.js';
import { WORKER_YOUNG_GENERATION_MB } from '../../src/backend/piscina-backend.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';

const THREADS = 2;
const MiB = 2 ** 20;
const PROBE_URL = new URL('./young-generation-probe.js', import.meta.url).href;

test(
  'every worker thread keeps its young generation within the cap through an allocating job',
  { skip: !loadsOnDemand },
  async () => {
    const kc = new Context({ threads: THREADS });
    const gate = new Int32Array(new SharedArrayBuffer(4));
    try {
      const keys = 50_000;
      const counts = await kc
        .range(0, 400_000, 1, 4)
        .map((x: number): [number, number] => [x % keys, 1], { keys })
        .reduceByKey((a: number, b: number) => a + b, 4)
        .collect();
      assert.equal(counts.length, keys);
      assert.ok(
        counts.every(([, n]) => n === 8),
        'each key counted 8 times',
      );
      const threads = await probeEveryThread<YoungGeneration, number>(
        kc.range(0, THREADS, 1, THREADS),
        THREADS,
        gate,
        0,
        PROBE_URL,
        'youngGeneration',
      );
      assert.equal(threads.length, THREADS);
      for (const { limitMb, newSpaceBytes } of threads) {
        assert.ok(
          newSpaceBytes <= ((2 * WORKER_YOUNG_GENERATION_MB) / 3) * MiB,
          `a thread's new space is ${newSpaceBytes} bytes`,
        );
        assert.equal(limitMb, WORKER_YOUNG_GENERATION_MB);
      }
    } finally {
      Atomics.store(gate, 0, THREADS);
      await kc.stop();
    }
  },
);
