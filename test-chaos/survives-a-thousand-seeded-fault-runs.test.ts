import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Context, type FaultKind } from '../src/index.js';
import { deriveSeed, seedFromEnvironment } from '../src/common/rng.js';
import { CHAOS_JOBS, chaosContextOptions, chaosFaults, type ChaosJob } from '../test/faults/chaos-jobs.js';
import {
  ChaosRunner,
  chaosCaseFromEnvironment,
  chaosSuiteCases,
  describeCase,
  runChaosCases,
  type ChaosOutcome,
} from '../test/faults/chaos-runner.js';

// `npm run test:chaos`: >= 1,000 seeded runs of five job shapes with faults of every kind injected at per-task
// probabilities 0.01, 0.1 and 0.3 (inline backend, plus every 8th run on a Piscina pool of two threads), each result
// compared exactly with the failure-free run. The SEED= printed in the test names replays the whole suite; a
// failing run prints the CHAOS_JOB=, CHAOS_P=, CHAOS_THREADS= and SEED= that replay it alone with this file.
// Also checks the retry counts against the model P(at least one failure among n tasks) = 1 - (1 - p)^n, and
// reports the recovery overhead (wall at p = 0.05 against p = 0 on the same job, same pool).
const baseSeed = seedFromEnvironment();
const replay = chaosCaseFromEnvironment(CHAOS_JOBS);
const SEEDS_PER_CELL = Number(process.env['CHAOS_SEEDS'] ?? 68);
const PROBABILITIES = [0.01, 0.1, 0.3];
const PROCESS_FAULTS: readonly FaultKind[] = ['throw', 'crash', 'hang', 'oom'];

const cases = chaosSuiteCases({
  jobs: CHAOS_JOBS,
  probabilities: PROBABILITIES,
  seedsPerCell: SEEDS_PER_CELL,
  poolEvery: 8,
  seed: baseSeed,
});

const title = replay === null ? `SEED=${baseSeed}` : describeCase(replay);
test(`chaos: every run returns the failure-free result (${title})`, { timeout: 40 * 60_000 }, async () => {
  const runner = new ChaosRunner();
  const startedMs = performance.now();
  let outcome: Awaited<ReturnType<typeof runChaosCases>>;
  try {
    outcome = await runChaosCases(runner, cases, undefined, (chaos, index) => {
      if (cases[index + 1]?.job === chaos.job) return;
      const seconds = ((performance.now() - startedMs) / 1000).toFixed(0);
      console.log(`chaos: ${chaos.job.name} done, ${index + 1} runs so far, ${seconds} s`);
    });
  } finally {
    await runner.close();
  }
  const { mismatches, totals } = outcome;
  const runs = cases.length;
  console.log(
    `chaos: ${runs} runs, ${mismatches.length} mismatches, ${((performance.now() - startedMs) / 1000).toFixed(0)} s`,
  );
  console.log(`chaos: faults injected by kind: ${JSON.stringify(pick(totals, 'injected '))}`);
  console.log(`chaos: failures by cause: ${JSON.stringify(pick(totals, 'failed '))}`);
  console.log(
    `chaos: task attempts ${totals['taskAttempts']}, tasks retried ${totals['tasksRetried']}, ` +
      `map partitions recomputed ${totals['recomputedPartitions']}, time lost ${Math.round(totals['timeLostMs'] ?? 0)} ms`,
  );
  assert.equal(runs >= 1000 || SEEDS_PER_CELL < 68 || replay !== null, true);
  assert.deepEqual(mismatches, []);
});

// A replay of one case runs that case only.
const skip = replay !== null;

test(`chaos: retried tasks follow 1 - (1 - p)^n (SEED=${baseSeed})`, { timeout: 10 * 60_000, skip }, async () => {
  // Process faults only (they apply to every task, block faults to map tasks only), so the per-attempt fault
  // probability is exactly p and the model applies as it stands.
  const kc = new Context(chaosContextOptions(0));
  try {
    for (const p of PROBABILITIES) {
      let runsWithFailure = 0;
      let expectedRunsWithFailure = 0;
      let retried = 0;
      let expectedRetried = 0;
      let variance = 0;
      let runs = 0;
      for (const job of CHAOS_JOBS) {
        for (let i = 0; i < 40; i++) {
          kc.setFaults(chaosFaults(deriveSeed(baseSeed ^ 0x5eed, runs), p, PROCESS_FAULTS));
          let n = 0;
          let failed = 0;
          await job.run(kc, (m) => {
            n += m?.tasksSucceeded ?? 0;
            failed += m?.tasksRetried ?? 0;
          });
          runs++;
          if (failed > 0) runsWithFailure++;
          expectedRunsWithFailure += 1 - Math.pow(1 - p, n);
          retried += failed;
          expectedRetried += n * p;
          variance += n * p * (1 - p);
        }
      }
      kc.setFaults(null);
      const sigma = Math.sqrt(variance);
      console.log(
        `chaos model p=${p}: runs with a failure ${runsWithFailure}/${runs} (expected ${expectedRunsWithFailure.toFixed(1)}), ` +
          `retried tasks ${retried} (expected ${expectedRetried.toFixed(1)} ± ${sigma.toFixed(1)})`,
      );
      assert.ok(Math.abs(retried - expectedRetried) <= 4 * sigma + 2, `retried tasks at p=${p} follow the model`);
    }
  } finally {
    await kc.stop();
  }
});

test(`chaos: recovery overhead at p = 0.05 (SEED=${baseSeed})`, { timeout: 10 * 60_000, skip }, async () => {
  const job: ChaosJob = {
    name: 'word count, larger',
    async run(kc) {
      const lines = Array.from({ length: 600_000 }, (_, i) => `w${(i * 7919) % 1000} x${i % 97} y${i % 13}`);
      return (
        await kc
          .parallelize(lines, 16)
          .flatMap((l) => l.split(' '))
          .map((w) => [w, 1] as [string, number])
          .reduceByKey((a, b) => a + b, 16)
          .collect()
      ).length;
    },
  };
  const runner = new ChaosRunner();
  try {
    for (const [label, kinds] of [
      ['throw, crash, lose-block, corrupt-block', ['throw', 'crash', 'lose-block', 'corrupt-block']],
      ['every kind (hang costs taskTimeoutMs = 250 ms, oom a heap fill)', undefined],
    ] as const) {
      const walls: Record<'0' | '0.05', number[]> = { '0': [], '0.05': [] };
      const expected = await runner.expected(job);
      const kc = runner.context(2);
      await job.run(kc); // warm the pool
      for (let i = 0; i < 6; i++) {
        for (const p of [0, 0.05] as const) {
          kc.setFaults(p === 0 ? null : chaosFaults(deriveSeed(baseSeed ^ 0x0be5, i), p, kinds));
          const t0 = performance.now();
          const result = await job.run(kc);
          walls[p === 0 ? '0' : '0.05'].push(performance.now() - t0);
          assert.deepEqual(result, expected);
        }
      }
      kc.setFaults(null);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
      console.log(
        `chaos overhead [${label}]: wall p=0 mean ${mean(walls['0']).toFixed(0)} ms (median ${median(walls['0']).toFixed(0)}), ` +
          `p=0.05 mean ${mean(walls['0.05']).toFixed(0)} ms (median ${median(walls['0.05']).toFixed(0)}), ` +
          `ratio of means ${(mean(walls['0.05']) / mean(walls['0'])).toFixed(2)}x (target <= 1.2x), 32 tasks per run, 2 threads`,
      );
    }
  } finally {
    await runner.close();
  }
});

function pick(totals: Partial<Record<string, number>>, prefix: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(totals)) if (key.startsWith(prefix)) out[key.slice(prefix.length)] = value!;
  return out;
}

export type { ChaosOutcome };
