// Issue 11, Spark's ContextCleaner: map outputs stay in shared memory while a dataset can still read them (a
// second action reuses them without a map stage) and are released when it cannot: explicitly with
// `unpersist({ shuffleOutputs: true })`, or when the datasets holding the shuffle are garbage collected (checked in
// a child process run with --expose-gc, the only way to force a collection).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import type { LoggedEvent } from '../../src/index.js';
import { BACKENDS } from './helpers.js';
import { Context } from '../../src/index.js';

/** Shuffle bytes in memory after each job, and the map stages each job ran. */
function watch(kc: Context) {
  const shuffleBytes: number[] = [];
  const mapStages: number[] = [];
  kc.onEvent((event: LoggedEvent) => {
    if (event.kind === 'job-start') mapStages.push(0);
    if (event.kind === 'stage-submitted' && event.writesShuffle !== null) mapStages[mapStages.length - 1]!++;
    if (event.kind === 'storage-status') shuffleBytes.push(event.shuffleBytesInMemory);
  });
  return { shuffleBytes, mapStages };
}

for (const backend of BACKENDS) {
  test(`${backend.name}: a referenced shuffle is reused; unpersist({ shuffleOutputs: true }) frees its bytes`, async () => {
    const kc = new Context({ threads: backend.threads });
    try {
      const seen = watch(kc);
      const sums = kc
        .range(0, 20_000, 1, 4)
        .map((x: number): [number, number] => [x % 100, 1])
        .reduceByKey((a: number, b: number) => a + b, 3);
      const other = kc
        .range(0, 1000, 1, 2)
        .map((x: number): [number, number] => [x % 7, x])
        .groupByKey(2);

      assert.equal(await sums.count(), 100);
      assert.equal(await other.count(), 7);
      const [afterSums, afterBoth] = seen.shuffleBytes;
      assert.ok(afterSums! > 0 && afterBoth! > afterSums!, `both shuffles hold memory: ${seen.shuffleBytes}`);
      assert.deepEqual(await sums.values().sum(), 20_000);
      assert.deepEqual(seen.mapStages, [1, 1, 0], 'the second action over sums reran no map stage');

      sums.unpersist({ shuffleOutputs: true });
      assert.equal(await kc.range(0, 10, 1, 1).count(), 10);
      assert.equal(seen.shuffleBytes.at(-1), afterBoth! - afterSums!, "sums' outputs are freed, the other's kept");

      // Lineage still holds: the next action recomputes the map stage and gives the same answer.
      assert.deepEqual(await sums.values().sum(), 20_000);
      assert.equal(seen.mapStages.at(-1), 1);
      assert.equal(await other.count(), 7);
      assert.equal(seen.mapStages.at(-1), 0, 'the shuffle still referenced was not released');
      assert.throws(() => sums.unpersist({ shuffle: true } as never), /unpersist\(\): unknown option 'shuffle'/);
    } finally {
      await kc.stop();
    }
  });
}

test('a shuffle whose datasets were garbage collected is released; one still referenced is reused', () => {
  const child = fileURLToPath(new URL('./release-shuffle-on-gc-child.js', import.meta.url));
  const run = spawnSync(process.execPath, ['--expose-gc', child, 'child'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(run.status, 0, `child failed:\n${run.stdout}\n${run.stderr}`);
  const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as {
    bytesBefore: number;
    bytesAfter: number;
    keptBytes: number;
    rounds: number;
    keptMapStages: number;
    keptSum: number;
  };
  assert.ok(report.bytesBefore > report.keptBytes, `the dropped shuffle held memory: ${JSON.stringify(report)}`);
  assert.ok(report.rounds < 50, `released within the child's bound of rounds: ${report.rounds}`);
  assert.equal(report.bytesAfter, report.keptBytes, 'its bytes are freed, the kept one still holds its own');
  assert.equal(report.keptMapStages, 0, 'the referenced shuffle was reused without a map stage');
  assert.equal(report.keptSum, 20_000);
});

test('unpersist() refuses a shuffleOutputs that is not a boolean, and an unknown option, naming what it found', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const sums = kc
      .parallelize([1, 2, 3], 2)
      .map((x: number): [number, number] => [x % 2, x])
      .reduceByKey((a, b) => a + b);
    assert.throws(() => sums.unpersist({ shuffleOutputs: 'yes' as unknown as boolean }), {
      code: 'ERR_PLAN_INVALID_ARGUMENT',
      message: /unpersist\(\): shuffleOutputs must be a boolean, found "yes"/,
    });
    assert.throws(() => sums.unpersist({ shuffleOutput: true } as never), /shuffleOutput/);
    assert.deepEqual((await sums.collect()).sort(), [
      [0, 2],
      [1, 4],
    ]);
  } finally {
    await kc.stop();
  }
});
