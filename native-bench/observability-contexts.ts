#!/usr/bin/env node
/**
 * The observers' overhead on whole jobs, measured over many Contexts: issue 13's ≤ 3 % on a 10,000-task job.
 *
 * observability-paired.js keeps one Context per variant for a whole run, and two identical "off" Contexts there
 * differ by 4–7 %: a Context's own lot (which was created first, what its two worker threads' heaps and code hold
 * after warm-up, where its threads are scheduled) stays with it for every round, as large as the target. Here that
 * lot is drawn again and again at random, so it becomes noise the interval counts instead of a bias it hides:
 *
 * - the run is split into blocks; each block creates a fresh Context per variant, in a seeded random order, warms
 *   each up (threads started, the job run in full), then runs `--rounds` rounds, each variant once per round in a
 *   seeded random order, then stops them all and collects the driver's garbage before the next block;
 * - per block, each variant's figure is the median over its rounds of the paired ratio to the reference, the first
 *   "off" variant (and to the mean of all "off" variants of the round);
 * - the report is the geometric mean over blocks with a 95 % bootstrap interval that resamples whole blocks
 *   (observability-stats.ts), so a difference between two sets of Contexts widens the interval, not the estimate.
 *
 * The second "off" variant is the control: its ratio must come out near 1.00 with a narrow interval, or the method
 * cannot resolve 3 %. `--added-cost 0.05` makes every observer variant spin the driver for 5 % of an "off" job's
 * process CPU (measured in the first block's warm-up) after each of its jobs, to check a real cost is seen.
 *
 *   node dist/native-bench/observability-contexts.js [--tasks 10000] [--blocks 12] [--rounds 4] [--seed 1]
 *     [--variants off,on,off] [--added-cost 0] [--warm-up-jobs 2] [--threads 2]
 *
 * Variants: `off`, `on` (event log + live UI), `log`, `ui`, and `cost` (observers off, with `--added-cost` only:
 * the check that the method sees a known cost on its own). The first must be `off`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

import { takeGc } from '../src/common/full-gc.js';
import { Rng } from '../src/common/rng.js';
import { Context } from '../src/index.js';
import { planBlocks } from './observability-plan.js';
import { bootstrapGeometricMean, formatRatioInterval, quantile } from './observability-stats.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    blocks: { type: 'string', default: '12' },
    rounds: { type: 'string', default: '4' },
    seed: { type: 'string', default: '1' },
    variants: { type: 'string', default: 'off,on,off' },
    'added-cost': { type: 'string', default: '0' },
    'warm-up-jobs': { type: 'string', default: '2' },
    threads: { type: 'string', default: '2' },
  },
});
const n = Number(values.tasks);
const blockCount = Number(values.blocks);
const roundCount = Number(values.rounds);
const seed = Number(values.seed) >>> 0;
const addedCost = Number(values['added-cost']);
const warmUpJobs = Number(values['warm-up-jobs']);
const kinds = values.variants.split(',');
if (kinds[0] !== 'off') throw new Error(`--variants must start with off (the reference), found ${values.variants}`);
const logDir = mkdtempSync(join(tmpdir(), 'kindling-contexts-eventlog-'));
const OBSERVERS: Record<string, object> = {
  off: {},
  on: { eventLog: logDir, ui: { port: 0 } },
  log: { eventLog: logDir },
  ui: { ui: { port: 0 } },
  cost: {},
};
const LABELS: Record<string, string> = {
  off: 'observers off',
  on: 'event log + live UI',
  log: 'event log',
  ui: 'live UI',
  cost: 'observers off + added cost',
};
for (const kind of kinds) {
  if (!(kind in OBSERVERS)) throw new Error(`unknown variant ${kind}: expected off, on, log, ui or cost`);
  if (kind === 'cost' && !(addedCost > 0)) throw new Error('variant cost needs --added-cost > 0, found none');
}
const names = kinds.map((kind, i) => {
  const same = kinds.filter((k) => k === kind).length;
  return same > 1
    ? `${LABELS[kind]} (${String.fromCharCode(97 + kinds.slice(0, i).filter((k) => k === kind).length)})`
    : LABELS[kind]!;
});
const offIndices = kinds.flatMap((k, i) => (k === 'off' ? [i] : []));

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`;
/** The driver thread's CPU time in ms (the main thread's id is the process id on Linux). */
const driverCpuMs = (): number => Number(readFileSync(SCHEDSTAT, 'utf8').split(' ', 1)[0]) / 1e6;
/** The process's threads now (Linux thread ids). */
const threadIds = (): string[] => readdirSync('/proc/self/task');
/** CPU time in ms of the given threads (a thread that has exited counts 0). */
function threadsCpuMs(ids: readonly string[]): number {
  let ns = 0;
  for (const id of ids) {
    try {
      ns += Number(readFileSync(`/proc/self/task/${id}/schedstat`, 'utf8').split(' ', 1)[0]);
    } catch {
      // exited
    }
  }
  return ns / 1e6;
}
const processCpuMs = (): number => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
/** Burns `ms` of CPU on the driver: the artificial observer cost that checks the method can see one. */
function spin(ms: number): void {
  const until = processCpuMs() + ms;
  while (processCpuMs() < until);
}

/** One timed job. */
interface Job {
  readonly block: number;
  readonly round: number;
  readonly variant: number;
  readonly created: number;
  readonly driverMs: number;
  /** CPU of the threads that appeared while its Context was created and warmed up: its worker threads. */
  readonly workersMs: number;
  readonly processMs: number;
  readonly wallMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

/** The driver's collections (wall time of each pause): minor (scavenges) and the rest, to see what a job's heap costs. */
const gcPauses: { startMs: number; durationMs: number; minor: boolean }[] = [];
const gcObserver = new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    gcPauses.push({
      startMs: e.startTime,
      durationMs: e.duration,
      minor: (e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR,
    });
});
gcObserver.observe({ entryTypes: ['gc'] });
const fullGc = takeGc();
const job = (kc: Context): Promise<number> => kc.range(0, n, 1, n).count();
const jobs: Job[] = [];
const counts = new Set<number>();
let spinMs = 0;
const plan = planBlocks(kinds.length, blockCount, roundCount, seed);
const loadAtStart = loadavg();
const startedMs = Date.now();

for (const [b, block] of plan.entries()) {
  fullGc?.(); // the previous block's Contexts are garbage now: collected here, not inside a timed job
  const contexts: Context[] = new Array<Context>(kinds.length);
  const created: number[] = new Array<number>(kinds.length);
  const workerThreads: string[][] = new Array<string[]>(kinds.length);
  const warmUpCpu: number[] = [];
  for (const [position, v] of block.creation.entries()) {
    const threadsBefore = new Set(threadIds());
    contexts[v] = new Context({ threads: Number(values.threads), progress: false, ...OBSERVERS[kinds[v]!] });
    created[v] = position;
    for (let i = 0; i < 3; i++) await contexts[v].range(0, 100, 1, 100).count();
    for (let i = 0; i < warmUpJobs; i++) {
      const before = processCpuMs();
      await job(contexts[v]);
      if (kinds[v] === 'off') warmUpCpu.push(processCpuMs() - before);
    }
    workerThreads[v] = threadIds().filter((id) => !threadsBefore.has(id));
  }
  if (b === 0 && addedCost > 0) spinMs = addedCost * quantile(warmUpCpu, 0.5);
  for (const [r, order] of block.rounds.entries()) {
    for (const v of order) {
      const cpu = processCpuMs();
      const driver = driverCpuMs();
      const workers = threadsCpuMs(workerThreads[v]!);
      const startMs = performance.now();
      counts.add(await job(contexts[v]!));
      if (kinds[v] !== 'off' && spinMs > 0) spin(spinMs);
      const endMs = performance.now();
      const driverMs = driverCpuMs() - driver;
      const workersMs = threadsCpuMs(workerThreads[v]!) - workers;
      jobs.push({
        block: b,
        round: r,
        variant: v,
        created: created[v]!,
        driverMs,
        workersMs,
        processMs: processCpuMs() - cpu,
        wallMs: endMs - startMs,
        startMs,
        endMs,
      });
    }
  }
  for (const kc of contexts) await kc.stop();
  const mine = jobs.filter((j) => j.block === b);
  process.stderr.write(
    `block ${b + 1}/${blockCount}: ${names
      .map(
        (name, v) =>
          `${name} ${quantile(
            mine.filter((j) => j.variant === v).map((j) => j.processMs),
            0.5,
          ).toFixed(0)} ms`,
      )
      .join(', ')}; load ${loadavg()[0]!.toFixed(1)}\n`,
  );
}
gcObserver.disconnect();
rmSync(logDir, { recursive: true, force: true });
const loadAtEnd = loadavg();

type Pick = (j: Job) => number;
const at = (b: number, r: number, v: number): Job =>
  jobs.find((j) => j.block === b && j.round === r && j.variant === v)!;
/** Per block: the median over its rounds of variant `v`'s figure divided by `reference(b, r)`. */
function blockRatios(v: number, pick: Pick, reference: (b: number, r: number) => number): number[] {
  return plan.map((_, b) =>
    quantile(
      Array.from({ length: roundCount }, (__, r) => pick(at(b, r, v)) / reference(b, r)),
      0.5,
    ),
  );
}
const vsFirstOff = (pick: Pick) => (b: number, r: number) => pick(at(b, r, offIndices[0]!));
const vsOffMean = (pick: Pick) => (b: number, r: number) =>
  offIndices.reduce((s, o) => s + pick(at(b, r, o)), 0) / offIndices.length;
const rng = new Rng(seed ^ 0x5bd1e995);
const interval = (ratios: number[]): string =>
  formatRatioInterval(bootstrapGeometricMean(ratios, () => rng.nextFloat()));
const processCpu: Pick = (j) => j.processMs;
const driverCpu: Pick = (j) => j.driverMs;
const wall: Pick = (j) => j.wallMs;
const median = (v: number, pick: Pick): number => quantile(jobs.filter((j) => j.variant === v).map(pick), 0.5);
const gcMsIn =
  (minor: boolean) =>
  (j: Job): number =>
    gcPauses
      .filter((g) => g.minor === minor && g.startMs >= j.startMs && g.startMs < j.endMs)
      .reduce((s, g) => s + g.durationMs, 0);
const gcCountIn = (j: Job): number => gcPauses.filter((g) => g.startMs >= j.startMs && g.startMs < j.endMs).length;
const workersCpu: Pick = (j) => j.workersMs;
/** The process's other threads: V8's platform threads (parallel and concurrent GC, compilation), libuv's. */
const otherCpu: Pick = (j) => j.processMs - j.driverMs - j.workersMs;
/** A variant's extra CPU per task, on − off (a), as the median over rounds of each block, then over blocks. */
function extraUs(v: number, pick: Pick = driverCpu): string {
  const perBlock = plan.map((_, b) =>
    quantile(
      Array.from({ length: roundCount }, (__, r) => ((pick(at(b, r, v)) - pick(at(b, r, offIndices[0]!))) * 1000) / n),
      0.5,
    ),
  );
  return `${quantile(perBlock, 0.5).toFixed(2)} µs (blocks' median; IQR ${quantile(perBlock, 0.25).toFixed(2)}–${quantile(perBlock, 0.75).toFixed(2)})`;
}
/** "Off" jobs by the position their Context was created in its block, each over the mean of its round's offs. */
function byCreation(): string {
  return kinds
    .map((_, position) => {
      const ratios = plan.flatMap((__, b) =>
        offIndices
          .filter((o) => at(b, 0, o).created === position)
          .map((o) =>
            quantile(
              Array.from({ length: roundCount }, (___, r) => at(b, r, o).processMs / vsOffMean(processCpu)(b, r)),
              0.5,
            ),
          ),
      );
      return ratios.length === 0
        ? null
        : `created ${position + 1}${['st', 'nd', 'rd'][position] ?? 'th'}: ${interval(ratios)} (${ratios.length} Contexts)`;
    })
    .filter((s) => s !== null)
    .join('; ');
}

const out = [
  `\`node dist/native-bench/observability-contexts.js ${process.argv.slice(2).join(' ')}\``.replace(' `', '`'),
  '',
  `${blockCount} blocks × ${roundCount} rounds of \`range(0, ${n}, 1, ${n}).count()\` (a fresh Context per variant per block, ${warmUpJobs} warm-up jobs each, seed ${seed}), ${((Date.now() - startedMs) / 60_000).toFixed(1)} min; load average ${loadAtStart[0]!.toFixed(1)} at start, ${loadAtEnd[0]!.toFixed(1)} at end.${spinMs > 0 ? ` Added cost: ${spinMs.toFixed(1)} ms of driver spin after every job of a variant other than off (${addedCost * 100} % of an "off" warm-up job).` : ''} Ratios: geometric mean over blocks of each block's median paired ratio [95 % bootstrap interval over blocks].`,
  '',
  '| variant | process CPU per task | process CPU / off (a) | process CPU / mean of offs | driver CPU per task | driver, − off (a) | wall / off (a) | driver GC per job: minor + major (pauses) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|',
  ...names.map((name, v) => {
    const ref = v === offIndices[0];
    return `| ${name} | ${((median(v, processCpu) * 1000) / n).toFixed(1)} µs | ${ref ? '-' : interval(blockRatios(v, processCpu, vsFirstOff(processCpu)))} | ${kinds[v] === 'off' ? '-' : interval(blockRatios(v, processCpu, vsOffMean(processCpu)))} | ${((median(v, driverCpu) * 1000) / n).toFixed(1)} µs | ${ref ? '-' : extraUs(v)} | ${ref ? '-' : interval(blockRatios(v, wall, vsFirstOff(wall)))} | ${median(v, gcMsIn(true)).toFixed(0)} + ${median(v, gcMsIn(false)).toFixed(0)} ms (${median(v, gcCountIn).toFixed(0)}) |`;
  }),
  '',
  'Where the process CPU went, per task (median job), and each part on − off (a) as above:',
  '',
  '| variant | driver | its worker threads | other threads (V8 platform: GC, compiler; libuv) |',
  '|---|---:|---:|---:|',
  ...names.map((name, v) => {
    const part = (pick: Pick): string =>
      `${((median(v, pick) * 1000) / n).toFixed(1)} µs${v === offIndices[0] ? '' : `; ${extraUs(v, pick)}`}`;
    return `| ${name} | ${part(driverCpu)} | ${part(workersCpu)} | ${part(otherCpu)} |`;
  }),
  '',
  `- "Off" Contexts' process CPU over the mean of their round's offs, by the order their Context was created in its block: ${byCreation()}`,
  ...(spinMs > 0
    ? [
        `- The added cost is ${(
          (spinMs /
            quantile(
              offIndices.flatMap((o) => jobs.filter((j) => j.variant === o).map(processCpu)),
              0.5,
            )) *
          100
        ).toFixed(1)} % of an "off" job's median process CPU: the ratio a variant with no other cost should read.`,
      ]
    : []),
  `- ${counts.size === 1 && counts.has(n) ? 'ok' : 'MISMATCH'}: every job's count: ${[...counts].join(', ')}`,
];
process.stdout.write(`${out.join('\n')}\n`);
