// Task starts and successful ends reach the log writer and the live UI's state as numbers, a batch at a time
// (task-facts.ts), instead of one event object each. The same random history of tasks (successes, failures,
// columnar ends with operator rows, speculative copies, other events between them, timer flushes anywhere) is
// reported once through the numeric channel and once as event objects (the path of a scheduler with no fact sink):
// the log files must be byte for byte the same, a listener of objects must see the same events, and the UI state the
// same numbers whenever it is read. A job that spills reports the sum of its tasks' spill bytes in its metrics.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { AppState } from '../../src/events/app-state.js';
import { EventBus } from '../../src/events/event-bus.js';
import { eventLine } from '../../src/events/event-line.js';
import { EventLogWriter } from '../../src/events/event-log-writer.js';
import type { LoggedEvent } from '../../src/events/event-schema.js';
import { TASK_FACTS_MAX } from '../../src/events/task-facts.js';
import type { TaskEndReason, TaskMetrics } from '../../src/protocol/task.js';
import { reportTaskEnd, reportTaskStart } from '../../src/scheduler/scheduler-events.js';
import { Context } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

const SEED = Number(process.env['SEED'] ?? Date.now() % 1_000_000);
console.log(`SEED=${SEED}`);

type Step =
  | { readonly kind: 'stage'; readonly stageId: number; readonly tasks: number }
  | { readonly kind: 'start'; readonly stageId: number; readonly taskId: number; readonly speculative: boolean }
  | { readonly kind: 'end'; readonly stageId: number; readonly taskId: number; readonly reason: TaskEndReason }
  | { readonly kind: 'fault'; readonly stageId: number; readonly taskId: number }
  | { readonly kind: 'flush' }
  | { readonly kind: 'read' };

/** A history of a few stages whose tasks start and end interleaved, with more than a batch of facts at times. */
function history(rng: Rng): Step[] {
  const steps: Step[] = [];
  let taskId = 0;
  for (let stageId = 0; stageId < 6; stageId++) {
    const tasks = stageId % 2 === 0 ? 300 + rng.nextInt(700) : 1 + rng.nextInt(40);
    steps.push({ kind: 'stage', stageId, tasks });
    const running: number[] = [];
    let started = 0;
    while (started < tasks || running.length > 0) {
      const r = rng.nextFloat();
      if (started < tasks && (running.length === 0 || r < 0.5)) {
        running.push(taskId);
        steps.push({ kind: 'start', stageId, taskId: taskId++, speculative: rng.nextFloat() < 0.05 });
        started++;
      } else {
        const [id] = running.splice(rng.nextInt(running.length), 1);
        if (rng.nextFloat() < 0.02) steps.push({ kind: 'fault', stageId, taskId: id! });
        steps.push({ kind: 'end', stageId, taskId: id!, reason: endReason(rng) });
      }
      if (rng.nextFloat() < 0.003) steps.push({ kind: 'flush' });
      if (rng.nextFloat() < 0.01) steps.push({ kind: 'read' });
    }
  }
  return steps;
}

function endReason(rng: Rng): TaskEndReason {
  const r = rng.nextFloat();
  if (r < 0.05)
    return {
      kind: 'exception',
      name: 'Error',
      message: `boom "<b>" ${rng.nextInt(9)}`,
      stack: undefined,
      code: undefined,
      userCode: true,
    };
  if (r < 0.07) return { kind: 'worker-lost', message: 'the thread exited' };
  const big = (): number => (rng.nextFloat() < 0.1 ? 2 ** 32 + rng.nextInt(1e6) : rng.nextInt(5000));
  const metrics: TaskMetrics = {
    recordsRead: rng.nextInt(100),
    recordsWritten: big(),
    bytesRead: big(),
    bytesWritten: big(),
    durationMs: rng.nextFloat() * 40,
    shuffleReadBytes: rng.nextFloat() < 0.5 ? 0 : big(),
    spillBytes: rng.nextFloat() < 0.7 ? 0 : big(),
    gcMs: rng.nextFloat() < 0.8 ? 0 : rng.nextFloat() * 3,
    threadId: 1 + rng.nextInt(4),
    operatorRows: r < 0.17 ? [{ op: 'scan', rows: rng.nextInt(99) }] : [],
  };
  return { kind: 'success', value: { kind: 'value', value: 1 }, cached: [], metrics };
}

/** What a reader sees of the state: every stage's rows, counts and totals, and the version. */
function seen(state: AppState): unknown {
  return {
    version: state.version,
    lastEventMs: state.lastEventMs,
    spillBytes: state.spillBytes,
    stages: [...state.stages.values()].map((s) => ({
      rows: [...s.tasks.values()],
      succeeded: s.succeeded,
      running: s.running,
      failedAttempts: s.failedAttempts,
      totals: s.totals,
      summary: s.tasks.summary(),
    })),
  };
}

/** Replays `steps` through a bus whose log and UI state take facts (`numeric`) or event objects. */
function replay(steps: readonly Step[], numeric: boolean, dir: string) {
  let ticks = 0;
  // Several events share a millisecond, as on a job of tiny tasks.
  const bus = new EventBus(() => 1_764_617_400_000 + Math.floor(ticks++ / 3));
  const writer = new EventLogWriter({ dir, fileBytesMax: 64 * 1024, flushIntervalMs: 3_600_000 }, 'app', () =>
    bus.flushTaskFacts(),
  );
  const state = new AppState();
  const objects: LoggedEvent[] = [];
  const reads: unknown[] = [];
  bus.subscribe((e) => writer.append(e), numeric ? (facts) => writer.appendTaskFacts(facts) : null);
  bus.subscribe((e) => state.apply(e), numeric ? (facts) => state.applyTaskFacts(facts) : null);
  bus.subscribe((e) => objects.push(structuredClone(e)));
  const facts = numeric ? bus : null;
  const attempts = new Map<number, number>();
  for (const step of steps) {
    switch (step.kind) {
      case 'stage':
        bus.emit({
          kind: 'stage-submitted',
          jobId: 0,
          stageId: step.stageId,
          label: 'map',
          purpose: 'result',
          nodeId: 1,
          tasks: step.tasks,
          partitions: step.tasks,
          writesShuffle: null,
          readsShuffles: [],
          chain: '[1] map',
        });
        break;
      case 'start':
        attempts.set(step.taskId, step.taskId % 3);
        reportTaskStart(
          bus.emit,
          facts,
          0,
          step.stageId,
          step.taskId,
          step.taskId >> 1,
          step.taskId % 3,
          step.speculative,
        );
        break;
      case 'end': {
        const [partition, attempt] = [step.taskId >> 1, attempts.get(step.taskId)!];
        const durationMs = 0.001 + (step.taskId % 97) / 7;
        reportTaskEnd(
          bus.emit,
          facts,
          0,
          step.stageId,
          step.taskId,
          partition,
          attempt,
          false,
          durationMs,
          step.reason,
        );
        break;
      }
      case 'fault':
        bus.emit({
          kind: 'fault-injected',
          jobId: 0,
          stageId: step.stageId,
          taskId: step.taskId,
          partition: 0,
          attempt: 0,
          fault: 'throw',
        });
        break;
      case 'flush':
        writer.flush();
        break;
      case 'read':
        // What a UI page does before it reads the state (api/context/observability.ts).
        bus.flushTaskFacts();
        reads.push(seen(state));
        break;
    }
  }
  bus.emit({ kind: 'app-end', appId: 'app' });
  writer.close();
  const log = readdirSync(dir)
    .sort()
    .map((name) => readFileSync(join(dir, name), 'utf8'));
  return { log, objects, reads, final: seen(state) };
}

test(`task facts give the log, the UI state and object listeners what event objects give them (seed ${SEED})`, () => {
  const steps = history(new Rng(SEED));
  const starts = steps.filter((s) => s.kind === 'start').length;
  assert.ok(starts > 2 * TASK_FACTS_MAX, `${starts} task starts: several full batches`);
  const dirs = [0, 1].map(() => makeTempDir('facts'));
  try {
    const byObjects = replay(steps, false, dirs[0]!);
    const byFacts = replay(steps, true, dirs[1]!);
    assert.ok(byObjects.log.length > 1, 'the log rotated into several parts');
    assert.equal(byFacts.log.length, byObjects.log.length);
    for (let part = 0; part < byObjects.log.length; part++) {
      assert.equal(byFacts.log[part], byObjects.log[part], `part ${part} of the log, byte for byte`);
    }
    // The lines are `eventLine`'s for the events the scheduler's builders made (one formatter writes both logs).
    assert.equal(byFacts.log.join(''), byObjects.objects.map(eventLine).join(''));
    assert.deepEqual(byFacts.objects, byObjects.objects);
    assert.deepEqual(
      byObjects.objects.map((e) => e.seq),
      byObjects.objects.map((_, i) => i),
    );
    assert.deepEqual(byFacts.reads, byObjects.reads, 'the UI state is current whenever a page reads it');
    assert.deepEqual(byFacts.final, byObjects.final);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
});

test('facts wait for the next event, a full batch or a flush; a subscriber leaving gets its own', () => {
  let ticks = 0;
  const bus = new EventBus(() => ticks++);
  const batches: number[] = [];
  const events: string[] = [];
  const stop = bus.subscribe(
    (e) => events.push(e.kind),
    (facts) => batches.push(facts.count),
  );
  bus.taskStarted(0, 0, 0, 0, 0, false);
  bus.taskStarted(0, 0, 1, 1, 0, false);
  assert.deepEqual(batches, []);
  bus.emit({ kind: 'stage-completed', jobId: 0, stageId: 0, status: 'succeeded', durationMs: 1 });
  assert.deepEqual(batches, [2], 'handed on before the event');
  assert.deepEqual(events, ['stage-completed']);
  for (let i = 0; i < TASK_FACTS_MAX + 1; i++) bus.taskStarted(0, 1, 2 + i, i, 0, false);
  assert.deepEqual(batches, [2, TASK_FACTS_MAX], 'a full batch is handed on when the next fact comes');
  bus.flushTaskFacts();
  bus.flushTaskFacts();
  assert.deepEqual(batches, [2, TASK_FACTS_MAX, 1]);
  bus.taskStarted(0, 1, 9999, 0, 1, true);
  stop();
  assert.deepEqual(batches, [2, TASK_FACTS_MAX, 1, 1]);
  assert.equal(bus.active, false);
});

test("a job's metrics sum its tasks' spill bytes", async () => {
  const tmpDir = makeTempDir('job-spill');
  const kc = new Context({ threads: 2, tmpDir, shuffleMemoryBytesMax: 0 });
  let spillBytes = 0;
  kc.onEvent((event) => {
    if (event.kind === 'task-end' && event.metrics !== null) spillBytes += event.metrics.spillBytes;
  });
  try {
    const sums = kc
      .range(0, 20_000, 1, 4)
      .map((x: number): [number, number] => [x % 100, 1])
      .reduceByKey((a: number, b: number) => a + b, 2);
    assert.equal(await sums.count(), 100);
    assert.ok(spillBytes > 0, 'every map output was spilled');
    assert.equal(kc.lastJobMetrics!.spillBytes, spillBytes);
  } finally {
    await kc.stop();
    rmSync(tmpDir, { recursive: true, force: true });
  }
});
