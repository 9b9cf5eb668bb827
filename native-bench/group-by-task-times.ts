#!/usr/bin/env node
/**
 * Where the 20 M-row group-by's 2-thread scaling goes, task by task (issue 11): the group-by-scaling job on 1 and
 * 2 threads, alternating, each Context's first two jobs left out; for every job, its wall and process CPU, and each
 * task's stage, partition, driver-side duration, executor time, GC time and when it ended (ms from the job's start),
 * from the Context's task-end events.
 *
 *   node dist/native-bench/group-by-task-times.js [--rounds 5]
 */
import { parseArgs } from 'node:util';
import { Context, count, mean, sum, type LoggedEvent } from '../src/index.js';
import { generateNumericTable } from './numeric-table.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const table = generateNumericTable({ rows: 20_000_000, keys: 100_000, seed: 3 });
const ends: { readonly event: LoggedEvent; readonly atMs: number }[] = [];

function contextOf(threads: number): Context {
  const kc = new Context({ threads });
  kc.onEvent((event) => {
    if (event.kind === 'task-end') ends.push({ event, atMs: performance.now() });
  });
  return kc;
}

const contexts = { 1: contextOf(1), 2: contextOf(2) };
const sources = {
  1: contexts[1].fromColumns({ key: table.key, value: table.value }),
  2: contexts[2].fromColumns({ key: table.key, value: table.value }),
};
for (let round = 0; round < 2 + rounds; round++) {
  for (const threads of [1, 2] as const) {
    ends.length = 0;
    const cpu = process.cpuUsage();
    const startedMs = performance.now();
    await sources[threads].groupBy('key').agg(sum('value'), count(), mean('value')).count();
    const wallMs = performance.now() - startedMs;
    const used = process.cpuUsage(cpu);
    if (round < 2) continue;
    const tasks = ends.map(({ event, atMs }) => {
      if (event.kind !== 'task-end') return '';
      const m = event.metrics;
      return `s${event.stageId}p${event.partition}:${Math.round(event.durationMs)}/${Math.round(m?.executorMs ?? 0)}/gc${Math.round(m?.gcMs ?? 0)}@${Math.round(atMs - startedMs)}`;
    });
    const cpuMs = Math.round((used.user + used.system) / 1000);
    console.log(`threads ${threads} wall ${Math.round(wallMs)} ms cpu ${cpuMs} ms | ${tasks.join(' ')}`);
  }
}
console.log('task: s<stage>p<partition>:<duration ms>/<executor ms>/gc<ms>@<ended, ms from the job start>');
await Promise.all([contexts[1].stop(), contexts[2].stop()]);
