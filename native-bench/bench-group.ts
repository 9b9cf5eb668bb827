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
  /**
   * CPU time of the whole process (every thread) per sample, by task, in ms: unlike wall time, it does not grow when
   * other processes take the cores, so it shows the work each implementation does.
   */
  readonly cpuMs?: Map<string, number[]>;
}

/**
 * `fn` wrapped to record the process CPU time (user + system, all threads) of each call into `cpuMs` under `name`.
 *
 * @example
 * bench.add(name, withCpuTime(cpuMs, name, async () => job()));
 */
export function withCpuTime(cpuMs: Map<string, number[]>, name: string, fn: () => Promise<void>): () => Promise<void> {
  return async () => {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    const samples = cpuMs.get(name) ?? [];
    samples.push((used.user + used.system) / 1000);
    cpuMs.set(name, samples);
  };
}

/**
 * The median CPU time of the last `samples` calls of task `name`, in ms (earlier calls were warm-up), or null.
 *
 * @example
 * medianCpuMs(group, 'native', 3);
 */
export function medianCpuMs(group: BenchGroup, name: string): number | null {
  const all = group.cpuMs?.get(name);
  const runs = group.bench.getTask(name)?.result?.latency?.samples.length ?? 0;
  if (all === undefined || runs === 0) return null;
  const last = all.slice(-runs).sort((a, b) => a - b);
  const middle = last.length >>> 1;
  return last.length % 2 === 1 ? last[middle]! : (last[middle - 1]! + last[middle]!) / 2;
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

/**
 * Prints each task's median as soon as it finishes: a macro group runs for minutes before tinybench prints its table.
 *
 * @example
 * reportEachTask(bench);
 * await bench.run();
 */
export function reportEachTask(bench: Bench): void {
  bench.addEventListener('cycle', (event) => {
    const task = (event as Event & { task?: { name: string } }).task;
    if (task === undefined) return;
    const median = medianMs(bench, task.name);
    const error = taskError(bench, task.name);
    process.stdout.write(
      `  ${task.name}: ${error ?? (median === null ? 'no samples' : `median ${(median / 1000).toFixed(3)} s`)}\n`,
    );
  });
}
