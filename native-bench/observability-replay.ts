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
 *   node dist/native-bench/observability-replay.js [--tasks 10000] [--jobs 20] [--only 'event log'] [--garbage-bytes 0]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
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

function runJob(bus: EventBus, jobId: number): void {
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
  readonly bus: EventBus;
  readonly close: () => void;
  /** CPU µs per task of each timed job. */
  readonly perTask: number[];
}
const variants: Variant[] = ['events built, no observer', 'event log', 'live UI state', 'event log + live UI state']
  .filter((name) => name.includes(values.only))
  .map((name) => {
    const bus = new EventBus();
    const options = { dir, fileBytesMax: 64 << 20, flushIntervalMs: 1000 };
    const writer = new EventLogWriter(options, name.replace(/\W/g, ''), () => bus.flushTaskFacts());
    // Subscribed as the Context subscribes them (api/observability.ts): task facts in batches.
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
    return { name, bus, close: () => writer.close(), perTask: [] };
  });
for (const v of variants) for (let j = 0; j < 3; j++) runJob(v.bus, j);
// Rounds rotate the order, so that a change of load on a shared machine hits every variant alike.
for (let j = 0; j < jobs; j++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(j + k) % variants.length]!;
    const cpu = process.cpuUsage();
    runJob(v.bus, 3 + j);
    const used = process.cpuUsage(cpu);
    v.perTask.push((used.user + used.system) / n);
  }
}
// The median job, and the least disturbed one (on a shared machine other work only ever adds CPU time).
process.stdout.write(
  `| observers | driver CPU per task, median of ${jobs} jobs of ${n} tasks | best job | load average |\n|---|---:|---:|---:|\n`,
);
const load = loadavg()[0]!.toFixed(1);
for (const v of variants) {
  v.close();
  const sorted = [...v.perTask].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  process.stdout.write(`| ${v.name} | ${median.toFixed(2)} µs | ${sorted[0]!.toFixed(2)} µs | ${load} |\n`);
}
rmSync(dir, { recursive: true, force: true });
