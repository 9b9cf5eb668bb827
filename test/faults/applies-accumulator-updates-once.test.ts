import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Context } from '../../src/index.js';

for (const threads of [0, 2]) {
  describe(`accumulators (${threads === 0 ? 'inline' : 'piscina'} backend)`, () => {
    const kc = new Context({ threads, taskTimeoutMs: 500, workerHeapMbMax: 48, taskAttemptsMax: 8 });
    after(() => kc.stop());

    test('updates count once per record whatever fails, retries and is recomputed', async () => {
      const seen = kc.accumulator(0, (a: number, b: number) => a + b);
      const odd = kc.accumulator<string[], string>([], (all, w) => [...all, w]);
      kc.setFaults({
        seed: 8,
        rules: [
          { kind: 'throw', partition: 0, attempt: 0 },
          { kind: 'crash', partition: 1, attempt: 0 },
          { kind: 'lose-block', partition: 2, attempt: 0 },
          { kind: 'corrupt-block', partition: 3, attempt: 0 },
        ],
      });
      try {
        const counts = await kc
          .range(0, 1000, 1, 4)
          .map(
            (x) => {
              seen.add(1);
              if (x % 250 === 1) odd.add(`x${x}`);
              return [x % 10, 1] as [number, number];
            },
            { seen, odd },
          )
          .reduceByKey((a, b) => a + b, 3)
          .collect();
        assert.equal(counts.length, 10);
        const metrics = kc.lastJobMetrics!;
        assert.ok(metrics.failures.exception >= 1 && metrics.recomputedPartitions >= 1, JSON.stringify(metrics));
        assert.ok(metrics.accumulatorUpdatesDropped >= 1);
      } finally {
        kc.setFaults(null);
      }
      assert.equal(seen.value, 1000);
      assert.deepEqual([...odd.value].sort(), ['x1', 'x251', 'x501', 'x751']);
    });

    test('a task cannot read an accumulator; the driver can add and reset it', async () => {
      const total = kc.accumulator(10, (a: number, b: number) => a + b);
      await assert.rejects(
        kc
          .range(0, 4, 1, 1)
          .map((x) => x + total.value, { total })
          .collect(),
        /accumulator \d+ can be read only on the driver/,
      );
      total.add(5);
      assert.equal(total.value, 15);
      total.reset(0);
      await kc.range(0, 4, 1, 2).foreach((x) => total.add(x), { total });
      assert.equal(total.value, 6);
    });
  });
}
