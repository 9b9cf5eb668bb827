#!/usr/bin/env node
/**
 * The observers' own cost per task, on the driver, without threads: the events of jobs of n empty tasks (a task
 * start and a task end each, reported as the scheduler reports them: numbers, task-facts.ts) go through the event bus to the event log
 * writer (a real file), the live UI's state, or both, and the process CPU time per task is printed. This isolates
 * what `observability-ab.js` measures inside whole jobs, where worker threads add noise on a loaded machine; divide
 * by the CPU time of an unobserved empty task (that script's "off" row / n) for the share. Variants take turns job
 * by job; each row gives the median job and the best one.
 *
 * `--garbage-bytes 10000` writes that much fresh memory before each observer call (twice a task), as the scheduler
 * and the pool do in a real job (they allocate ~20 KB a task, OBSERVABILITY.md round 9): the observers' data then
 * sits as cold as in situ, and a cost that only shows there (a store into memory that has left every cache) shows
 * here too. Every variant does the same writes: subtract the "no observer" row.
 *
 * `--against <dist>` loads another build's bus, log writer, UI state and `reportTask*` (its `dist` directory) into
 * the same process and runs every variant on both, job by job in turn: the pairs share the machine's moment, which
 * separate processes on a loaded machine do not, and the last column gives this build's job over the other's.
 *
 *   node dist/native-bench/observability-replay.js [--tasks 10000] [--jobs 20] [--only 'event log'] [--garbage-bytes 0]
 *     [--against /tmp/base/dist]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { AppState } from '../src/events/app-state.js';
import { EventBus } from '../src/events/event-bus.js';
import { EventLogWriter } from '../src/events/event-log-writer.js';
import { reportTaskEnd, reportTaskStart } from '../src/scheduler/scheduler-events.js';

const { values } = parseArgs({
  options: {
    tasks: { type: 'string', default: '10000' },
    jobs: { type: 'string', default: '20' },
    // Runs only the variants whose name contains it (to profile one).
    only: { type: 'string', default: '' },
    'garbage-bytes': { type: 'string', default: '0' },
    against: { type: 'string', default: '' },
  },
});
const n = Number(values.tasks);
const jobs = Number(values.jobs);
/**
 * Memory the scheduler and the pool stream through between two observer calls, stood in for by a memset moving
 * through 64 MiB (no collection, so the figure stays steady): what the young generation's allocation does in situ.
 */
const garbageBytes = Number(values['garbage-bytes']);
const POLLUTED_BYTES = 64 << 20;
const polluted = new Uint8Array(garbageBytes > 0 ? POLLUTED_BYTES : 0);
let pollutedAt = 0;
function makeGarbage(): void {
  if (garbageBytes === 0) return;
  if (pollutedAt + garbageBytes > POLLUTED_BYTES) pollutedAt = 0;
  polluted.fill(pollutedAt & 0xff, pollutedAt, pollutedAt + garbageBytes);
  pollutedAt += garbageBytes;
}

/** The modules a replay runs: this build's, or another's (`--against`). */
interface Build {
  readonly name: string;
  readonly AppState: typeof AppState;
  readonly EventBus: typeof EventBus;
  readonly EventLogWriter: typeof EventLogWriter;
  readonly reportTaskStart: typeof reportTaskStart;
  readonly reportTaskEnd: typeof reportTaskEnd;
}
const builds: Build[] = [{ name: 'this build', AppState, EventBus, EventLogWriter, reportTaskStart, reportTaskEnd }];
if (values.against !== '') {
  const from = async <T>(path: string): Promise<T> =>
    (await import(pathToFileURL(join(values.against, path)).href)) as T;
  builds.push({
    name: values.against,
    ...(await from<{ AppState: typeof AppState }>('src/events/app-state.js')),
    ...(await from<{ EventBus: typeof EventBus }>('src/events/event-bus.js')),
    ...(await from<{ EventLogWriter: typeof EventLogWriter }>('src/events/event-log-writer.js')),
    ...(await from<{ reportTaskStart: typeof reportTaskStart; reportTaskEnd: typeof reportTaskEnd }>(
      'src/scheduler/scheduler-events.js',
    )),
  });
}

function runJob(bus: EventBus, build: Build, jobId: number): void {
  const { reportTaskStart, reportTaskEnd } = build;
  const plan = 'range(0, n, 1, n)';
  bus.emit({ kind: 'job-start', jobId, description: 'count', nodeId: 0, label: 'range', partitions: n, plan });
  bus.emit({
    kind: 'stage-submitted',
    jobId,
    stageId: jobId,
    label: 'range',
    purpose: 'result',
    nodeId: 0,
    tasks: n,
    partitions: n,
    writesShuffle: null,
    readsShuffles: [],
    chain: '[0] range',
  });
  for (let i = 0; i < n; i++) {
    const taskId = jobId * n + i;
    makeGarbage();
    // The scheduler's clock, which it reads at every launch and end with or without observers (task-attempt.ts).
    reportTaskStart(bus.emit, bus, jobId, jobId, taskId, i, 0, false, performance.now());
    const metrics = {
      recordsRead: 0,
      recordsWritten: 1,
      bytesRead: 0,
      bytesWritten: 0,
      durationMs: 0.05 + Math.random() * 0.1,
      shuffleReadBytes: 0,
      spillBytes: 0,
      gcMs: 0,
      threadId: 1 + (i & 1),
      operatorRows: [],
    };
    const reason = { kind: 'success', value: { kind: 'value', value: 1 }, cached: [], metrics } as const;
    makeGarbage();
    reportTaskEnd(bus.emit, bus, jobId, jobId, taskId, i, 0, false, 0.3 + Math.random(), reason, performance.now());
  }
  bus.emit({ kind: 'stage-completed', jobId, stageId: jobId, status: 'succeeded', durationMs: 1 });
  bus.emit({ kind: 'job-end', jobId, status: 'succeeded', durationMs: 1, metrics: { jobId }, failure: null });
}

const dir = mkdtempSync(join(tmpdir(), 'kindling-replay-'));
interface Variant {
  readonly name: string;
  readonly observers: string;
  readonly build: Build;
  readonly bus: EventBus;
  readonly close: () => void;
  /** CPU µs per task of each timed job. */
  readonly perTask: number[];
}
const variants: Variant[] = ['events built, no observer', 'event log', 'live UI state', 'event log + live UI state']
  .filter((name) => name.includes(values.only))
  .flatMap((observers) => builds.map((build, b) => ({ observers, build, b })))
  .map(({ observers: name, build, b }) => {
    const { EventBus, EventLogWriter, AppState } = build;
    const bus = new EventBus();
    const options = { dir, fileBytesMax: 64 << 20, flushIntervalMs: 1000 };
    const writer = new EventLogWriter(options, `${name.replace(/\W/g, '')}${b}`, () => bus.flushTaskFacts());
    // Subscribed as the Context subscribes them (api/context/observability.ts): task facts in batches.
    if (name.includes('log'))
      bus.subscribe(
        (e) => writer.append(e),
        (facts) => writer.appendTaskFacts(facts),
      );
    if (name.includes('UI')) {
      const state = new AppState();
      bus.subscribe(
        (e) => state.apply(e),
        (facts) => state.applyTaskFacts(facts),
      );
    }
    // The floor: what reporting costs the scheduler and the bus with a listener that keeps nothing.
    if (name.includes('no observer'))
      bus.subscribe(
        () => {},
        () => {},
      );
    const label = builds.length > 1 ? `${name} (${build.name})` : name;
    return { name: label, observers: name, build, bus, close: () => writer.close(), perTask: [] };
  });
for (const v of variants) for (let j = 0; j < 3; j++) runJob(v.bus, v.build, j);
// Rounds rotate the order, so that a change of load on a shared machine hits every variant alike.
for (let j = 0; j < jobs; j++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(j + k) % variants.length]!;
    const cpu = process.cpuUsage();
    runJob(v.bus, v.build, 3 + j);
    const used = process.cpuUsage(cpu);
    v.perTask.push((used.user + used.system) / n);
  }
}
// The median job, and the least disturbed one (on a shared machine other work only ever adds CPU time).
const paired = builds.length > 1;
process.stdout.write(
  `| observers | driver CPU per task, median of ${jobs} jobs of ${n} tasks | best job | load average |${paired ? ' this build / other, median of pairs [quartiles] |' : ''}\n|---|---:|---:|---:|${paired ? '---:|' : ''}\n`,
);
const load = loadavg()[0]!.toFixed(1);
const quartile = (sorted: readonly number[], q: number): number => sorted[Math.floor(q * (sorted.length - 1))]!;
for (const v of variants) {
  v.close();
  const sorted = [...v.perTask].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  let vsOther = '';
  if (paired) {
    const mine = variants.find((w) => w.observers === v.observers && w.build === builds[0])!;
    const other = variants.find((w) => w.observers === v.observers && w.build === builds[1])!;
    const ratios = mine.perTask.map((us, j) => us / other.perTask[j]!).sort((a, b) => a - b);
    const [middle, low, high] = [0.5, 0.25, 0.75].map((q) => quartile(ratios, q).toFixed(3));
    vsOther = v === mine ? ` ${middle} [${low}–${high}] |` : ' |';
  }
  process.stdout.write(`| ${v.name} | ${median.toFixed(2)} µs | ${sorted[0]!.toFixed(2)} µs | ${load} |${vsOther}\n`);
}
rmSync(dir, { recursive: true, force: true });
