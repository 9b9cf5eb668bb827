// The UI keeps task rows for a bounded number of attempts: past the bound, the oldest finished stage's rows are let
// go and the stage keeps its counts, totals and the exact task-time quantiles it had; its page shows the same
// summary as before, with a note; a running stage keeps its rows whatever the bound.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng } from '../../src/common/rng.js';
import { AppState } from '../../src/events/app-state.js';
import type { LoggedEvent } from '../../src/events/event-schema.js';
import { stagePage } from '../../src/ui/pages/stage-page.js';

const SEED = Number(process.env['SEED'] ?? Date.now() % 1_000_000);
console.log(`SEED=${SEED}`);

const TASKS_PER_STAGE = 30;

/** The events of one stage of `TASKS_PER_STAGE` tasks, one attempt of every fifth failing first; stage left open. */
function stageEvents(rng: Rng, stageId: number, firstTaskId: number, seq: { n: number }): LoggedEvent[] {
  const at = () => ({ v: 1, seq: seq.n++, timeMs: 1764617400000 + seq.n });
  const events: LoggedEvent[] = [
    {
      ...at(),
      kind: 'stage-submitted',
      jobId: 0,
      stageId,
      label: `s${stageId}`,
      purpose: 'result',
      nodeId: stageId,
      tasks: TASKS_PER_STAGE,
      partitions: TASKS_PER_STAGE,
      writesShuffle: null,
      readsShuffles: [],
      chain: `[${stageId}] range`,
    },
  ];
  let taskId = firstTaskId;
  for (let partition = 0; partition < TASKS_PER_STAGE; partition++) {
    for (let attempt = 0; attempt < (partition % 5 === 0 ? 2 : 1); attempt++) {
      const where = { jobId: 0, stageId, taskId: taskId++, partition, attempt, speculative: false } as const;
      events.push({ ...at(), kind: 'task-start', ...where });
      const failed = partition % 5 === 0 && attempt === 0;
      events.push({
        ...at(),
        kind: 'task-end',
        ...where,
        durationMs: rng.nextInt(100_000) / 1000,
        reason: failed ? 'exception' : 'success',
        metrics: failed
          ? null
          : {
              recordsWritten: rng.nextInt(1000),
              bytesRead: rng.nextInt(1 << 20),
              bytesWritten: rng.nextInt(1 << 20),
              executorMs: rng.nextInt(50_000) / 1000,
              shuffleReadBytes: rng.nextInt(3) * 1024,
              spillBytes: 0,
              gcMs: rng.nextInt(2) / 4,
              threadId: 1 + (partition % 2),
            },
        failure: failed ? { name: 'Error', message: 'first try', code: null, stack: null } : null,
      });
    }
  }
  return events;
}

/** The cells of the page's quantile table. */
function quantileCells(page: string): string {
  const table = /<table[^>]*quantiles[\s\S]*?<\/table>/.exec(page);
  assert.ok(table !== null, 'the page has a quantile table');
  return table[0].replace(/\s+/g, ' ');
}

test(`a finished stage's rows are let go past the bound, its summary and counts kept (seed ${SEED})`, () => {
  const rng = new Rng(SEED);
  const seq = { n: 0 };
  // Room for a stage and a half: the second stage's end takes the rows kept past the bound.
  const state = new AppState({ taskRowsRetainedMax: Math.floor(TASKS_PER_STAGE * 1.5) });
  state.apply({
    v: 1,
    seq: seq.n++,
    timeMs: 1,
    kind: 'job-start',
    jobId: 0,
    description: 'd',
    nodeId: 0,
    label: 'l',
    partitions: 1,
    plan: 'p',
  });
  const context = { base: '', live: true };
  const complete = (stageId: number) =>
    state.apply({
      v: 1,
      seq: seq.n++,
      timeMs: 2,
      kind: 'stage-completed',
      jobId: 0,
      stageId,
      status: 'succeeded',
      durationMs: 5,
    });

  for (const e of stageEvents(rng, 0, 0, seq)) state.apply(e);
  complete(0);
  const first = state.stages.get(0)!;
  assert.equal(first.tasks.rowsDropped, false, 'within the bound: rows kept');
  const summaryBefore = first.tasks.summary();
  const cellsBefore = quantileCells(stagePage(state, context, 0, new URLSearchParams()));
  const counts = { size: first.tasks.size, succeeded: first.succeeded, failed: first.failedAttempts };
  const totals = { ...first.totals };
  // An independent model of the median duration: nearest rank over the successful attempts.
  const durations = [...first.tasks.values()]
    .filter((t) => t.reason === 'success')
    .map((t) => t.durationMs!)
    .sort((a, b) => a - b);
  assert.equal(summaryBefore.metrics[0]!.quantiles[2], durations[Math.ceil(0.5 * durations.length) - 1]);
  assert.equal(summaryBefore.finished, TASKS_PER_STAGE);

  for (const e of stageEvents(rng, 1, 1000, seq)) state.apply(e);
  // The second stage runs: over the bound, but only finished stages' rows go, and they go when a stage finishes.
  assert.equal(first.tasks.rowsDropped, false);
  complete(1);
  assert.equal(first.tasks.rowsDropped, true, 'the oldest finished stage is let go');
  assert.equal(state.stages.get(1)!.tasks.rowsDropped, false, 'the newer one is kept');
  assert.deepEqual(first.tasks.summary(), summaryBefore);
  assert.deepEqual({ size: first.tasks.size, succeeded: first.succeeded, failed: first.failedAttempts }, counts);
  assert.deepEqual({ ...first.totals }, totals);
  assert.deepEqual([...first.tasks.values()], [], 'no rows');
  assert.equal(first.tasks.get(0), undefined);
  const page = stagePage(state, context, 0, new URLSearchParams());
  assert.equal(quantileCells(page), cellsBefore, 'the page shows the same quantiles');
  assert.match(page, new RegExp(`The ${counts.size} task attempts of this stage are summarized only`));

  // A late event for a let-go stage changes nothing.
  const late = { v: 1, seq: seq.n++, timeMs: 3, jobId: 0, stageId: 0, taskId: 99, partition: 0, attempt: 5 } as const;
  state.apply({ ...late, kind: 'task-start', speculative: true });
  assert.equal(first.tasks.size, counts.size);
  assert.equal(first.running, 0);
});
