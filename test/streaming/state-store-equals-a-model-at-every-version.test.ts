import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { Rng, seedFromEnvironment } from '../../src/common/rng.js';
import { freshDir } from './stream-fixtures.js';

type Update = [string, number];

/** The state the query must hold: `fn` applied to each batch's groups in a plain Map. */
function applyModel(model: Map<string, number>, batch: readonly Update[]): void {
  const groups = new Map<string, number[]>();
  for (const [key, value] of batch) groups.set(key, [...(groups.get(key) ?? []), value]);
  for (const [key, values] of groups) {
    const next = stateFn(values, model.get(key));
    if (next === undefined) model.delete(key);
    else model.set(key, next);
  }
}

/** Sums values; a batch value of 0 removes the key (so deltas hold removals too). */
function stateFn(values: number[], state: number | undefined): number | undefined {
  if (values.includes(0)) return undefined;
  return (state ?? 0) + values.reduce((a, b) => a + b, 0);
}

function randomBatches(seed: number, count: number): Update[][] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + rng.nextInt(60) }, (): Update => [`k${rng.nextInt(40)}`, rng.nextInt(6)]),
  );
}

const sorted = (rows: readonly unknown[]): string[] => rows.map((row) => JSON.stringify(row)).sort();

// memoryBytesMax 1: the driver keeps no state blocks, so every task rebuilds from files (the state's spill path).
for (const { threads, memoryBytesMax } of [
  { threads: 0, memoryBytesMax: undefined },
  { threads: 2, memoryBytesMax: undefined },
  { threads: 2, memoryBytesMax: 1 },
]) {
  test(`state rebuilt from snapshots and deltas equals a model at every version, across restarts and retention (threads: ${threads}, memoryBytesMax: ${memoryBytesMax ?? 'default'})`, async () => {
    const seed = seedFromEnvironment();
    console.log(`SEED=${seed}`);
    const batches = randomBatches(seed, 9);
    const checkpoint = join(freshDir('state-model'), 'ckpt');
    const model = new Map<string, number>();
    // Three runs of three batches each over one checkpoint: every restart rebuilds state from files.
    for (let run = 0; run < 3; run++) {
      const kc = new Context({ threads, ...(memoryBytesMax === undefined ? {} : { memoryBytesMax }) });
      try {
        const input = kc.readStream.memory<Update>();
        // A memory source replays by position: a restarted query gets the earlier batches' records again first.
        input.addData(...batches.slice(0, run * 3).flat());
        let batchDone: (() => void) | null = null;
        const query = input
          .updateStateByKey(stateFn, { numPartitions: 3 })
          .writeStream.outputMode('complete')
          .option('checkpointLocation', checkpoint)
          .option('snapshotEveryDeltas', 2)
          .option('minBatchesToRetain', 2)
          .foreachBatch(async (rdd, batchId) => {
            applyModel(model, batches[batchId]!);
            assert.deepEqual(sorted(await rdd.collect()), sorted([...model]), `SEED=${seed}: batch ${batchId}`);
            batchDone?.();
          })
          .trigger({ processingTimeMs: 0 })
          .start();
        for (let b = run * 3; b < run * 3 + 3; b++) {
          const done = new Promise<void>((resolve) => {
            batchDone = resolve;
          });
          input.addData(...batches[b]!);
          await Promise.race([done, query.awaitTermination()]);
        }
        await query.stop();
        assert.equal(query.exception, null);
      } finally {
        await kc.stop();
      }
      const stateFiles = readdirSync(join(checkpoint, 'state', '0', '0'));
      assert.ok(stateFiles.length <= 6, `retention keeps few files, found ${stateFiles.join(', ')}`);
      const reader = new Context({ threads: 0 });
      const rows = await reader.readStateStore(checkpoint).toRDD().collect();
      await reader.stop();
      assert.deepEqual(sorted(rows.map((row: any) => [row.key, row.value])), sorted([...model]));
    }
  });
}
