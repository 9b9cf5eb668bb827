// One application with a retried task, a lost shuffle block (fetch failure and resubmission), a speculative copy,
// a streaming query, a checkpoint and a failed job writes a log in which every line matches the schema of its kind (the reader checks
// each one), sequence numbers have no gap, every event kind the engine emits appears, and the numbers folded from
// the log equal the jobs' metrics.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { AppState } from '../../src/events/app-state.js';
import { EVENT_KINDS, schemaMismatches } from '../../src/events/event-fields.js';
import { Context, readEventLogs, type JobMetrics } from '../../src/index.js';
import { expectedWordCount, sortedPairs, wordCount } from '../faults/fault-fixtures.js';
import { makeTempDir } from '../support/temp-dir.js';

test('every event kind the engine emits is logged, matches its schema, and agrees with the job metrics', async () => {
  const dir = makeTempDir('eventlog');
  const logDir = join(dir, 'log');
  const kc = new Context({
    threads: 2,
    eventLog: logDir,
    checkpointDir: join(dir, 'checkpoints'),
    // Only the straggler below (held until the end) may run past minTaskMs: a task of the first jobs slowed by a busy
    // machine got a speculative copy that won, and the first job's thrown attempt was then a killed loser.
    speculation: { quantile: 0.75, multiplier: 1.5, minTaskMs: 3_000 },
  });
  const gate = new Int32Array(new SharedArrayBuffer(8));
  const metrics: JobMetrics[] = [];
  try {
    // A throwing first attempt of partition 1 of the first stage: retried.
    kc.setFaults({ seed: 1, rules: [{ kind: 'throw', stage: 0, partition: 1, attempt: 0 }] });
    assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
    metrics.push(kc.lastJobMetrics!);
    // A lost map output block: a fetch failure, and its map partition recomputed.
    kc.setFaults({ seed: 4, rules: [{ kind: 'lose-block', partition: 2, attempt: 0 }] });
    assert.deepEqual(sortedPairs(await wordCount(kc).collect()), expectedWordCount());
    metrics.push(kc.lastJobMetrics!);
    kc.setFaults(null);
    // A straggler gets a speculative copy.
    const straggling = kc.range(0, 100, 1, 4).mapPartitionsWithIndex(
      (i: number, it: Iterable<number>) => {
        if (i === 3 && Atomics.add(gate, 0, 1) === 0) Atomics.wait(gate, 1, 0, 60_000);
        return [...it];
      },
      { gate },
    );
    assert.equal((await straggling.collect()).length, 100);
    metrics.push(kc.lastJobMetrics!);
    // A streaming query: one progress event per committed batch.
    const input = kc.readStream.memory<[string, number]>({ maxRecordsPerTrigger: 2 });
    input.addData(['a', 1], ['b', 1], ['a', 1]);
    const query = input
      .updateStateByKey((values: number[], n: number | undefined) => (n ?? 0) + values.length)
      .writeStream.format('memory')
      .queryName('every-kind')
      .trigger({ availableNow: true })
      .start();
    await query.awaitTermination();
    const checkpointed = kc.range(0, 50, 1, 2).map((x) => x + 1);
    await checkpointed.checkpoint({ eager: true });
    await assert.rejects(
      kc
        .range(0, 10, 1, 2)
        .map((x) => {
          if (x === 7) throw new Error('seven is not allowed');
          return x;
        })
        .collect(),
      /seven is not allowed/,
    );
  } finally {
    Atomics.store(gate, 1, 1);
    Atomics.notify(gate, 1);
    await kc.stop();
  }
  try {
    const [log, ...others] = readEventLogs(logDir);
    assert.equal(others.length, 0, 'one file set per Context');
    assert.equal(log!.appId, kc.appId);
    assert.equal(log!.truncated, false);
    const events = log!.events;
    assert.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i),
      'no gap in sequence numbers',
    );
    for (const event of events) assert.deepEqual(schemaMismatches(event), [], JSON.stringify(event));
    const kinds = new Set(events.map((e) => e.kind));
    assert.deepEqual(
      EVENT_KINDS.filter((kind) => !kinds.has(kind)),
      [],
      'every kind appears',
    );
    assert.equal(events[0]!.kind, 'app-start');
    assert.equal(events.at(-1)!.kind, 'app-end');

    const state = new AppState();
    for (const event of events) state.apply(event);
    for (const jobMetrics of metrics) {
      const job = state.jobs.get(jobMetrics.jobId)!;
      assert.equal(job.status, 'succeeded');
      assert.deepEqual(job.metrics, JSON.parse(JSON.stringify(jobMetrics)));
      const stages = state.stagesOf(job);
      assert.equal(stages.length, jobMetrics.stagesRun);
      const attempts = stages.reduce((n, s) => n + s.tasks.size, 0);
      assert.equal(attempts, jobMetrics.taskAttempts, 'speculative copies included');
      assert.equal(
        stages.reduce((n, s) => n + s.succeeded, 0),
        jobMetrics.tasksSucceeded,
      );
      assert.equal(
        stages.reduce((n, s) => n + s.totals.bytesWritten, 0),
        jobMetrics.bytesWritten,
      );
      assert.match(job.description, /^collect at .*logs-every-event-kind-of-a-faulty-application\.test\.js:\d+:\d+$/);
    }
    const [retried, fetchFailed, speculated] = metrics.map((m) => state.jobs.get(m.jobId)!);
    const retriedEnds = state.stagesOf(retried!).flatMap((s) => [...s.tasks.values()]);
    const thrown = retriedEnds.find((t) => t.reason === 'exception')!;
    assert.equal(thrown.fault, 'throw');
    assert.equal(thrown.partition, 1);
    assert.match(thrown.failure!.message, /injected/);
    assert.equal(state.fetchFailures.filter((f) => f.jobId === fetchFailed!.jobId).length, 1);
    assert.equal(
      state.stagesOf(fetchFailed!).filter((s) => s.writesShuffle !== null).length,
      2,
      'map stage resubmitted',
    );
    assert.ok(state.speculativeLaunches >= 1);
    assert.ok(state.stagesOf(speculated!).some((s) => [...s.tasks.values()].some((t) => t.speculative)));
    assert.equal(state.checkpoints.length, 1);
    assert.equal(state.checkpoints[0]!.checkpointKind, 'reliable');
    const failed = [...state.jobs.values()].find((j) => j.status === 'failed')!;
    assert.match(failed.failure!.message, /seven is not allowed/);
    assert.equal(failed.failure!.code, 'ERR_JOB_FAILED');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
