#!/usr/bin/env node
/**
 * The macro bench's 20 M-row group-by (macro.ts `runGroupByBench`) on 1 and 2 threads in one process, for issue 11's
 * scaling target: each Context's first job left out (each thread warms up on its own), then jobs alternating 1, 2
 * threads; prints each job's wall and process CPU, then the medians and their ratio. Beside it, the same for the
 * hand-written aggregation on one thread and on two warm worker threads (aggregate halves, merge hash ranges): what
 * a careful program gets from the second core on this machine; and for the engine's own map-side kernel alone on
 * one and two warm threads (`baselines/sums-by-key-kernel-threads.ts`): what this machine lets that loop gain.
 *
 *   node dist/native-bench/group-by-scaling.js [--rounds 7] [--index <a build's dist/src/index.js>]
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type * as Kindling from '../src/index.js';
import { aggregateInt32 } from './baselines/int-aggregate-native.js';
import { IntAggregateThreads } from './baselines/int-aggregate-native-threads.js';
import { SumsByKeyKernelThreads } from './baselines/sums-by-key-kernel-threads.js';
import { generateNumericTable } from './numeric-table.js';
import { stolenMs } from './host-steal.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, index: { type: 'string' } } });
const rounds = Number(values.rounds);
const index = values.index === undefined ? '../src/index.js' : pathToFileURL(values.index).href;
const { Context, sum, count, mean } = (await import(index)) as typeof Kindling;

const table = generateNumericTable({ rows: 20_000_000, keys: 100_000, seed: 3 });
const contexts = { 1: new Context({ threads: 1 }), 2: new Context({ threads: 2 }) };
const sources = {
  1: contexts[1].fromColumns({ key: table.key, value: table.value }),
  2: contexts[2].fromColumns({ key: table.key, value: table.value }),
};

/** The hand-written yardstick: one thread on the driver, and warm plain worker threads sharing the columns. */
const nativeThreads = new IntAggregateThreads(table.key, table.value, 2);
/** The engine's map-side kernel alone (no scheduling, shuffle or merge), from the same build as the engine. */
const kernelModule = new URL('./executor/columnar/aggregates/sums-by-key-directory.js', import.meta.resolve(index))
  .href;
const kernels = {
  1: await SumsByKeyKernelThreads.start(table.key, table.value, 1, kernelModule),
  2: await SumsByKeyKernelThreads.start(table.key, table.value, 2, kernelModule),
};
const runs: Record<Run, () => Promise<number>> = {
  'kindling 1': () => sources[1].groupBy('key').agg(sum('value'), count(), mean('value')).count(),
  'kindling 2': () => sources[2].groupBy('key').agg(sum('value'), count(), mean('value')).count(),
  'native 1': () => Promise.resolve(aggregateInt32(table.key, table.value, table.key.length).groups),
  'native 2': () => nativeThreads.aggregate(),
  'kernel 1': () => kernels[1].pass(),
  'kernel 2': () => kernels[2].pass(),
};
type Run = 'kindling 1' | 'kindling 2' | 'native 1' | 'native 2' | 'kernel 1' | 'kernel 2';

/** A job's wall and process CPU, and the CPU time the host took from this VM meanwhile (null where unknown). */
async function job(run: Run): Promise<{ wallMs: number; cpuMs: number; stolenMs: number | null }> {
  const cpu = process.cpuUsage();
  const stolenBefore = stolenMs();
  const startedMs = performance.now();
  const answer = await runs[run]();
  const expected = run.startsWith('kernel') ? table.key.length : 100_000;
  if (answer !== expected) throw new Error(`${run}: expected ${expected}, found ${answer}`);
  const wallMs = performance.now() - startedMs;
  const used = process.cpuUsage(cpu);
  const stolenAfter = stolenMs();
  const stolen = stolenBefore === null || stolenAfter === null ? null : stolenAfter - stolenBefore;
  return { wallMs, cpuMs: (used.user + used.system) / 1000, stolenMs: stolen };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const order: Run[] = ['kindling 1', 'kindling 2', 'native 1', 'native 2', 'kernel 1', 'kernel 2'];
for (const run of order) await job(run); // each Context's and thread's first job left out
const walls = Object.fromEntries(order.map((run) => [run, [] as number[]])) as Record<Run, number[]>;
/** The walls of jobs the host took no CPU time from (at most one 10 ms tick of steal over both vCPUs). */
const quietWalls = Object.fromEntries(order.map((run) => [run, [] as number[]])) as Record<Run, number[]>;
for (let round = 0; round < rounds; round++) {
  for (const run of order) {
    const { wallMs, cpuMs, stolenMs } = await job(run);
    walls[run].push(wallMs);
    if (stolenMs !== null && stolenMs <= 10) quietWalls[run].push(wallMs);
    const load = loadavg()[0]!.toFixed(1);
    console.log(JSON.stringify({ run, wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs), stolenMs, load }));
  }
}
for (const engine of ['kindling', 'native', 'kernel'] as const) {
  const [one, two] = [median(walls[`${engine} 1`]), median(walls[`${engine} 2`])];
  console.log(
    `${engine} median wall: 1 thread ${one.toFixed(0)} ms, 2 threads ${two.toFixed(0)} ms: ${(one / two).toFixed(2)}×`,
  );
  const [quietOne, quietTwo] = [quietWalls[`${engine} 1`], quietWalls[`${engine} 2`]];
  if (quietOne.length === 0 || quietTwo.length === 0) continue;
  const [q1, q2] = [median(quietOne), median(quietTwo)];
  console.log(
    `  jobs without steal (${quietOne.length} and ${quietTwo.length} of ${rounds}): 1 thread ${q1.toFixed(0)} ms, ` +
      `2 threads ${q2.toFixed(0)} ms: ${(q1 / q2).toFixed(2)}×`,
  );
}
await Promise.all([
  contexts[1].stop(),
  contexts[2].stop(),
  nativeThreads.close(),
  kernels[1].close(),
  kernels[2].close(),
]);
