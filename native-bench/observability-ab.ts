#!/usr/bin/env node
/**
 * Interleaved A/B runs of one job of n empty tasks (`range(0, n, 1, n).count()`, the worst case for per-task
 * costs), on warm 2-thread Contexts: observers off, event log on, event log + live UI on, and optionally the same job on another
 * build of kindling (`--base <its dist/src/index.js>`, e.g. the commit before the observers were added) to show
 * that with everything off nothing is measurable. Rounds alternate the variants so that load on a shared machine
 * hits all of them alike; the medians of wall time and of process CPU time (all threads) are printed.
 *
 *   node --expose-gc dist/native-bench/observability-ab.js [--tasks 10000] [--rounds 15] [--base path]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { Context } from '../src/index.js';

interface Variant {
  readonly name: string;
  readonly kc: {
    range(a: number, b: number, s: number, n: number): { count(): Promise<number> };
    stop(): Promise<void>;
  };
  readonly wallMs: number[];
  readonly cpuMs: number[];
}

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '15' },
    base: { type: 'string' },
  },
});
const n = Number(values.tasks);
const rounds = Number(values.rounds);
const logDir = mkdtempSync(join(tmpdir(), 'kindling-ab-eventlog-'));
const variants: Variant[] = [];
if (values.base !== undefined) {
  const base = (await import(pathToFileURL(resolve(values.base)).href)) as {
    Context: new (o: object) => Variant['kc'];
  };
  variants.push({ name: `base build (${values.base})`, kc: new base.Context({ threads: 2 }), wallMs: [], cpuMs: [] });
}
variants.push({
  name: 'this build, observers off',
  kc: new Context({ threads: 2, progress: false }),
  wallMs: [],
  cpuMs: [],
});
variants.push({
  name: 'this build, event log on',
  kc: new Context({ threads: 2, progress: false, eventLog: logDir }),
  wallMs: [],
  cpuMs: [],
});
variants.push({
  name: 'this build, event log + live UI on',
  kc: new Context({ threads: 2, progress: false, eventLog: logDir, ui: { port: 0 } }),
  wallMs: [],
  cpuMs: [],
});
for (const v of variants) for (let i = 0; i < 3; i++) await v.kc.range(0, n, 1, n).count();
for (let round = 0; round < rounds; round++) {
  // Rotate the order each round: no variant always runs first after the others' garbage.
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(round + k) % variants.length]!;
    const cpu = process.cpuUsage();
    const started = performance.now();
    const counted = await v.kc.range(0, n, 1, n).count();
    v.wallMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    v.cpuMs.push((used.user + used.system) / 1000);
    if (counted !== n) throw new Error(`${v.name} counted ${counted}, expected ${n}`);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const reference = variants.find((v) => v.name.includes('observers off'))!;
process.stdout.write(
  `${n} empty tasks, ${rounds} interleaved rounds, load average ${(await import('node:os'))
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}\n`,
);
process.stdout.write(
  '| variant | median wall | median CPU (all threads) | wall / off | CPU / off | CPU / off, median of rounds |\n|---|---:|---:|---:|---:|---:|\n',
);
for (const v of variants) {
  const wall = median(v.wallMs);
  const cpu = median(v.cpuMs);
  // Paired: each round's ratio to the off run of the same round, so a load change between rounds cancels out.
  const paired = median(v.cpuMs.map((ms, i) => ms / reference.cpuMs[i]!));
  process.stdout.write(
    `| ${v.name} | ${wall.toFixed(0)} ms | ${cpu.toFixed(0)} ms | ${(wall / median(reference.wallMs)).toFixed(3)} | ${(cpu / median(reference.cpuMs)).toFixed(3)} | ${paired.toFixed(3)} |\n`,
  );
}
if (process.env['AB_ROUNDS'] === '1') {
  for (const v of variants) process.stdout.write(`${v.name}: ${v.cpuMs.map((ms) => ms.toFixed(0)).join(' ')}\n`);
}
for (const v of variants) await v.kc.stop();
rmSync(logDir, { recursive: true, force: true });
