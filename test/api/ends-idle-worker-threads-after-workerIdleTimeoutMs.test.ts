// Issue 11: an idle worker isolate holds ~10 MiB, so by default a thread idle for workerIdleTimeoutMs (60 s) ends and
// the next task starts a new one. The tests inject a short timeout and wait on the pool's thread events (the
// diagnostics channel WORKER_THREADS_CHANNEL), never on a delay. Threads are told apart by the threadId of each
// task's metrics: a new thread gets a new id.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { WORKER_THREADS_CHANNEL, type WorkerThreadEvent } from '../../src/backend/piscina-backend.js';
import { Context, type LoggedEvent } from '../../src/index.js';
import { makeTempDir } from '../support/temp-dir.js';

/** Thread events of this process, and waits for a condition on them. */
class ThreadWatch {
  readonly ending = new Set<number>();
  readonly ended = new Set<number>();
  #waiters = new Set<() => void>();
  readonly #listener = (message: unknown): void => {
    const { threadId, event } = message as WorkerThreadEvent;
    if (event === 'ending') this.ending.add(threadId);
    if (event === 'ended') this.ended.add(threadId);
    for (const waiter of this.#waiters) waiter();
  };

  constructor() {
    subscribe(WORKER_THREADS_CHANNEL, this.#listener);
  }

  /** Resolves once every thread in `ids` has exited. */
  allEnded(ids: Iterable<number>): Promise<void> {
    const wanted = [...ids];
    return new Promise((resolve) => {
      // The pool's idle timers and threads do not hold the event loop (by design): this wait must.
      const keepAlive = setInterval(() => {}, 60_000);
      const check = (): void => {
        if (!wanted.every((id) => this.ended.has(id))) return;
        this.#waiters.delete(check);
        clearInterval(keepAlive);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  close(): void {
    unsubscribe(WORKER_THREADS_CHANNEL, this.#listener);
  }
}

/** Records the worker threads that ran each job's tasks. */
function threadsOfJobs(kc: Context): Set<number> {
  const ids = new Set<number>();
  kc.onEvent((event: LoggedEvent) => {
    if (event.kind === 'task-end' && event.metrics !== null) ids.add(event.metrics.threadId);
  });
  return ids;
}

/** A 2-stage job (a shuffle, so both threads fetch a map output table); its answer is 79 800. */
function job(kc: Context): Promise<number> {
  return kc
    .range(0, 400, 1, 8)
    .map((x: number): [number, number] => [x % 4, x])
    .reduceByKey((a: number, b: number) => a + b, 2)
    .values()
    .sum();
}

test('workerIdleTimeoutMs defaults to 60 000 ms (Spark executorIdleTimeout) and refuses a negative value', () => {
  assert.equal(new Context({ threads: 0 }).options.workerIdleTimeoutMs, 60_000);
  assert.throws(() => new Context({ workerIdleTimeoutMs: -1 }), /workerIdleTimeoutMs must be an integer >= 0/);
});

test(
  'idle threads end after workerIdleTimeoutMs, the next job starts new ones, and idle ends never fail the pool',
  { timeout: 120_000 },
  async () => {
    const watch = new ThreadWatch();
    const kc = new Context({ threads: 2, workerIdleTimeoutMs: 20 });
    const ids = threadsOfJobs(kc);
    const seen = new Set<number>();
    try {
      // More rounds than the pool's start-up failure bound (3 in a row): an idle end must never count as one.
      for (let round = 0; round < 5; round++) {
        ids.clear();
        assert.equal(await job(kc), 79_800, `round ${round}`);
        const ran = [...ids];
        assert.ok(ran.length >= 1 && !ran.includes(0), `worker threads ran round ${round}: ${ran}`);
        assert.deepEqual(
          ran.filter((id) => seen.has(id)),
          [],
          `round ${round} ran on new threads ${ran}; earlier: ${[...seen]}`,
        );
        for (const id of ran) seen.add(id);
        await watch.allEnded(ran);
      }
    } finally {
      await kc.stop();
      watch.close();
    }
  },
);

test(
  'workerIdleTimeoutMs 0 keeps threads: they outlive threads that went idle later with a timeout',
  { timeout: 120_000 },
  async () => {
    const watch = new ThreadWatch();
    const keeps = new Context({ threads: 2, workerIdleTimeoutMs: 0 });
    const ends = new Context({ threads: 2, workerIdleTimeoutMs: 20 });
    const kept = threadsOfJobs(keeps);
    const ending = threadsOfJobs(ends);
    try {
      assert.equal(await job(keeps), 79_800);
      const first = [...kept];
      // `keeps` went idle first: with any idle timer its threads would end before those of `ends`.
      assert.equal(await job(ends), 79_800);
      await watch.allEnded(ending);
      assert.deepEqual(
        first.filter((id) => watch.ending.has(id) || watch.ended.has(id)),
        [],
        `threads ${first} are kept`,
      );
      kept.clear();
      assert.equal(await job(keeps), 79_800);
      assert.deepEqual(
        [...kept].filter((id) => !first.includes(id)),
        [],
        `the same threads ran both jobs: ${first}, ${[...kept]}`,
      );
    } finally {
      await Promise.all([keeps.stop(), ends.stop()]);
      watch.close();
    }
  },
);

test(
  'kc.stop() while a thread is ending for idleness resolves after every thread has exited',
  { timeout: 120_000 },
  async () => {
    const watch = new ThreadWatch();
    const kc = new Context({ threads: 2, workerIdleTimeoutMs: 20 });
    const ids = threadsOfJobs(kc);
    try {
      assert.equal(await job(kc), 79_800);
      const ran = [...ids];
      // Stop as soon as the first of them starts ending (its exit comes in a later turn of the event loop).
      await new Promise<void>((resolve) => {
        const keepAlive = setInterval(() => {}, 60_000);
        const listener = (message: unknown): void => {
          const { threadId, event } = message as WorkerThreadEvent;
          if (event !== 'ending' || !ran.includes(threadId)) return;
          unsubscribe(WORKER_THREADS_CHANNEL, listener);
          clearInterval(keepAlive);
          resolve();
        };
        subscribe(WORKER_THREADS_CHANNEL, listener);
      });
      const endingAtStop = ran.filter((id) => !watch.ended.has(id));
      assert.ok(endingAtStop.length >= 1, `a thread was still ending when stop() began: ${ran}, ${[...watch.ended]}`);
      await kc.stop();
      assert.deepEqual(
        ran.filter((id) => !watch.ended.has(id)),
        [],
        `every thread exited before stop() resolved`,
      );
      await assert.rejects(job(kc), /stopped/);
    } finally {
      await kc.stop();
      watch.close();
    }
  },
);

test(
  'a process that never calls kc.stop() exits when its jobs are done: the idle timers do not hold it',
  { timeout: 120_000 },
  async () => {
    const child = fileURLToPath(new URL('./idle-context-child.js', import.meta.url));
    const run = spawn(process.execPath, [child, 'child'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let doneAtMs = 0;
    run.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (doneAtMs === 0 && stdout.includes('done')) doneAtMs = Date.now();
    });
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => run.on('exit', resolve));
    const lingeredMs = Date.now() - doneAtMs;
    assert.equal(code, 0, `child failed:\n${stdout}\n${stderr}`);
    assert.match(stdout, /done 79800/);
    // With a referenced 60 s idle timer the child would live on for 60 s after its job.
    assert.ok(lingeredMs < 30_000, `the child exited ${lingeredMs} ms after its job`);
  },
);

test(
  'a streaming query whose batches are further apart than the timeout runs each batch on new threads, with its state',
  { timeout: 120_000 },
  async () => {
    const watch = new ThreadWatch();
    const kc = new Context({ threads: 2, workerIdleTimeoutMs: 20 });
    const ids = threadsOfJobs(kc);
    const root = makeTempDir('idle-stream');
    try {
      const input = kc.readStream.memory<string>({ numPartitions: 2 });
      const batches: Array<Array<[string, number]>> = [];
      let batchDone: (() => void) | null = null;
      const query = input
        .map((word: string): [string, number] => [word, 1])
        .updateStateByKey(
          (values: number[], state: number | undefined) => (state ?? 0) + values.reduce((a, b) => a + b, 0),
          { numPartitions: 2 },
        )
        .writeStream.option('checkpointLocation', join(root, 'ckpt'))
        .trigger({ processingTimeMs: 30 })
        .foreachBatch(async (rdd) => {
          batches.push(((await rdd.collect()) as Array<[string, number]>).toSorted());
          batchDone?.();
        })
        .start();
      const threadsPerBatch: number[][] = [];
      for (const words of [['a', 'b', 'a'], ['b', 'c'], ['a']]) {
        ids.clear();
        const done = new Promise<void>((resolve) => (batchDone = resolve));
        input.addData(...words);
        await done;
        const ran = [...ids];
        threadsPerBatch.push(ran);
        // The next batch comes only after this one's threads have ended: a gap longer than the idle timeout.
        await watch.allEnded(ran);
      }
      await query.stop();
      assert.equal(query.exception, null);
      assert.deepEqual(batches, [
        [
          ['a', 2],
          ['b', 1],
        ],
        [
          ['b', 2],
          ['c', 1],
        ],
        [['a', 3]],
      ]);
      const [first, second, third] = threadsPerBatch as [number[], number[], number[]];
      assert.ok(first.length >= 1, `worker threads ran the batches: ${JSON.stringify(threadsPerBatch)}`);
      assert.deepEqual(
        [...second, ...third].filter((id) => first.includes(id)),
        [],
        `later batches ran on new threads: ${JSON.stringify(threadsPerBatch)}`,
      );
    } finally {
      await kc.stop();
      watch.close();
    }
  },
);
