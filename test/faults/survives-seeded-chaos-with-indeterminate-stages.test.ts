import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, seedFromEnvironment } from '../../src/common/rng.js';
import { INDETERMINATE_CHAOS_JOBS } from './indeterminate-chaos-jobs.js';
import { ChaosRunner, chaosCaseFromEnvironment, describeCase, type ChaosCase } from './chaos-runner.js';

// The fast subset of test-chaos/survives-indeterminate-stages-with-speculation: every indeterminate job shape at
// p = 0.3 (inline, and half of them on a pool of two threads), with speculation on, each result compared exactly with the failure-free run.
// A failing run prints the environment that replays it alone.
const seed = seedFromEnvironment();
const replay = chaosCaseFromEnvironment(INDETERMINATE_CHAOS_JOBS);

test(`indeterminate job shapes return the failure-free result under seeded faults (SEED=${seed})`, async () => {
  const runner = new ChaosRunner({ speculation: { quantile: 0.5, minTaskMs: 20 } });
  const cases: ChaosCase[] = replay === null ? [] : [replay];
  for (const [index, job] of (replay === null ? INDETERMINATE_CHAOS_JOBS : []).entries()) {
    // Every shape inline; every other one on a pool too (where speculation can launch copies), to stay fast.
    for (const threads of index % 2 === 0 ? [0, 2] : [0]) {
      cases.push({ job, p: 0.3, threads, seed: deriveSeed(seed, cases.length) });
    }
  }
  let reruns = 0;
  try {
    for (const chaos of cases) {
      const outcome = await runner.run(chaos, (metrics) => (reruns += metrics.indeterminateStageReruns));
      assert.ok(outcome.match, `mismatch for ${describeCase(chaos)}: ${outcome.error ?? 'different result'}`);
    }
  } finally {
    await runner.close();
  }
  console.log(`indeterminate chaos subset: ${cases.length} runs, ${reruns} indeterminate stage reruns, 0 mismatches`);
});
