#!/usr/bin/env node
/**
 * The observers' overhead on whole jobs, resolved finely enough for issue 13's 3 %: several Contexts live in ONE
 * process (two with every observer off, one with the event log and the live UI on, optionally others) and take
 * turns running the same job, in an order that rotates every round and reverses every other round, so a change of
 * load on a shared machine hits every variant alike. Each job is measured three ways:
 *
 * - the driver thread's CPU time (`/proc/self/task/<pid>/schedstat`, in ns; the observers run on this thread only),
 * - the whole process's CPU time (`process.cpuUsage`: the worker threads, GC helpers and libuv's threads too),
 * - wall time.
 *
 * Per round, every variant's figure is divided by the first "off" Context's in the same round; the report gives the
 * median of those ratios with its 95 % confidence interval (order statistics: no assumption about the noise's
 * shape, and not pulled by the rounds another process disturbed). The second "off" Context is the control: its
 * ratio is what this method reads for two identical variants. "/ both offs" divides by the mean of the two "off"
 * jobs of the same round, which halves the reference's own noise. Separate processes per variant
 * (observability-ab.js) spread ±11 % here for identical code; this does not have to cross process start-up,
 * address-space layout or a different moment's load.
 *
 *   node dist/native-bench/observability-paired.js [--job tasks] [--tasks 10000] [--rounds 30] [--variants off,on,off]
 *   node dist/native-bench/observability-paired.js --job word-count --corpus <dir of part-*.txt> [--rounds 5]
 *
 * Variants: `off`, `on` (event log + live UI), `log` (event log only), `ui` (live UI only). The first must be `off`.
 * Jobs: `tasks`, `range(0, n, 1, n).count()` (the worst case: two task events per empty task); `word-count`, the
 * columnar word count of every `part-*.txt` in `--corpus` (few tasks, much work: the case where the overhead
 * should vanish). A 1 GiB corpus takes ~0.5 GiB per job: run it under the machine's lock for big runs.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Context } from '../src/index.js';
import { formatInterval, medianInterval, pairwise, quantile } from './observability-stats.js';
import { runWordCount } from './word-count-jobs.js';

const { values } = parseArgs({
  options: {
    job: { type: 'string', default: 'tasks' },
    tasks: { type: 'string', default: '10000' },
    corpus: { type: 'string' },
    rounds: { type: 'string', default: '30' },
    variants: { type: 'string', default: 'off,on,off' },
    threads: { type: 'string', default: '2' },
  },
});
const n = Number(values.tasks);
const rounds = Number(values.rounds);
const kinds = values.variants.split(',');
if (kinds[0] !== 'off') throw new Error(`--variants must start with off (the reference), found ${values.variants}`);
if (values.job !== 'tasks' && values.job !== 'word-count') {
  throw new Error(`--job must be tasks or word-count, found ${values.job}`);
}
const wordCount = values.job === 'word-count';
const paths = wordCount ? corpusPaths(values.corpus) : [];

function corpusPaths(dir: string | undefined): string[] {
  if (dir === undefined) throw new Error('--job word-count needs --corpus <directory of part-*.txt files>');
  const files = readdirSync(dir)
    .filter((f) => /^part-\d+\.txt$/.test(f))
    .sort((a, b) => Number(a.slice(5, -4)) - Number(b.slice(5, -4)));
  if (files.length === 0) throw new Error(`--corpus ${dir}: expected part-<n>.txt files, found none`);
  return files.map((f) => join(dir, f));
}

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
  readonly kind: string;
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
  return { kind, name, kc, driverMs: [], processMs: [], wallMs: [], results: new Set() };
});

function job(kc: Context): Promise<number> {
  return wordCount ? runWordCount('columnar', kc, paths) : kc.range(0, n, 1, n).count();
}

async function timed(v: Variant): Promise<void> {
  const cpu = process.cpuUsage();
  const driver = driverCpuMs();
  const started = performance.now();
  v.results.add(await job(v.kc));
  v.wallMs.push(performance.now() - started);
  v.driverMs.push(driverCpuMs() - driver);
  const used = process.cpuUsage(cpu);
  v.processMs.push((used.user + used.system) / 1000);
}

const loadAtStart = loadavg();
const startedMs = Date.now();
// Threads up and code warm in every Context before anything is timed.
for (const v of variants) for (let i = 0; i < 3; i++) await v.kc.range(0, 100, 1, 100).count();
for (const v of variants) await job(v.kc);
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

const reference = variants[0]!;
const offs = variants.filter((v) => v.kind === 'off');
const ratio = (a: number, b: number): number => a / b;
/** Each round's figure divided by the mean of the same round's "off" jobs (the reference's noise shrinks by √2). */
function perBothOffs(v: Variant, pick: (v: Variant) => number[]): number[] {
  const own = pick(v);
  return own.map((x, i) => x / (offs.reduce((sum, off) => sum + pick(off)[i]!, 0) / offs.length));
}
const cell = (v: Variant, pick: (v: Variant) => number[]): string =>
  v === reference ? '-' : formatInterval(medianInterval(pairwise(pick(v), pick(reference), ratio)));
const cellBoth = (v: Variant, pick: (v: Variant) => number[]): string =>
  v.kind === 'off' || offs.length < 2 ? '-' : formatInterval(medianInterval(perBothOffs(v, pick)));
const perUnit = wordCount ? 1 : n;
const unit = wordCount ? 'ms' : 'µs';
const scale = wordCount ? 1 : 1000;
const driver = (v: Variant): number[] => v.driverMs;
const processCpu = (v: Variant): number[] => v.processMs;
const wall = (v: Variant): number[] => v.wallMs;
/** The observers' own driver time per task (or per job), on − off (a), paired. */
const driverExtra = (v: Variant): string =>
  v === reference
    ? '-'
    : `${formatInterval(medianInterval(pairwise(v.driverMs, reference.driverMs, (a, b) => ((a - b) * scale) / perUnit)), wordCount ? 0 : 2)} ${unit}`;

const what = wordCount
  ? `the columnar word count of ${paths.length} files in ${values.corpus}`
  : `\`range(0, ${n}, 1, ${n}).count()\``;
const out = [
  `\`node dist/native-bench/observability-paired.js ${process.argv.slice(2).join(' ')}\``.replace(' `', '`'),
  '',
  `${rounds} rounds of ${what}, one job per variant per round, all in one process, ${((Date.now() - startedMs) / 60_000).toFixed(1)} min; load average ${loadAtStart[0]!.toFixed(1)} at start, ${loadAtEnd[0]!.toFixed(1)} at end. Ratios: median over rounds of the paired ratio [95 % confidence interval of that median].`,
  '',
  `| variant | driver CPU per ${wordCount ? 'job' : 'task'} (median) | driver, on − off (a) | process CPU per ${wordCount ? 'job' : 'task'} (median) | process CPU / off (a) | process CPU / both offs | driver / off (a) | wall per job (median) | wall / off (a) |`,
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...variants.map(
    (v) =>
      `| ${v.name} | ${((quantile(v.driverMs, 0.5) * scale) / perUnit).toFixed(1)} ${unit} | ${driverExtra(v)} | ${((quantile(v.processMs, 0.5) * scale) / perUnit).toFixed(1)} ${unit} | ${cell(v, processCpu)} | ${cellBoth(v, processCpu)} | ${cell(v, driver)} | ${quantile(v.wallMs, 0.5).toFixed(0)} ms | ${cell(v, wall)} |`,
  ),
  '',
  `- ${variants.every((v) => v.results.size === 1 && v.results.has([...reference.results][0]!)) ? 'ok' : 'MISMATCH'}: every job's ${wordCount ? 'distinct words' : 'count'}: ${[...new Set(variants.flatMap((v) => [...v.results]))].join(', ')}`,
];
process.stdout.write(`${out.join('\n')}\n`);
