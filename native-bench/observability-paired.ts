#!/usr/bin/env node
/**
 * The observers' overhead on whole jobs, resolved finely enough for issue 13's 3 %: several Contexts live in ONE
 * process (two with every observer off, one with the event log and the live UI on, optionally others) and take
 * turns running the same job, in an order that rotates every round, so a change of load on a shared machine hits
 * every variant alike. Each job is measured three ways:
 *
 * - the driver thread's CPU time (`/proc/self/task/<pid>/schedstat`, in ns; the observers run on this thread only),
 * - the whole process's CPU time (`process.cpuUsage`: the worker threads, GC helpers and libuv's threads too),
 * - wall time.
 *
 * Per round, every variant's figure is divided by the first "off" Context's in the same round; the report gives the
 * median of those ratios and their interquartile range. The second "off" Context is the control: its ratio is what
 * this method reads for two identical variants, so the "on" ratio means something only where it stands clear of it.
 * Separate processes per variant (observability-ab.js) spread ±11 % here for identical code; this does not have to
 * cross process start-up, address-space layout or a different moment's load.
 *
 *   node dist/native-bench/observability-paired.js [--tasks 10000] [--rounds 12] [--variants off,on,off]
 *
 * Variants: `off`, `on` (event log + live UI), `log` (event log only), `ui` (live UI only). The first must be `off`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Context } from '../src/index.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '12' },
    variants: { type: 'string', default: 'off,on,off' },
    threads: { type: 'string', default: '2' },
  },
});
const n = Number(values.tasks);
const rounds = Number(values.rounds);
const kinds = values.variants.split(',');
if (kinds[0] !== 'off') throw new Error(`--variants must start with off (the reference), found ${values.variants}`);

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
/** The driver thread's CPU time in ms: the main thread's id is the process id on Linux. */
function driverCpuMs(): number {
  return Number(readFileSync(SCHEDSTAT, 'utf8').split(' ', 1)[0]) / 1e6;
}
try {
  driverCpuMs();
} catch (error: unknown) {
  throw new Error(`needs Linux's ${SCHEDSTAT} for the driver thread's CPU time`, { cause: error });
}

interface Variant {
  readonly name: string;
  readonly kc: Context;
  readonly driverMs: number[];
  readonly processMs: number[];
  readonly wallMs: number[];
  readonly results: Set<number>;
}

const logDir = mkdtempSync(join(tmpdir(), 'kindling-paired-eventlog-'));
const seen = new Map<string, number>();
const variants: Variant[] = kinds.map((kind) => {
  const count = (seen.get(kind) ?? 0) + 1;
  seen.set(kind, count);
  const observers =
    kind === 'off'
      ? {}
      : kind === 'on'
        ? { eventLog: logDir, ui: { port: 0 } }
        : kind === 'log'
          ? { eventLog: logDir }
          : kind === 'ui'
            ? { ui: { port: 0 } }
            : null;
  if (observers === null) throw new Error(`unknown variant ${kind}: expected off, on, log or ui`);
  const name = `${kind === 'on' ? 'event log + live UI' : kind === 'log' ? 'event log' : kind === 'ui' ? 'live UI' : 'observers off'}${kinds.filter((k) => k === kind).length > 1 ? ` (${String.fromCharCode(96 + count)})` : ''}`;
  const kc = new Context({ threads: Number(values.threads), progress: false, ...observers });
  return { name, kc, driverMs: [], processMs: [], wallMs: [], results: new Set() };
});

async function timed(v: Variant): Promise<void> {
  const cpu = process.cpuUsage();
  const driver = driverCpuMs();
  const started = performance.now();
  v.results.add(await v.kc.range(0, n, 1, n).count());
  v.wallMs.push(performance.now() - started);
  v.driverMs.push(driverCpuMs() - driver);
  const used = process.cpuUsage(cpu);
  v.processMs.push((used.user + used.system) / 1000);
}

const loadAtStart = loadavg();
// Threads up and code warm in every Context before anything is timed.
for (const v of variants) for (let i = 0; i < 3; i++) await v.kc.range(0, 100, 1, 100).count();
for (const v of variants) await v.kc.range(0, n, 1, n).count();
for (let round = 0; round < rounds; round++) {
  // Rotate, and reverse every other round: each variant runs in every position, before and after each other one.
  const shift = round % variants.length;
  const rotated = [...variants.slice(shift), ...variants.slice(0, shift)];
  for (const v of round % 2 === 0 ? rotated : rotated.reverse()) await timed(v);
  process.stderr.write(
    `round ${round + 1}/${rounds}: ${variants.map((v) => `${v.name} ${v.driverMs.at(-1)!.toFixed(0)}/${v.processMs.at(-1)!.toFixed(0)} ms`).join(', ')}\n`,
  );
}
for (const v of variants) await v.kc.stop();
rmSync(logDir, { recursive: true, force: true });
const loadAtEnd = loadavg();

function quantile(xs: readonly number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low]! + (sorted[Math.min(low + 1, sorted.length - 1)]! - sorted[low]!) * (at - low);
}
function ratios(v: readonly number[], reference: readonly number[]): string {
  const r = v.map((x, i) => x / reference[i]!);
  return `${quantile(r, 0.5).toFixed(3)} (${quantile(r, 0.25).toFixed(3)}–${quantile(r, 0.75).toFixed(3)})`;
}
/** The variants' lower quartiles divided: other work on the machine only ever adds time, so the least disturbed jobs
 * of each variant are compared too (unpaired). */
function lowRatio(v: readonly number[], reference: readonly number[]): string {
  return (quantile(v, 0.25) / quantile(reference, 0.25)).toFixed(3);
}
const reference = variants[0]!;
const out = [
  `\`node dist/native-bench/observability-paired.js ${process.argv.slice(2).join(' ')}\``.replace(' `', '`'),
  '',
  `${rounds} rounds of \`range(0, ${n}, 1, ${n}).count()\`, one job per variant per round, all in one process; load average ${loadAtStart[0]!.toFixed(1)} at start, ${loadAtEnd[0]!.toFixed(1)} at end.`,
  '',
  '| variant | driver thread CPU per task (median) | / off (a), paired: median (IQR) | / off (a), lower quartiles | process CPU per task | / off (a), paired | / off (a), lower quartiles | wall per job | / off (a), paired |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...variants.map(
    (v) =>
      `| ${v.name} | ${((quantile(v.driverMs, 0.5) * 1000) / n).toFixed(1)} µs | ${v === reference ? '-' : ratios(v.driverMs, reference.driverMs)} | ${v === reference ? '-' : lowRatio(v.driverMs, reference.driverMs)} | ${((quantile(v.processMs, 0.5) * 1000) / n).toFixed(1)} µs | ${v === reference ? '-' : ratios(v.processMs, reference.processMs)} | ${v === reference ? '-' : lowRatio(v.processMs, reference.processMs)} | ${quantile(v.wallMs, 0.5).toFixed(0)} ms | ${v === reference ? '-' : ratios(v.wallMs, reference.wallMs)} |`,
  ),
  '',
  `- ${variants.every((v) => v.results.size === 1 && v.results.has(n)) ? 'ok' : 'MISMATCH'}: every job's count: ${[...new Set(variants.flatMap((v) => [...v.results]))].join(', ')}`,
];
process.stdout.write(`${out.join('\n')}\n`);
