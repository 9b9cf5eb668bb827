import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, seedFromEnvironment } from '../src/common/rng.js';
import { INDETERMINATE_CHAOS_JOBS } from '../test/faults/indeterminate-chaos-jobs.js';
import { ChaosRunner, describeCase, type ChaosCase } from '../test/faults/chaos-runner.js';

// Seeded chaos over job shapes with indeterminate stages (repartition, unseeded sample, a key function that changes
// every run), with speculation on: faults of every kind at p = 0.01, 0.1 and 0.3, every 3rd run on a Piscina pool
// of two threads (where copies can run; the inline backend never speculates). Each result is compared exactly with
// the failure-free run. SEED= replays the suite; a failing run prints its own SEED=.
const baseSeed = seedFromEnvironment() ^ 0x1de7;
const SEEDS_PER_CELL = Number(process.env['CHAOS_SEEDS'] ?? 15);
const PROBABILITIES = [0.01, 0.1, 0.3];

test(`chaos: indeterminate stages with speculation (SEED=${baseSeed})`, { timeout: 20 * 60_000 }, async () => {
  // A low minTaskMs so that hung attempts (which stop their heartbeat) and slow retries draw copies.
  const runner = new ChaosRunner({ speculation: { quantile: 0.5, multiplier: 1.5, minTaskMs: 20 } });
  const mismatches: string[] = [];
  const totals: Record<string, number> = {};
  let runs = 0;
  const startedMs = performance.now();
  try {
    for (const job of INDETERMINATE_CHAOS_JOBS) {
      for (const p of PROBABILITIES) {
        for (let i = 0; i < SEEDS_PER_CELL; i++) {
          const chaos: ChaosCase = { job, p, threads: i % 3 === 2 ? 2 : 0, seed: deriveSeed(baseSeed, runs) };
          const outcome = await runner.run(chaos, (metrics) => {
            for (const key of ['indeterminateStageReruns', 'speculativeAttempts', 'speculativeWins'] as const) {
              totals[key] = (totals[key] ?? 0) + metrics[key];
            }
          });
          runs++;
          for (const [key, value] of Object.entries(outcome.metrics)) totals[key] = (totals[key] ?? 0) + value!;
          if (!outcome.match) {
            const line = `MISMATCH ${describeCase(chaos)}: ${outcome.error ?? 'different result'}`;
            console.log(line);
            mismatches.push(line);
          }
        }
      }
    }
  } finally {
    await runner.close();
  }
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(0);
  console.log(`chaos indeterminate: ${runs} runs, ${mismatches.length} mismatches, ${seconds} s`);
  console.log(`chaos indeterminate: ${JSON.stringify(totals)}`);
  assert.deepEqual(mismatches, []);
  assert.ok((totals['indeterminateStageReruns'] ?? 0) > 0, 'some runs reran an indeterminate stage in full');
});
