import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Context, type FaultKind, type RDD } from '../../src/index.js';
import { compareValues } from '../../src/common/keys.js';
import { makeTempDir } from '../support/temp-dir.js';

// Fault seed of every rule below; the rules name their attempt, so the seed only picks which block is hit.
const SEED = Number(process.env['SEED'] ?? 11);
console.log(`indeterminate stage tests: SEED=${SEED}`);

const ROWS = 400;

/** repartition (indeterminate) then a reduce: stage 0 = repartition map side, stage 1 = reduceByKey map side. */
function repartitionThenReduce(kc: Context, seen?: unknown): RDD<[number, number]> {
  return kc
    .range(0, ROWS, 1, 4)
    .repartition(4)
    .map(
      (x) => {
        (seen as { add(n: number): void } | undefined)?.add(1);
        return [x % 7, x] as [number, number];
      },
      { seen },
    )
    .reduceByKey((a, b) => a + b, 3);
}

/** The same shape through a deterministic shuffle (partitionBy) instead of repartition. */
function partitionByThenReduce(kc: Context): RDD<[number, number]> {
  return kc
    .range(0, ROWS, 1, 4)
    .map((x) => [x, x] as [number, number])
    .partitionBy(4)
    .map(([, x]) => [x % 7, x] as [number, number])
    .reduceByKey((a, b) => a + b, 3);
}

function expectedSums(): [number, number][] {
  const sums = new Map<number, number>();
  for (let x = 0; x < ROWS; x++) sums.set(x % 7, (sums.get(x % 7) ?? 0) + x);
  return [...sums].sort(compareValues);
}

/** Runs `fn` on a fresh Context (stage ids start at 0) with block faults on map partition 2 of stage 0. */
async function withBlockFault<T>(threads: number, kind: FaultKind, fn: (kc: Context) => Promise<T>): Promise<T> {
  const kc = new Context({ threads, faults: { seed: SEED, rules: [{ kind, stage: 0, partition: 2, attempt: 0 }] } });
  try {
    return await fn(kc);
  } finally {
    await kc.stop();
  }
}

for (const threads of [0, 2]) {
  describe(`indeterminate stages (${threads === 0 ? 'inline' : 'piscina'} backend)`, () => {
    test('a corrupt-block in a repartition found by a reader reruns all its map tasks and every consumer, and the result is exact', async () => {
      await withBlockFault(threads, 'corrupt-block', async (kc) => {
        const seen = kc.accumulator(0, (a: number, b: number) => a + b);
        assert.deepEqual((await repartitionThenReduce(kc, seen).collect()).sort(compareValues), expectedSums());
        const metrics = kc.lastJobMetrics!;
        const why = JSON.stringify(metrics);
        assert.equal(metrics.faultsInjected['corrupt-block'], 1, why);
        assert.equal(metrics.indeterminateStageReruns, 1, why);
        assert.deepEqual(metrics.indeterminateRerunCauses, { 'corrupt-block': 1, 'lost-block': 0 }, why);
        // All 4 map partitions of the repartition, not only the one with the bad block.
        assert.equal(metrics.recomputedPartitions, 4, why);
        // The reduceByKey map stage had read the old output: its results were discarded and it reran.
        assert.ok(metrics.consumerStageReruns + metrics.staleResultsDropped >= 1, why);
        // Each record's update counts once, from the run that was kept.
        assert.equal(seen.value, ROWS, why);
      });
    });

    test('a lose-block in a repartition is refilled before any reader reads it: one map task reruns, no consumer', async () => {
      // The driver knows of the lost block when its map task commits; no reader read that generation yet, so
      // recomputing the one map partition cannot mix runs, and readers wait for the complete generation.
      await withBlockFault(threads, 'lose-block', async (kc) => {
        const seen = kc.accumulator(0, (a: number, b: number) => a + b);
        assert.deepEqual((await repartitionThenReduce(kc, seen).collect()).sort(compareValues), expectedSums());
        const metrics = kc.lastJobMetrics!;
        const why = JSON.stringify(metrics);
        assert.equal(metrics.faultsInjected['lose-block'], 1, why);
        assert.equal(metrics.indeterminateStageReruns, 0, why);
        assert.equal(metrics.recomputedPartitions, 1, why);
        assert.equal(metrics.failures['fetch-failed'], 0, why);
        assert.equal(metrics.consumerStageReruns + metrics.staleResultsDropped, 0, why);
        assert.equal(seen.value, ROWS, why);
      });
    });

    test('the determinate counterpart recomputes only the map partition that lost a block', async () => {
      await withBlockFault(threads, 'lose-block', async (kc) => {
        assert.deepEqual((await partitionByThenReduce(kc).collect()).sort(compareValues), expectedSums());
        const metrics = kc.lastJobMetrics!;
        const why = JSON.stringify(metrics);
        assert.equal(metrics.faultsInjected['lose-block'], 1, why);
        assert.equal(metrics.indeterminateStageReruns, 0, why);
        assert.equal(metrics.recomputedPartitions, 1, why);
        assert.equal(metrics.consumerStageReruns + metrics.staleResultsDropped, 0, why);
      });
    });

    test('a key function that splits rows differently on every run never mixes two runs', async () => {
      // Each run of a map partition shifts its keys by the run number: a reduce partition that read run 0 of map
      // partition 2 and another that read run 1 would together miss some rows and repeat others.
      const runs = new Int32Array(new SharedArrayBuffer(4 * 4));
      await withBlockFault(threads, 'corrupt-block', async (kc) => {
        const rows = await kc
          .range(0, ROWS, 1, 4)
          .mapPartitionsWithIndex(
            (i: number, it: Iterable<number>) => {
              const run = Atomics.add(runs, i, 1);
              return [...it].map((x) => [(x + run) % 4, x] as [number, number]);
            },
            { runs },
            { deterministic: false },
          )
          .groupByKey(4)
          .flatMap(([, xs]) => xs)
          .collect();
        assert.deepEqual(
          rows.sort((a, b) => a - b),
          Array.from({ length: ROWS }, (_, x) => x),
        );
        const metrics = kc.lastJobMetrics!;
        assert.equal(metrics.indeterminateStageReruns, 1, JSON.stringify(metrics));
        assert.equal(Atomics.load(runs, 2), 2, 'map partition 2 ran twice');
      });
    });

    test('a persisted partition computed from discarded output is computed again, not read from the cache', async () => {
      const runs = new Int32Array(new SharedArrayBuffer(4 * 4));
      await withBlockFault(threads, 'corrupt-block', async (kc) => {
        const grouped = kc
          .range(0, ROWS, 1, 4)
          .mapPartitionsWithIndex(
            (i: number, it: Iterable<number>) => {
              const run = Atomics.add(runs, i, 1);
              return [...it].map((x) => [(x + run) % 4, x] as [number, number]);
            },
            { runs },
            { deterministic: false },
          )
          .groupByKey(4)
          .persist();
        const counts = await grouped
          .flatMap(([, xs]) => xs)
          .map((x) => [x % 3, 1] as [number, number])
          .reduceByKey((a, b) => a + b, 2)
          .collect();
        assert.deepEqual(counts.sort(compareValues), [
          [0, 134],
          [1, 133],
          [2, 133],
        ]);
        assert.equal(kc.lastJobMetrics!.indeterminateStageReruns, 1, JSON.stringify(kc.lastJobMetrics));
        // The cache now holds one run only: reading it again gives every row once.
        const rows = (await grouped.flatMap(([, xs]) => xs).collect()).sort((a, b) => a - b);
        assert.deepEqual(
          rows,
          Array.from({ length: ROWS }, (_, x) => x),
        );
      });
    });

    test('saveAsTextFile after a rerun of its indeterminate input writes each row once, from one run', async () => {
      const dir = makeTempDir('indeterminate');
      try {
        await withBlockFault(threads, 'corrupt-block', async (kc) => {
          await kc.range(0, ROWS, 1, 4).repartition(4).saveAsTextFile(join(dir, 'out'));
          const metrics = kc.lastJobMetrics!;
          assert.equal(metrics.indeterminateStageReruns, 1, JSON.stringify(metrics));
        });
        const files = readdirSync(join(dir, 'out')).sort();
        assert.deepEqual(files, ['_SUCCESS', 'part-00000', 'part-00001', 'part-00002', 'part-00003']);
        const lines = files
          .filter((f) => f.startsWith('part-'))
          .flatMap((f) => readFileSync(join(dir, 'out', f), 'utf8').split('\n'))
          .filter((line) => line.length > 0)
          .map(Number)
          .sort((a, b) => a - b);
        assert.deepEqual(
          lines,
          Array.from({ length: ROWS }, (_, x) => x),
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
