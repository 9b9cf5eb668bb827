// A reduce task over a shuffle of few map outputs (db-benchmark q4: 2 map outputs of a few KB) gets the map output
// table with its descriptor instead of asking the driver for it over the control port (a round trip on the job's
// critical path); a shuffle of many map outputs is still fetched, once per thread (issue 11). Each thread's asks are
// read from the module it runs (`shuffleTableFetches`), as workers-forget-released-shuffle-tables does. The
// answers are the same either way, also when a lost map output is recomputed (a new table version, shipped again).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { probeEveryThread } from './thread-probe.js';
import { Context, type RDD } from '../../src/index.js';
import { loadsOnDemand } from '../../src/common/require-esm.js';

const SHUFFLE_INPUT_URL = new URL('../../src/executor/shuffle/shuffle-input.js', import.meta.url).href;
const THREADS = 2;

/** Each thread's count of map output tables it asked the driver for so far. */
function asksPerThread(kc: Context, gate: Int32Array, slot: number): Promise<number[]> {
  const probe: RDD<number> = kc.range(0, THREADS, 1, THREADS);
  return probeEveryThread<number, number>(probe, THREADS, gate, slot, SHUFFLE_INPUT_URL, 'shuffleTableFetches');
}

/** Sums of `x % 10` per key over 0 … 999, read through a shuffle of `mapPartitions` map outputs. */
async function sums(kc: Context, mapPartitions: number): Promise<[number, number][]> {
  const pairs = await kc
    .range(0, 1000, 1, mapPartitions)
    .map((x: number): [number, number] => [x % 10, x])
    .reduceByKey((a: number, b: number) => a + b, THREADS)
    .collect();
  return pairs.toSorted((a, b) => a[0] - b[0]);
}

const EXPECTED: [number, number][] = Array.from({ length: 10 }, (_, k) => [k, 100 * k + 10 * 99 * 50]);

test(
  'reduce tasks of few map outputs do not ask the driver for their table; of many, they do',
  { skip: !loadsOnDemand },
  async () => {
    const kc = new Context({ threads: THREADS, taskAttemptsMax: 4 });
    const gate = new Int32Array(new SharedArrayBuffer(4 * 8));
    try {
      const before = await asksPerThread(kc, gate, 0);
      assert.deepEqual(await sums(kc, 4), EXPECTED);
      // A lost map output: the reduce task fails to fetch it, the map partition is recomputed (a new table version).
      kc.setFaults({ seed: 5, rules: [{ kind: 'lose-block', partition: 1, attempt: 0 }] });
      try {
        assert.deepEqual(await sums(kc, 3), EXPECTED);
        assert.ok(kc.lastJobMetrics!.recomputedPartitions >= 1, JSON.stringify(kc.lastJobMetrics));
      } finally {
        kc.setFaults(null);
      }
      const afterFew = await asksPerThread(kc, gate, 1);
      assert.deepEqual(afterFew, before, 'no thread asked for a table of 4 or 3 map outputs');

      assert.deepEqual(await sums(kc, 40), EXPECTED);
      const afterMany = await asksPerThread(kc, gate, 2);
      const asked = afterMany.reduce((n, a, i) => n + a - afterFew[i]!, 0);
      assert.ok(asked >= 1, `a table of 40 map outputs is fetched: ${afterFew} → ${afterMany}`);
    } finally {
      Atomics.store(gate, 0, THREADS);
      await kc.stop();
    }
  },
);
