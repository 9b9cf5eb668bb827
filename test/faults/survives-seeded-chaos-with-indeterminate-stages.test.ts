import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, seedFromEnvironment } from '../../src/common/rng.js';
import { INDETERMINATE_CHAOS_JOBS } from './indeterminate-chaos-jobs.js';
import { ChaosRunner, describeCase, type ChaosCase } from './chaos-runner.js';

// The fast subset of test-chaos/survives-indeterminate-stages-with-speculation: every indeterminate job shape at
// p = 0.3 on both backends, with speculation on, each result compared exactly with the failure-free run.
const seed = seedFromEnvironment();

test(`indeterminate job shapes return the failure-free result under seeded faults (SEED=${seed})`, async () => {
  const runner = new ChaosRunner({ speculation: { quantile: 0.5, minTaskMs: 20 } });
  let n = 0;
  let reruns = 0;
  try {
    for (const job of INDETERMINATE_CHAOS_JOBS) {
      for (const threads of [0, 2]) {
        const chaos: ChaosCase = { job, p: 0.3, threads, seed: deriveSeed(seed, n++) };
        const outcome = await runner.run(chaos, (metrics) => (reruns += metrics.indeterminateStageReruns));
        assert.ok(outcome.match, `mismatch for ${describeCase(chaos)}: ${outcome.error ?? 'different result'}`);
      }
    }
  } finally {
    await runner.close();
  }
  console.log(`indeterminate chaos subset: ${n} runs, ${reruns} indeterminate stage reruns, 0 mismatches`);
});
