/**
 * A tinybench `Bench` plus what the report needs to read it: which task is compared with which baseline, and the
 * correctness checks (every engine task must compute what its baseline computes, or its time means nothing).
 */
import type { Bench } from 'tinybench';

/** An engine task and the native baseline it is compared with (ratio = engine median / baseline median). */
export interface RatioPair {
  readonly engine: string;
  readonly baseline: string;
}

/** One result check: `ok` false means the engine and its baseline disagree. */
export interface Check {
  readonly what: string;
  readonly ok: boolean;
}

/** One group of benchmarks, run side by side in one `Bench`. */
export interface BenchGroup {
  readonly title: string;
  /** What the tasks do, for the report. */
  readonly description: string;
  readonly bench: Bench;
  readonly pairs: readonly RatioPair[];
  readonly checks: Check[];
  /** Releases what the tasks used (a Context, a worker), after the run. */
  readonly after?: () => Promise<void>;
}

/**
 * The median latency of task `name` in ms, or null when it did not run or failed.
 *
 * @example
 * medianMs(group.bench, 'native'); // 8123.4
 */
export function medianMs(bench: Bench, name: string): number | null {
  const result = bench.getTask(name)?.result;
  if (result === undefined || result.error !== undefined || result.latency === undefined) return null;
  return result.latency.p50 ?? null;
}

/**
 * A latency percentile of task `name` in ms, or null.
 *
 * @example
 * percentileMs(bench, 'engine', 'p99');
 */
export function percentileMs(bench: Bench, name: string, which: 'p75' | 'p99'): number | null {
  const result = bench.getTask(name)?.result;
  if (result === undefined || result.error !== undefined || result.latency === undefined) return null;
  return result.latency[which] ?? null;
}

/**
 * The error message of task `name`, or null when it ran.
 *
 * @example
 * taskError(bench, 'columnar, 2 threads'); // 'readText is not a function'
 */
export function taskError(bench: Bench, name: string): string | null {
  const error = bench.getTask(name)?.result?.error;
  return error === undefined ? null : error.message;
}

/**
 * Records the check `what` in `checks` (and prints failures at once, so a long run shows them early).
 *
 * @example
 * check(group.checks, 'same distinct words', engineDistinct === nativeDistinct);
 */
export function check(checks: Check[], what: string, ok: boolean): void {
  checks.push({ what, ok });
  if (!ok) process.stderr.write(`native-bench: CHECK FAILED: ${what}\n`);
}
