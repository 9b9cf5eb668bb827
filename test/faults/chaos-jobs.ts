import type { Context, FaultKind, FaultsOption, JobMetrics } from '../../src/index.js';
import { compareValues } from '../../src/common/keys.js';
import { Rng } from '../../src/common/rng.js';

/**
 * Job shapes the chaos runs (test-chaos/ and the fast subset in test/faults/) inject faults into: each builds its
 * datasets fresh on the given Context, runs one or more actions, and returns a canonical result (sorted where the
 * engine leaves order open) that must equal the failure-free run's exactly. Inputs are small and seeded.
 */
export interface ChaosJob {
  readonly name: string;
  /** Runs the job; calls `jobEnded` after each action with that action's metrics. */
  run(kc: Context, jobEnded?: (metrics: JobMetrics | null) => void): Promise<unknown>;
}

const WORDS = ['ash', 'birch', 'cedar', 'elm', 'fir', 'hazel', 'larch', 'maple', 'oak', 'pine', 'rowan', 'yew'];

function lines(seed: number, count: number): string[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: 1 + rng.nextInt(6) }, () => WORDS[rng.nextInt(WORDS.length)]!).join(' '),
  );
}

const sorted = <T>(values: T[]): T[] => values.sort(compareValues);

export const CHAOS_JOBS: readonly ChaosJob[] = [
  {
    name: 'word count',
    async run(kc, jobEnded = () => {}) {
      const words = kc.accumulator(0, (a: number, b: number) => a + b);
      const counts = await kc
        .parallelize(lines(1, 300), 4)
        .flatMap((line) => line.split(' '))
        .map(
          (w) => {
            words.add(1);
            return [w, 1] as [string, number];
          },
          { words },
        )
        .reduceByKey((a, b) => a + b, 3)
        .collect();
      jobEnded(kc.lastJobMetrics);
      return { counts: sorted(counts), words: words.value };
    },
  },
  {
    name: 'join',
    async run(kc, jobEnded = () => {}) {
      const left = kc.parallelize(
        Array.from({ length: 120 }, (_, i) => [i % 17, `l${i}`] as [number, string]),
        3,
      );
      const right = kc.parallelize(
        Array.from({ length: 60 }, (_, i) => [i % 23, i * 10] as [number, number]),
        2,
      );
      const joined = await left.join(right, 3).collect();
      jobEnded(kc.lastJobMetrics);
      return sorted(joined);
    },
  },
  {
    name: 'two-shuffle pipeline',
    async run(kc, jobEnded = () => {}) {
      const byCount = await kc
        .parallelize(lines(2, 200), 4)
        .flatMap((line) => line.split(' '))
        .map((w) => [w, 1] as [string, number])
        .reduceByKey((a, b) => a + b, 3)
        .map(([w, n]) => [n % 5, w] as [number, string])
        .groupByKey(2)
        .mapValues((ws) => [...ws].sort())
        .collect();
      jobEnded(kc.lastJobMetrics);
      return sorted(byCount);
    },
  },
  {
    name: 'cached dataset reused by two actions',
    async run(kc, jobEnded = () => {}) {
      const squares = kc
        .range(0, 400, 1, 4)
        .map((x) => [x % 13, x * x] as [number, number])
        .persist();
      const total = await squares.map(([, v]) => v).reduce((a, b) => a + b);
      jobEnded(kc.lastJobMetrics);
      const byKey = await squares.reduceByKey((a, b) => a + b, 3).collect();
      jobEnded(kc.lastJobMetrics);
      squares.unpersist();
      return { total, byKey: sorted(byKey) };
    },
  },
  {
    name: 'sortByKey',
    async run(kc, jobEnded = () => {}) {
      const rng = new Rng(5);
      const pairs = Array.from({ length: 300 }, (_, i) => [rng.nextInt(1000), i] as [number, number]);
      // Order within equal keys is left open by a sort; make keys unique per record so order is exact.
      const ordered = await kc
        .parallelize(pairs, 4)
        .map(([k, i]) => [k * 1000 + i, i] as [number, number])
        .sortByKey(true, 3)
        .collect();
      jobEnded(kc.lastJobMetrics);
      return ordered;
    },
  },
];

/** Fault kinds the chaos runs draw from; block faults apply to shuffle map tasks only. */
export const CHAOS_FAULT_KINDS: readonly FaultKind[] = ['throw', 'crash', 'hang', 'oom', 'lose-block', 'corrupt-block'];

/**
 * Faults at total per-task probability `p`, split evenly over `kinds`: rule i fires with the probability that makes
 * the chance of some fault p (each rule draws independently from the seed).
 */
export function chaosFaults(seed: number, p: number, kinds: readonly FaultKind[] = CHAOS_FAULT_KINDS): FaultsOption {
  const each = 1 - Math.pow(1 - p, 1 / kinds.length);
  return {
    seed,
    rules: kinds.map((kind, i) => ({
      kind,
      probability: each,
      ...(i % 2 === 0 ? {} : { crash: 'uncaught' as const }),
    })),
  };
}

/** Context options for chaos runs: bounds high enough that p = 0.3 practically never exhausts a task's attempts. */
export function chaosContextOptions(threads: number) {
  return {
    threads,
    taskTimeoutMs: 250,
    taskAttemptsMax: 12,
    stageAttemptsMax: 12,
    workerHeapMbMax: 48,
    defaultParallelism: 3,
  } as const;
}

/** Sums job metrics over the jobs a run made (a run may run several actions). */
export function addMetrics(total: Partial<Record<string, number>>, metrics: JobMetrics | null): void {
  if (metrics === null) return;
  const add = (key: string, value: number) => (total[key] = (total[key] ?? 0) + value);
  add('taskAttempts', metrics.taskAttempts);
  add('tasksSucceeded', metrics.tasksSucceeded);
  add('tasksRetried', metrics.tasksRetried);
  add('recomputedPartitions', metrics.recomputedPartitions);
  add('timeLostMs', metrics.timeLostMs);
  for (const [kind, n] of Object.entries(metrics.faultsInjected)) add(`injected ${kind}`, n);
  for (const [kind, n] of Object.entries(metrics.failures)) add(`failed ${kind}`, n);
}
