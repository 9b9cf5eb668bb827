import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seedFromEnvironment } from '../src/common/rng.js';
import { INDETERMINATE_CHAOS_JOBS } from '../test/faults/indeterminate-chaos-jobs.js';
import {
  ChaosRunner,
  chaosCaseFromEnvironment,
  chaosSuiteCases,
  describeCase,
  runChaosCases,
} from '../test/faults/chaos-runner.js';

// Seeded chaos over job shapes with indeterminate stages (repartition, unseeded sample, a key function that changes
// every run), with speculation on: faults of every kind at p = 0.01, 0.1 and 0.3, every 3rd run on a Piscina pool
// of two threads (where copies can run; the inline backend never speculates). Each result is compared exactly with
// the failure-free run. The SEED= printed in the test name replays the suite; a failing run prints the
// CHAOS_JOB=, CHAOS_P=, CHAOS_THREADS= and SEED= that replay it alone with this file.
const seed = seedFromEnvironment();
const replay = chaosCaseFromEnvironment(INDETERMINATE_CHAOS_JOBS);
const cases = chaosSuiteCases({
  jobs: INDETERMINATE_CHAOS_JOBS,
  probabilities: [0.01, 0.1, 0.3],
  seedsPerCell: Number(process.env['CHAOS_SEEDS'] ?? 15),
  poolEvery: 3,
  // The suite's own stream of fault seeds, apart from the other suite's under the same SEED.
  seed: seed ^ 0x1de7,
});

const title = replay === null ? `SEED=${seed}` : describeCase(replay);
test(`chaos: indeterminate stages with speculation (${title})`, { timeout: 40 * 60_000 }, async () => {
  // A low minTaskMs so that hung attempts (which stop their heartbeat) and slow retries draw copies.
  const runner = new ChaosRunner({ speculation: { quantile: 0.5, multiplier: 1.5, minTaskMs: 20 } });
  const rerunTotals: Record<string, number> = {};
  const startedMs = performance.now();
  let outcome: Awaited<ReturnType<typeof runChaosCases>>;
  try {
    outcome = await runChaosCases(runner, cases, (metrics) => {
      for (const key of ['indeterminateStageReruns', 'speculativeAttempts', 'speculativeWins'] as const) {
        rerunTotals[key] = (rerunTotals[key] ?? 0) + metrics[key];
      }
      for (const [cause, n] of Object.entries(metrics.indeterminateRerunCauses)) {
        rerunTotals[`reruns after ${cause}`] = (rerunTotals[`reruns after ${cause}`] ?? 0) + n;
      }
    });
  } finally {
    await runner.close();
  }
  const { mismatches, totals } = outcome;
  const seconds = ((performance.now() - startedMs) / 1000).toFixed(0);
  console.log(`chaos indeterminate (${title}): ${cases.length} runs, ${mismatches.length} mismatches, ${seconds} s`);
  console.log(`chaos indeterminate: ${JSON.stringify({ ...totals, ...rerunTotals })}`);
  assert.deepEqual(mismatches, []);
  if (replay === null) {
    assert.ok((rerunTotals['indeterminateStageReruns'] ?? 0) > 0, 'some runs reran an indeterminate stage in full');
  }
});
