#!/usr/bin/env node
/**
 * The macro bench's 20 M-row group-by (macro.ts `runGroupByBench`) on 1 and 2 threads in one process, for issue 11's
 * scaling target: each Context's first job left out (each thread warms up on its own), then jobs alternating 1, 2
 * threads; prints each job's wall and process CPU, then the medians and their ratio.
 *
 *   node dist/native-bench/group-by-scaling.js [--rounds 7] [--index <a build's dist/src/index.js>]
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import type * as Kindling from '../src/index.js';
import { generateNumericTable } from './numeric-table.js';

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

async function job(threads: 1 | 2): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const startedMs = performance.now();
  const groups = await sources[threads].groupBy('key').agg(sum('value'), count(), mean('value')).count();
  if (groups !== 100_000) throw new Error(`expected 100000 groups, found ${groups}`);
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - startedMs, cpuMs: (used.user + used.system) / 1000 };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
await job(1);
await job(2);
const walls: Record<1 | 2, number[]> = { 1: [], 2: [] };
for (let round = 0; round < rounds; round++) {
  for (const threads of [1, 2] as const) {
    const { wallMs, cpuMs } = await job(threads);
    walls[threads].push(wallMs);
    console.log(
      JSON.stringify({ threads, wallMs: Math.round(wallMs), cpuMs: Math.round(cpuMs), load: loadavg()[0]!.toFixed(1) }),
    );
  }
}
const [one, two] = [median(walls[1]), median(walls[2])];
console.log(`median wall: 1 thread ${one.toFixed(0)} ms, 2 threads ${two.toFixed(0)} ms: ${(one / two).toFixed(2)}×`);
await Promise.all([contexts[1].stop(), contexts[2].stop()]);
