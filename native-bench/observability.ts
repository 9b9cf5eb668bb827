/**
 * The observability overhead group: the same jobs on a Context with every observer off (the default) and on one
 * with the event log and the live UI on, side by side in one tinybench `Bench` (ratio = on / off): the
 * `range(0, n, 1, n).count()` job of n empty tasks (the worst case: per-task events and no work to hide them) and
 * the columnar word count over the corpus on 2 threads. Also the heap the live UI's state and the log writer hold
 * after a job of n tasks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';

import { Context } from '../src/index.js';
import { check, reportEachTask, withCpuTime, type BenchGroup } from './bench-group.js';
import type { BenchProfile } from './profiles.js';
import { runWordCount } from './word-count-jobs.js';

export const OBSERVABILITY = {
  tasksOff: 'empty tasks, observers off',
  tasksOn: 'empty tasks, event log + live UI on',
  wordCountOff: 'columnar word count, 2 threads, observers off',
  wordCountOn: 'columnar word count, 2 threads, event log + live UI on',
} as const;

/**
 * Runs the group; `paths` is the corpus.
 *
 * @example
 * const group = await runObservabilityBench(profile, corpus.paths);
 */
export async function runObservabilityBench(profile: BenchProfile, paths: readonly string[]): Promise<BenchGroup> {
  const n = profile.emptyTasks;
  const heapBytes = await observerHeapBytes(n);
  const heapNote =
    heapBytes === null
      ? 'heap held by the observers not measured (run node with --expose-gc)'
      : `heap held by the observers after one ${n.toLocaleString('en')}-task job: ${(heapBytes / 1024 ** 2).toFixed(1)} MiB (the live UI's state of every task and the log writer's buffer; target ≤ 20 MiB)`;
  const logDir = mkdtempSync(join(tmpdir(), 'kindling-bench-eventlog-'));
  const off = new Context({ threads: 2, progress: false });
  const on = new Context({ threads: 2, progress: false, eventLog: logDir, ui: { port: 0 } });
  for (let i = 0; i < 10; i++) {
    await off.range(0, 4, 1, 4).count();
    await on.range(0, 4, 1, 4).count();
  }
  const bench = new Bench({
    name: 'observability',
    time: 0,
    iterations: profile.emptyTaskIterations + 2,
    warmupIterations: 1,
    warmupTime: 0,
  });
  const counted = new Map<string, number>();
  const cpuMs = new Map<string, number[]>();
  const add = (name: string, job: () => Promise<number>) =>
    bench.add(
      name,
      withCpuTime(cpuMs, name, async () => {
        counted.set(name, await job());
      }),
    );
  add(OBSERVABILITY.tasksOff, () => off.range(0, n, 1, n).count());
  add(OBSERVABILITY.tasksOn, () => on.range(0, n, 1, n).count());
  add(OBSERVABILITY.wordCountOff, () => runWordCount('columnar', off, paths));
  add(OBSERVABILITY.wordCountOn, () => runWordCount('columnar', on, paths));
  const group: BenchGroup = {
    title: 'observability overhead',
    description: `the same jobs on a Context with every observer off and on one with \`eventLog\` and \`ui\` on: ${n.toLocaleString('en')} empty tasks (\`range(0, ${n}, 1, ${n}).count()\`), and the columnar word count of the corpus on 2 threads; the ratio is on / off; ${heapNote}`,
    bench,
    pairs: [
      { engine: OBSERVABILITY.tasksOn, baseline: OBSERVABILITY.tasksOff },
      { engine: OBSERVABILITY.wordCountOn, baseline: OBSERVABILITY.wordCountOff },
    ],
    checks: [],
    cpuMs,
  };
  process.stdout.write('\n## observability overhead\n');
  reportEachTask(bench);
  await bench.run();
  console.table(bench.table());
  check(group.checks, `observability: both ${n}-task jobs count ${n}`, counted.get(OBSERVABILITY.tasksOn) === n);
  check(
    group.checks,
    'observability: the word count finds the same distinct words with observers on and off',
    counted.get(OBSERVABILITY.wordCountOn) === counted.get(OBSERVABILITY.wordCountOff),
  );
  await on.stop();
  await off.stop();
  rmSync(logDir, { recursive: true, force: true });
  return group;
}

/** Heap a fresh observed Context holds after one job of n tasks, beyond an unobserved one's. */
async function observerHeapBytes(n: number): Promise<number | null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return null;
  const held = async (observed: boolean) => {
    const logDir = mkdtempSync(join(tmpdir(), 'kindling-bench-eventlog-'));
    const kc = new Context({
      threads: 2,
      progress: false,
      ...(observed ? { eventLog: logDir, ui: { port: 0 } } : {}),
    });
    gc();
    const before = process.memoryUsage().heapUsed;
    await kc.range(0, n, 1, n).count();
    gc();
    const after = process.memoryUsage().heapUsed;
    await kc.stop();
    rmSync(logDir, { recursive: true, force: true });
    return after - before;
  };
  const plain = await held(false);
  const observed = await held(true);
  return observed - plain;
}
