import { isDeepStrictEqual } from 'node:util';
import { Context, type ContextOptions, type JobMetrics } from '../../src/index.js';
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
 * Runs chaos cases on one Context per backend (re-armed with `kc.setFaults` per run, so a pool is not rebuilt each
 * time), compares each result with `expected(job)` exactly, and calls `report` per run.
 */
export class ChaosRunner {
  private readonly contexts = new Map<number, Context>();
  private readonly expectedResults = new Map<string, unknown>();
  private readonly extraOptions: ContextOptions;

  /** `extraOptions` are added to every Context's options (e.g. `speculation`). */
  constructor(extraOptions: ContextOptions = {}) {
    this.extraOptions = extraOptions;
  }

  context(threads: number): Context {
    let kc = this.contexts.get(threads);
    if (kc === undefined) {
      kc = new Context({ ...chaosContextOptions(threads), ...this.extraOptions });
      this.contexts.set(threads, kc);
    }
    return kc;
  }

  /** The failure-free result of `job` (computed once, on the inline backend). */
  async expected(job: ChaosJob): Promise<unknown> {
    if (!this.expectedResults.has(job.name)) {
      const kc = this.context(0);
      kc.setFaults(null);
      this.expectedResults.set(job.name, await job.run(kc));
    }
    return this.expectedResults.get(job.name);
  }

  /** Runs one case; `onJob` sees the full metrics of each job it ran. */
  async run(chaos: ChaosCase, onJob: (metrics: JobMetrics) => void = () => {}): Promise<ChaosOutcome> {
    const expected = await this.expected(chaos.job);
    const kc = this.context(chaos.threads);
    const metrics: Partial<Record<string, number>> = {};
    kc.setFaults(chaos.p > 0 ? chaosFaults(chaos.seed, chaos.p) : null);
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
      kc.setFaults(null);
    }
  }

  async close(): Promise<void> {
    for (const kc of this.contexts.values()) await kc.stop();
  }
}

/** How a failing chaos case is named, so that `SEED=` plus the description reproduces it. */
export function describeCase(chaos: ChaosCase): string {
  return `job "${chaos.job.name}", p=${chaos.p}, threads=${chaos.threads}, SEED=${chaos.seed}`;
}
