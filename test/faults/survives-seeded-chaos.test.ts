import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveSeed, seedFromEnvironment } from '../../src/common/rng.js';
import { CHAOS_JOBS } from './chaos-jobs.js';
import { ChaosRunner, chaosCaseFromEnvironment, describeCase, type ChaosCase } from './chaos-runner.js';

// The fast subset of `npm run test:chaos`: every job shape under seeded faults of every kind, on both backends,
// each result compared exactly with the failure-free run. A failing run prints the environment that replays it alone.
const seed = seedFromEnvironment();
const replay = chaosCaseFromEnvironment(CHAOS_JOBS);

test(`every job shape returns the failure-free result under seeded faults (SEED=${seed})`, async () => {
  console.log(`chaos subset: SEED=${seed}`);
  const runner = new ChaosRunner();
  const cases: ChaosCase[] = replay === null ? [] : [replay];
  let n = 0;
  for (const job of replay === null ? CHAOS_JOBS : []) {
    for (const p of [0.1, 0.3]) cases.push({ job, p, threads: 0, seed: deriveSeed(seed, n++) });
    cases.push({ job, p: 0.3, threads: 2, seed: deriveSeed(seed, n++) });
  }
  let injected = 0;
  try {
    for (const chaos of cases) {
      const outcome = await runner.run(chaos);
      for (const [key, value] of Object.entries(outcome.metrics)) if (key.startsWith('injected ')) injected += value!;
      assert.ok(outcome.match, `mismatch for ${describeCase(chaos)}: ${outcome.error ?? 'different result'}`);
    }
  } finally {
    await runner.close();
  }
  console.log(`chaos subset: ${cases.length} runs, ${injected} faults injected, 0 mismatches`);
  assert.ok(replay !== null || injected > 0, 'the subset injected faults');
});
