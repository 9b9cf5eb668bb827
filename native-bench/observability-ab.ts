#!/usr/bin/env node
/**
 * The observers' overhead as issue 13 asks for it: the same job with every observer off and with the event log and
 * the live UI on, each run in a process of its own (so its peak RSS is its own), in rounds A B A B whose order
 * alternates, with the medians of wall time, CPU time (all threads) and peak RSS, and the paired ratios on / off:
 *
 * - a job of `--tasks` empty tasks, `range(0, n, 1, n).count()` (the worst case: per-task events, no work to hide
 *   them), timed `--jobs-per-process` times in each process on a warm 2-thread pool; its row is the median job;
 * - the columnar word count of a `--corpus-mib` corpus on 2 threads, once per process after a warm-up job.
 *
 * Then `observability-paired.js` (the same job in one process, Contexts with and without observers taking turns, with
 * the driver thread's own CPU time and an "off" vs "off" control), `observability-replay.js` (the observers' own CPU
 * per task on the driver, without threads), and everything as
 * a markdown report (`--out`, default native-bench/OBSERVABILITY-latest.md; native-bench/OBSERVABILITY.md is the
 * curated history of every round, which a rerun must not replace, so its sections are copied there by hand):
 *
 *   node dist/native-bench/observability-ab.js [--tasks 10000] [--task-rounds 6] [--corpus-mib 1024]
 *     [--word-count-rounds 3] [--replay-jobs 20] [--paired-rounds 30] [--base <other build>/dist/src/index.js]
 *     [--out FILE]
 *
 * `--word-count-rounds 0` or `--task-rounds 0` leaves a part out; `--base` adds another build with observers off to
 * the empty-task job (e.g. the commit before the observers existed) to show that off costs nothing.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import type { Context as ContextOfThisBuild } from '../src/index.js';
import { ensureCorpus } from './corpus.js';
import { quantile } from './observability-stats.js';
import { runWithPeakRss } from './peak-rss.js';
import { runWordCount } from './word-count-jobs.js';

const SELF = fileURLToPath(import.meta.url);
const REPLAY = fileURLToPath(new URL('./observability-replay.js', import.meta.url));
const PAIRED = fileURLToPath(new URL('./observability-paired.js', import.meta.url));
const MiB = 2 ** 20;
/** The issue's targets: CPU (and wall) at most 3 % more with everything on, peak RSS at most 20 MiB more. */
const RATIO_MAX = 1.03;
const RSS_DIFF_MAX_BYTES = 20 * MiB;

type Observers = 'off' | 'on';

/** What one child reports. */
interface ChildReport {
  readonly result: number;
  /** One per timed job. */
  readonly wallMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly logBytes: number;
  readonly maxRssBytes: number;
}

/** One variant's runs. */
interface Variant {
  readonly name: string;
  readonly observers: Observers;
  /** Path of another build's `dist/src/index.js`, or null for this one. */
  readonly build: string | null;
  readonly wallMs: number[];
  readonly cpuMs: number[];
  readonly peakRssBytes: number[];
  readonly results: number[];
  readonly logBytes: number[];
}

// ---- the child: one process, one variant -------------------------------------------------------------------

async function child(args: readonly string[]): Promise<void> {
  const [observers, build, job, ...rest] = args;
  const index = build === '-' ? '../src/index.js' : pathToFileURL(resolve(build!)).href;
  const { Context } = (await import(index)) as { Context: typeof ContextOfThisBuild };
  const logDir = mkdtempSync(join(tmpdir(), 'kindling-ab-eventlog-'));
  const kc = new Context({
    threads: 2,
    progress: false,
    ...(observers === 'on' ? { eventLog: logDir, ui: { port: 0 } } : {}),
  });
  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  let result = 0;
  const timed = async (run: () => Promise<number>) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    result = await run();
    wallMs.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
  };
  // Every worker thread up and the code warm before anything is timed.
  for (let i = 0; i < 3; i++) await kc.range(0, 100, 1, 100).count();
  if (job === 'tasks') {
    const [n, jobs] = rest.map(Number) as [number, number];
    await kc.range(0, n, 1, n).count();
    for (let i = 0; i < jobs; i++) await timed(() => kc.range(0, n, 1, n).count());
  } else {
    await timed(() => runWordCount('columnar', kc, rest));
  }
  await kc.stop();
  const logBytes = readdirSync(logDir).reduce((sum, name) => sum + statSync(join(logDir, name)).size, 0);
  rmSync(logDir, { recursive: true, force: true });
  const report: ChildReport = { result, wallMs, cpuMs, logBytes, maxRssBytes: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

// ---- the parent: rounds of children, and the report -----------------------------------------------------------

function variantsOf(base: string | undefined): Variant[] {
  const variant = (name: string, observers: Observers, build: string | null): Variant => ({
    name,
    observers,
    build,
    wallMs: [],
    cpuMs: [],
    peakRssBytes: [],
    results: [],
    logBytes: [],
  });
  return [
    ...(base === undefined ? [] : [variant(`base build (${base}), observers off`, 'off', base)]),
    variant('observers off', 'off', null),
    variant('event log + live UI on', 'on', null),
  ];
}

/** Runs `rounds` rounds of every variant, the order reversed every other round (A B, B A, …). */
function runRounds(variants: Variant[], rounds: number, job: readonly string[], what: string): void {
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? variants : [...variants].reverse();
    for (const v of order) {
      const run = runWithPeakRss([SELF, '--child', v.observers, v.build ?? '-', ...job], `${what} (${v.name})`);
      const report = JSON.parse(run.line) as ChildReport;
      // One figure per process: the median of its timed jobs.
      v.wallMs.push(median(report.wallMs));
      v.cpuMs.push(median(report.cpuMs));
      v.peakRssBytes.push(run.peakRssBytes ?? report.maxRssBytes);
      v.results.push(report.result);
      v.logBytes.push(report.logBytes);
      process.stderr.write(
        `${what}, round ${round + 1}/${rounds}, ${v.name}: wall ${median(report.wallMs).toFixed(0)} ms, CPU ${median(report.cpuMs).toFixed(0)} ms, peak RSS ${((run.peakRssBytes ?? report.maxRssBytes) / MiB).toFixed(0)} MiB\n`,
      );
    }
  }
}

const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Median over rounds of `v`'s figure divided by (or minus) the reference's in the same round. */
function paired(v: readonly number[], reference: readonly number[], op: (a: number, b: number) => number): number {
  return median(v.map((x, i) => op(x, reference[i]!)));
}

function section(title: string, description: string, variants: readonly Variant[], unit: string): string[] {
  const off = variants.find((v) => v.build === null && v.observers === 'off')!;
  const out = [`## ${title}`, '', description, ''];
  out.push(
    '| variant | runs | median wall | median CPU (all threads) | median peak RSS | event log (whole process) |',
    '|---|---:|---:|---:|---:|---:|',
  );
  for (const v of variants) {
    out.push(
      `| ${v.name} | ${v.wallMs.length} | ${fmtMs(median(v.wallMs))} | ${fmtMs(median(v.cpuMs))} | ${(median(v.peakRssBytes) / MiB).toFixed(1)} MiB | ${v.observers === 'on' ? `${(median(v.logBytes) / MiB).toFixed(1)} MiB` : '-'} |`,
    );
  }
  out.push(
    '',
    '| variant / observers off | wall ratio (paired) | CPU ratio (paired) | CPU ratio (of medians) | peak RSS difference (paired) |',
    '|---|---:|---:|---:|---:|',
  );
  for (const v of variants) {
    if (v === off) continue;
    const wall = paired(v.wallMs, off.wallMs, (a, b) => a / b);
    const cpu = paired(v.cpuMs, off.cpuMs, (a, b) => a / b);
    const rss = paired(v.peakRssBytes, off.peakRssBytes, (a, b) => a - b);
    out.push(
      `| ${v.name} | ${wall.toFixed(3)} | ${cpu.toFixed(3)} | ${(median(v.cpuMs) / median(off.cpuMs)).toFixed(3)} | ${rss >= 0 ? '+' : ''}${(rss / MiB).toFixed(1)} MiB |`,
    );
  }
  const results = new Set(variants.flatMap((v) => v.results));
  out.push('', `- ${results.size === 1 ? 'ok' : 'MISMATCH'}: every run's ${unit}: ${[...results].join(', ')}`, '');
  return out;
}

/** Whether the "on" variant met the targets, as a line of the targets table. */
function targetRow(what: string, variants: readonly Variant[]): string {
  const off = variants.find((v) => v.build === null && v.observers === 'off')!;
  const on = variants.find((v) => v.observers === 'on')!;
  const cpu = paired(on.cpuMs, off.cpuMs, (a, b) => a / b);
  const wall = paired(on.wallMs, off.wallMs, (a, b) => a / b);
  const rss = paired(on.peakRssBytes, off.peakRssBytes, (a, b) => a - b);
  const met = cpu <= RATIO_MAX && rss <= RSS_DIFF_MAX_BYTES;
  return `| ${what}: CPU on / off ≤ ${RATIO_MAX}× (paired), peak RSS ≤ +20 MiB | CPU ${cpu.toFixed(3)}×, wall ${wall.toFixed(3)}×, RSS ${rss >= 0 ? '+' : ''}${(rss / MiB).toFixed(1)} MiB | ${met ? 'yes' : 'no'} |`;
}

function fmtMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`;
}

function fmtLoad(load: readonly number[]): string {
  return load.map((l) => l.toFixed(1)).join(' / ');
}

async function parent(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tasks: { type: 'string', default: '10000' },
      'task-rounds': { type: 'string', default: '6' },
      'jobs-per-process': { type: 'string', default: '3' },
      'corpus-mib': { type: 'string', default: '1024' },
      'word-count-rounds': { type: 'string', default: '3' },
      'replay-jobs': { type: 'string', default: '20' },
      'paired-rounds': { type: 'string', default: '30' },
      base: { type: 'string' },
      out: { type: 'string', default: 'native-bench/OBSERVABILITY-latest.md' },
    },
  });
  const n = Number(values.tasks);
  const taskRounds = Number(values['task-rounds']);
  const jobsPerProcess = Number(values['jobs-per-process']);
  const corpusBytes = Number(values['corpus-mib']) * MiB;
  const wordCountRounds = Number(values['word-count-rounds']);
  const replayJobs = Number(values['replay-jobs']);
  const startedAt = new Date();
  const loadAtStart = loadavg();
  const command = `node dist/native-bench/observability-ab.js ${process.argv.slice(2).join(' ')}`.trim();
  const out: string[] = ['# Observability overhead (issue 13)', ''];
  const cpu = cpus();
  out.push(
    `- machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB memory; Node ${process.version}`,
    `- date: ${startedAt.toISOString()}; command: \`${command}\``,
  );
  const targets: string[] = [];
  const sections: string[] = [];
  if (taskRounds > 0) {
    const variants = variantsOf(values.base);
    runRounds(variants, taskRounds, ['tasks', String(n), String(jobsPerProcess)], `${n} empty tasks`);
    sections.push(
      ...section(
        `A job of ${n.toLocaleString('en')} empty tasks`,
        `\`range(0, ${n}, 1, ${n}).count()\` on a warm 2-thread Context, ${jobsPerProcess} timed jobs per process (a process's figure is their median), ${taskRounds} processes per variant in alternating order. Peak RSS is the whole process's, from \`/usr/bin/time -v\` where present.`,
        variants,
        'count',
      ),
    );
    targets.push(targetRow(`${n.toLocaleString('en')} empty tasks`, variants));
  }
  if (wordCountRounds > 0) {
    const corpus = ensureCorpus({ bytes: corpusBytes, files: 8, seed: 1 });
    // The word count builds its plan with this build's expressions: another build's Context cannot run it.
    const variants = variantsOf(undefined);
    runRounds(variants, wordCountRounds, ['word-count', ...corpus.paths], `word count ${values['corpus-mib']} MiB`);
    sections.push(
      ...section(
        `Columnar word count of ${values['corpus-mib']} MiB`,
        `\`readText(paths).select(splitToRows(col('value')).as('word')).groupBy('word').agg(count()).count()\` over ${corpus.dir} (8 files, seed 1) on 2 threads, one per process after a warm-up job, ${wordCountRounds} processes per variant in alternating order.`,
        variants,
        'distinct words',
      ),
    );
    targets.push(targetRow(`word count ${values['corpus-mib']} MiB`, variants));
  }
  const pairedRounds = Number(values['paired-rounds']);
  if (pairedRounds > 0) {
    const table = execFileSync(
      process.execPath,
      [PAIRED, '--tasks', String(n), '--rounds', String(pairedRounds), '--variants', 'off,on,off'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    sections.push(
      '## The same job in one process, Contexts taking turns',
      '',
      'Two Contexts with observers off and one with event log + live UI on run the job in turn, in an order that rotates every round; the driver thread\'s CPU time comes from `/proc/self/task/<pid>/schedstat`. The second "off" Context is the control: what this method reads for identical code.',
      '',
      table.trim(),
      '',
    );
  }
  if (replayJobs > 0) {
    const table = execFileSync(process.execPath, [REPLAY, '--tasks', String(n), '--jobs', String(replayJobs)], {
      encoding: 'utf8',
    });
    sections.push(
      '## The observers alone, on the driver',
      '',
      `\`node dist/native-bench/observability-replay.js --tasks ${n} --jobs ${replayJobs}\`: the events of ${replayJobs} jobs of ${n} tasks built by the scheduler's own builders and sent through the bus to the log writer (a real file), the live UI's state, or both, without threads; CPU time per task. Divide by an empty task's CPU time (the "observers off" CPU above / ${n}) for the share.`,
      '',
      table.trim(),
      '',
    );
  }
  const loadAtEnd = loadavg();
  const quiet = Math.max(loadAtStart[0]!, loadAtEnd[0]!) < 1.5;
  out.push(
    `- load average at start ${fmtLoad(loadAtStart)}, at end ${fmtLoad(loadAtEnd)}${quiet ? '' : ': the machine was not quiet, so these figures are provisional (other work moves wall and CPU times; the paired ratios cancel some of it)'}`,
    `- took ${((Date.now() - startedAt.getTime()) / 60000).toFixed(1)} min`,
    '',
    'Ratios are medians over rounds of each round\'s "on" figure divided by the same round\'s "off" figure (paired); the RSS difference likewise.',
    '',
    'The figures for issue 13 come from the defaults (10,000 tasks, 6 rounds; the 1 GiB corpus, 3 rounds) on a quiet machine: `node dist/native-bench/observability-ab.js` (about 10 minutes, plus 1 minute to generate the corpus the first time).',
    '',
    '| target (issue 13) | measured | met |',
    '|---|---|---|',
    ...targets,
    '',
    ...sections,
  );
  const text = `${out.join('\n').trimEnd()}\n`;
  writeFileSync(values.out, text);
  process.stdout.write(text);
}

if (process.argv[2] === '--child') await child(process.argv.slice(3));
else await parent();
