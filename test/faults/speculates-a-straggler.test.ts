import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Context, type RDD } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const ROWS = 100;

/**
 * Partition 3's first attempt is a straggler: it waits on shared memory (up to `slowMs`) before producing rows;
 * every later attempt of it (a speculative copy, a retry) runs at once. Slot 0 counts partition 3's attempts, slot 1
 * is what the straggler waits on. The other partitions take a few ms, so their median duration is small.
 */
function jobWithStraggler(kc: Context, gate: Int32Array, slowMs: number): RDD<number> {
  return kc.range(0, ROWS, 1, 4).mapPartitionsWithIndex(
    (i: number, it: Iterable<number>) => {
      if (i === 3 && Atomics.add(gate, 0, 1) === 0) Atomics.wait(gate, 1, 0, slowMs);
      return [...it].map((x) => x * 2);
    },
    { gate, slowMs },
  );
}

const expected = Array.from({ length: ROWS }, (_, x) => x * 2);

test('a speculative copy of a straggler wins, the straggler is terminated, and the result is exact', async () => {
  const kc = new Context({ threads: 2, speculation: { quantile: 0.75, multiplier: 1.5, minTaskMs: 50 } });
  const gate = new Int32Array(new SharedArrayBuffer(8));
  try {
    const seen = kc.accumulator(0, (a: number, b: number) => a + b);
    // 60 s: without a copy the job would take that long; with one it takes about minTaskMs.
    const rows = await jobWithStraggler(kc, gate, 60_000)
      .map(
        (x: number) => {
          seen.add(1);
          return x;
        },
        { seen },
      )
      .collect();
    assert.deepEqual(rows, expected);
    const metrics = kc.lastJobMetrics!;
    const why = JSON.stringify(metrics);
    assert.equal(metrics.speculativeAttempts, 1, why);
    assert.equal(metrics.speculativeWins, 1, why);
    // The straggler was past its first heartbeat: its thread was terminated, not waited for.
    assert.equal(metrics.speculativeKills, 1, why);
    assert.equal(Atomics.load(gate, 0), 2, 'partition 3 ran twice: the straggler and its copy');
    assert.equal(seen.value, ROWS, 'accumulator updates of the winning attempt only');
    assert.ok(metrics.durationMs < 30_000, why);
  } finally {
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    await kc.stop();
  }
});

test('with speculation, saveAsTextFile commits the first attempt of each partition only', async () => {
  const kc = new Context({ threads: 2, speculation: { minTaskMs: 50 } });
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const dir = makeTempDir('speculation');
  try {
    await jobWithStraggler(kc, gate, 60_000).saveAsTextFile(join(dir, 'out'));
    assert.equal(kc.lastJobMetrics!.speculativeWins, 1, JSON.stringify(kc.lastJobMetrics));
    const files = readdirSync(join(dir, 'out')).sort();
    assert.deepEqual(files, ['_SUCCESS', 'part-00000', 'part-00001', 'part-00002', 'part-00003']);
    const lines = files
      .filter((f) => f.startsWith('part-'))
      .flatMap((f) => readFileSync(join(dir, 'out', f), 'utf8').split('\n'))
      .filter((line) => line.length > 0)
      .map(Number);
    assert.deepEqual(lines, expected);
  } finally {
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    await kc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with speculation off (the default) no copy is launched, however slow a task is', async () => {
  const kc = new Context({ threads: 2 });
  const gate = new Int32Array(new SharedArrayBuffer(8));
  try {
    assert.deepEqual(await jobWithStraggler(kc, gate, 400).collect(), expected);
    const metrics = kc.lastJobMetrics!;
    assert.equal(metrics.speculativeAttempts, 0, JSON.stringify(metrics));
    assert.equal(Atomics.load(gate, 0), 1, 'partition 3 ran once');
  } finally {
    await kc.stop();
  }
});
