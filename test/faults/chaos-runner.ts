import { isDeepStrictEqual } from 'node:util';
import { Context, type ContextOptions, type JobMetrics } from '../../src/index.js';
import { deriveSeed, seedFromEnvironment } from '../../src/common/rng.js';
import { addMetrics, chaosContextOptions, chaosFaults, type ChaosJob } from './chaos-jobs.js';

/** One chaos run: a job shape, a fault probability, a backend, and the seed its faults are drawn from. */
export interface ChaosCase {
  readonly job: ChaosJob;
  readonly p: number;
  readonly threads: number;
  readonly seed: number;
}

/** How a chaos run ended, compared with the failure-free result. */
export interface ChaosOutcome {
  readonly match: boolean;
  /** The job's error, if it failed (a failed job is a mismatch too: at these bounds it should not happen). */
  readonly error: string | null;
  readonly wallMs: number;
  readonly metrics: Partial<Record<string, number>>;
}

/**
 * Runs each chaos case on a fresh Context, so that the case alone decides what happens: the faults an attempt gets
 * are drawn from the seed and the attempt's stage id, and stage ids (like dataset ids and the seeds of unseeded
 * samples) count up per Context. A case then replays alone from what {@link describeCase} prints. Compares each
 * result with `expected(job)` exactly.
 */
export class ChaosRunner {
  private readonly contexts = new Map<number, Context>();
  private readonly expectedResults = new Map<string, unknown>();
  private readonly extraOptions: ContextOptions;

  /** `extraOptions` are added to every Context's options (e.g. `speculation`). */
  constructor(extraOptions: ContextOptions = {}) {
    this.extraOptions = extraOptions;
  }

  /** A Context kept for the runner's lifetime (e.g. a warm pool for timing); chaos cases never run on it. */
  context(threads: number): Context {
    let kc = this.contexts.get(threads);
    if (kc === undefined) {
      kc = new Context({ ...chaosContextOptions(threads), ...this.extraOptions });
      this.contexts.set(threads, kc);
    }
    return kc;
  }

  /** The failure-free result of `job` (computed once, on a fresh inline Context). */
  async expected(job: ChaosJob): Promise<unknown> {
    if (!this.expectedResults.has(job.name)) {
      const kc = new Context({ ...chaosContextOptions(0), ...this.extraOptions });
      try {
        this.expectedResults.set(job.name, await job.run(kc));
      } finally {
        await kc.stop();
      }
    }
    return this.expectedResults.get(job.name);
  }

  /** Runs one case on a fresh Context; `onJob` sees the full metrics of each job it ran. */
  async run(chaos: ChaosCase, onJob: (metrics: JobMetrics) => void = () => {}): Promise<ChaosOutcome> {
    const expected = await this.expected(chaos.job);
    const kc = new Context({
      ...chaosContextOptions(chaos.threads),
      ...this.extraOptions,
      faults: chaos.p > 0 ? chaosFaults(chaos.seed, chaos.p) : null,
    });
    const metrics: Partial<Record<string, number>> = {};
    const startedMs = performance.now();
    try {
      const result = await chaos.job.run(kc, (m) => {
        addMetrics(metrics, m);
        if (m !== null) onJob(m);
      });
      return {
        match: isDeepStrictEqual(result, expected),
        error: null,
        wallMs: performance.now() - startedMs,
        metrics,
      };
    } catch (error: unknown) {
      return { match: false, error: String(error), wallMs: performance.now() - startedMs, metrics };
    } finally {
      await kc.stop();
    }
  }

  async close(): Promise<void> {
    for (const kc of this.contexts.values()) await kc.stop();
  }
}

/**
 * How a chaos case is named: with the environment that makes a chaos suite run that case alone (see
 * {@link chaosCaseFromEnvironment}), e.g. `job "join", p=0.3, threads=0 (replay alone: CHAOS_JOB="join" CHAOS_P=0.3
 * CHAOS_THREADS=0 SEED=1234)`.
 */
export function describeCase(chaos: ChaosCase): string {
  const replay = `CHAOS_JOB="${chaos.job.name}" CHAOS_P=${chaos.p} CHAOS_THREADS=${chaos.threads} SEED=${chaos.seed}`;
  return `job "${chaos.job.name}", p=${chaos.p}, threads=${chaos.threads} (replay alone: ${replay})`;
}

/**
 * The one case a chaos suite runs when `CHAOS_JOB` is set: that job of `jobs`, at `CHAOS_P` (default 0.3) on
 * `CHAOS_THREADS` threads (default 0), with the faults of seed `SEED` exactly. Null when `CHAOS_JOB` is not set.
 * Throws for a job name not in `jobs`, listing the names.
 */
export function chaosCaseFromEnvironment(
  jobs: readonly ChaosJob[],
  env: NodeJS.ProcessEnv = process.env,
): ChaosCase | null {
  const name = env['CHAOS_JOB'];
  if (name === undefined || name === '') return null;
  const job = jobs.find((candidate) => candidate.name === name);
  if (job === undefined) {
    throw new Error(
      `CHAOS_JOB must name a job of this suite (${jobs.map((j) => `"${j.name}"`).join(', ')}), found "${name}"`,
    );
  }
  const p = Number(env['CHAOS_P'] ?? 0.3);
  const threads = Number(env['CHAOS_THREADS'] ?? 0);
  if (!(p >= 0 && p <= 1)) throw new Error(`CHAOS_P must be a probability in [0, 1], found ${env['CHAOS_P']}`);
  if (!Number.isInteger(threads) || threads < 0) {
    throw new Error(`CHAOS_THREADS must be an integer >= 0, found ${env['CHAOS_THREADS']}`);
  }
  return { job, p, threads, seed: seedFromEnvironment(env) };
}

/** How a chaos suite spreads its runs over job shapes, fault probabilities and backends. */
export interface ChaosSuitePlan {
  readonly jobs: readonly ChaosJob[];
  readonly probabilities: readonly number[];
  readonly seedsPerCell: number;
  /** Every `poolEvery`-th run of a (job, p) cell runs on a pool of two threads, the others inline. */
  readonly poolEvery: number;
  /** Run i's fault seed is `deriveSeed(seed, i)`. */
  readonly seed: number;
}

/** The cases of a chaos suite, or only the one case the environment names ({@link chaosCaseFromEnvironment}). */
export function chaosSuiteCases(plan: ChaosSuitePlan, env: NodeJS.ProcessEnv = process.env): ChaosCase[] {
  const replay = chaosCaseFromEnvironment(plan.jobs, env);
  if (replay !== null) return [replay];
  const cases: ChaosCase[] = [];
  for (const job of plan.jobs) {
    for (const p of plan.probabilities) {
      for (let i = 0; i < plan.seedsPerCell; i++) {
        const threads = i % plan.poolEvery === plan.poolEvery - 1 ? 2 : 0;
        cases.push({ job, p, threads, seed: deriveSeed(plan.seed, cases.length) });
      }
    }
  }
  return cases;
}

/**
 * Runs chaos cases in order, printing each mismatch with the environment that replays it alone. Returns the
 * mismatch lines and the run metrics summed over all runs; `afterRun` sees each case as it ends.
 */
export async function runChaosCases(
  runner: ChaosRunner,
  cases: readonly ChaosCase[],
  onJob: (metrics: JobMetrics) => void = () => {},
  afterRun: (chaos: ChaosCase, index: number) => void = () => {},
): Promise<{ mismatches: string[]; totals: Partial<Record<string, number>> }> {
  const mismatches: string[] = [];
  const totals: Partial<Record<string, number>> = {};
  for (const [index, chaos] of cases.entries()) {
    const outcome = await runner.run(chaos, onJob);
    for (const [key, value] of Object.entries(outcome.metrics)) totals[key] = (totals[key] ?? 0) + value!;
    if (!outcome.match) {
      const line = `MISMATCH ${describeCase(chaos)}: ${outcome.error ?? 'different result'}`;
      console.log(line);
      mismatches.push(line);
    }
    afterRun(chaos, index);
  }
  return { mismatches, totals };
}
