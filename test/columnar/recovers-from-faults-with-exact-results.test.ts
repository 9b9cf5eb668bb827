// A columnar job runs on the same scheduler as RDDs, so it survives the same real faults with exact results: a
// thrown task, a worker thread that dies, a lost and a corrupted shuffle block (the reduce side reports the map
// output as fetch-failed and the scheduler recomputes just that map partition).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { col, Context, count, splitToRows, sum } from '../../src/index.js';
import type { FaultRule } from '../../src/common/faults.js';
import { canonical, randomLine, randomRows, Rng, testSeed } from './random-rows.js';

const seed = testSeed('recovers-from-faults-with-exact-results');
const rng = new Rng(seed);
const lines = Array.from({ length: 2000 }, () => randomLine(rng));
const rows = randomRows(rng, 2000);

/** Word counts and a numeric aggregation, computed on a clean Context: the exact answers. */
async function answers(kc: Context): Promise<[unknown[], unknown[]]> {
  const words = kc
    .parallelize(lines, 6)
    .toDataset()
    .select(splitToRows(col('value')).as('word'))
    .groupBy('word', { numPartitions: 4 })
    .agg(count());
  const sums = kc.parallelize(rows, 5).toDataset().groupBy('g', { numPartitions: 3 }).agg(count(), sum('x'));
  return [canonical(await words.collect()), canonical(await sums.collect())];
}

for (const threads of [0, 2]) {
  test(`faulty attempts change nothing in the results (threads: ${threads})`, async () => {
    const clean = new Context({ threads });
    const expected = await answers(clean);
    await clean.stop();
    // First attempts of chosen partitions fail, in every stage (map and reduce sides of both jobs).
    const rules: FaultRule[] = [
      { kind: 'corrupt-block', partition: 1, attempt: 0 },
      { kind: 'lose-block', partition: 3, attempt: 0 },
      { kind: 'throw', partition: 2, attempt: 0 },
      ...(threads > 0 ? [{ kind: 'crash', partition: 0, attempt: 0 } as const] : []),
    ];
    const faulty = new Context({ threads, faults: { seed, rules } });
    try {
      assert.deepEqual(await answers(faulty), expected);
      // The last job (the numeric aggregation) really met the faults and recomputed lost map outputs.
      const metrics = faulty.lastJobMetrics!;
      assert.ok(metrics.faultsInjected['corrupt-block'] + metrics.faultsInjected['lose-block'] > 0, 'block faults');
      assert.ok(metrics.faultsInjected.throw > 0 && metrics.recomputedPartitions > 0, 'thrown and recomputed');
    } finally {
      await faulty.stop();
    }
  });
}
