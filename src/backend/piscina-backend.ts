import { channel as diagnosticsChannel } from 'node:diagnostics_channel';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { expose } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { MapOutputTable } from '../protocol/map-output.js';
import type { TaskDescriptor, TaskEndReason } from '../protocol/task.js';
import { classifyPoolFailure } from './classify-failure.js';
import { ReleasedShuffleLog } from './released-shuffles.js';
import { tableOf, type BroadcastSource, type TaskBackend } from './task-backend.js';

/** Options of the pool, resolved by the Context. */
export interface PiscinaBackendOptions {
  readonly threads: number;
  /** V8 heap limit per worker thread, in MiB (`resourceLimits.maxOldGenerationSizeMb`); 0 for Node's default. */
  readonly workerHeapMbMax: number;
  /** Idle time after which a worker thread ends (a later task starts one again); 0 keeps threads for good. */
  readonly workerIdleTimeoutMs: number;
  /**
   * Called with a worker thread's id once it has exited, whatever the cause: what the thread held in shared memory
   * (a shared dictionary's lock) it can no longer release.
   */
  readonly onThreadExit?: (threadId: number) => void;
}

/** A CommonJS entry that imports the ES-module worker asynchronously: see worker-entry.cts for why. */
const workerFile = new URL('../executor/worker/worker-entry.cjs', import.meta.url).href;

/**
 * The diagnostics channel on which the pool publishes `{ threadId, event }` when a worker thread is ready
 * (`started`), when Piscina starts ending it (`ending`: idle, its task aborted, or the pool destroyed) and when it has
 * exited (`ended`, whatever the cause), so tools and tests can wait on a thread's end instead of guessing a delay.
 * Subscribe with `diagnostics_channel.subscribe(WORKER_THREADS_CHANNEL, listener)`.
 */
export const WORKER_THREADS_CHANNEL = 'kindling:worker-threads';
const threadEvents = diagnosticsChannel(WORKER_THREADS_CHANNEL);

/** A message of `WORKER_THREADS_CHANNEL`. */
export interface WorkerThreadEvent {
  readonly threadId: number;
  readonly event: 'started' | 'ending' | 'ended';
}

/**
 * Attempts in a row whose thread died before the task started (start-up failures) after which the pool is declared
 * unable to run anything, even if Piscina still has threads.
 */
const STARTUP_FAILURES_MAX = 3;

/**
 * Each worker thread's young generation, in MiB (`resourceLimits.maxYoungGenerationSizeMb`, issue 11): two 2 MiB
 * semi-spaces. A worker parked by Piscina in Atomics.wait between tasks never collected (nothing ran, not even V8's
 * memory reducer), so without a cap it kept all its young generation grew to: 4 MiB in every idle thread, 32 after an
 * RDD job of many short-lived pairs. Threads now wait with Atomics.waitAsync (see `atomics` below), and the memory
 * reducer shrinks an idle thread's young generation within ~10 s; the cap still bounds it during and right after a job,
 * and the figures below were measured with Atomics.wait. The bulk data is in buffers outside the heap; the tasks'
 * JavaScript objects are short-lived (records between fused operators, a CSV split's parsed fields) or held for the
 * whole task (combiners' maps, promoted whatever the size). Why 6 and not V8's smallest, 3 (1 MiB semi-spaces),
 * measured on a quiet machine in round 19: with 3 the CSV load of the 1e7-row db-benchmark table took ~8 % more CPU
 * (2,890–3,002 against 2,706–2,810 ms, scavenges of 1 MiB semi-spaces) and the word count ~2 % more, for an idle
 * Context only ~1.5 MiB lower (79.3 against 80.6–81.7 MiB); with 6 an allocating job still leaves ~112–118 MiB against
 * 108–110 (no cap: 173–183).
 */
export const WORKER_YOUNG_GENERATION_MB = 6;

/** The longest delay `setTimeout` honours (about 24.8 days). */
const TIMER_MS_MAX = 2 ** 31 - 1;

/**
 * Runs tasks on a Piscina pool of worker threads (the only importer of `piscina`, DESIGN.md §2). Blocks in tasks and
 * results are SharedArrayBuffers, so they are shared with the workers, not copied.
 *
 * Pool failures: Piscina stops replacing workers for good once one dies before it is ready (a worker file that
 * throws at import, a heap limit too small to load it), and a task queued with no thread left would wait forever
 * (DESIGN.md pitfall 1). This backend notices (a task ended before its first heartbeat, or the pool reported an
 * error with no thread left), declares the pool failed, and ends every waiting and later task at once as
 * `worker-lost` with `poolFailed`, which fails the job with the reason.
 */
export class PiscinaBackend implements TaskBackend {
  readonly parallelism: number;
  /**
   * The pool, or null while the threads have ended for idleness (the next task makes a new one). A pool keeps its
   * threads (minThreads = maxThreads) and replaces those that die, so every pool-failure rule below holds as is.
   * Why not Piscina's own idleTimeout: it ends threads only above minThreads, and a pool with minThreads 0 starts a
   * thread only when a task is submitted, never for tasks already queued when its last thread died (a crash, a
   * killed attempt): they waited forever.
   */
  private pool: Piscina<TaskDescriptor, TaskEndReason> | null;
  /** The last error the pool reported, for diagnostics. Tasks still run: a failed task reports its own end. */
  lastPoolError: unknown = null;
  private readonly broadcasts: BroadcastSource;
  private readonly workerHeapMbMax: number;
  /** Idle time of the whole pool (no run in flight) after which its threads end; 0 keeps them. */
  private readonly idleTimeoutMs: number;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Runs in flight: the pool is idle when none is. */
  private running = 0;
  /** Pools being destroyed for idleness: `close()` waits for them. */
  private readonly retiring = new Set<Promise<void>>();
  private startupFailuresInRow = 0;
  /** Why the pool cannot run tasks, once it cannot; every later task ends at once with this. */
  private failedBecause: string | null = null;
  /** Ends the runs waiting on the pool; each run removes its own when it ends (no growing list of reactions). */
  private readonly waiting = new Set<(reason: TaskEndReason) => void>();
  /** Released shuffles, carried by every task to its thread (Piscina cannot message every thread). */
  private readonly released = new ReleasedShuffleLog();
  /** The exit of every ready thread not yet exited: `close()` must leave no thread of ours running. */
  private readonly exits = new Map<number, Promise<unknown>>();
  private readonly onThreadExit: ((threadId: number) => void) | undefined;

  constructor(options: PiscinaBackendOptions, broadcasts: BroadcastSource) {
    this.broadcasts = broadcasts;
    this.parallelism = options.threads;
    this.workerHeapMbMax = options.workerHeapMbMax;
    this.onThreadExit = options.onThreadExit;
    // Above setTimeout's 2^31 - 1 ms Node would fire the idle timer after 1 ms: such a timeout means "keep them".
    this.idleTimeoutMs = options.workerIdleTimeoutMs <= TIMER_MS_MAX ? options.workerIdleTimeoutMs : 0;
    // Threads start with the Context, as they always did; a Context that never runs a job lets them go when idle.
    this.pool = this.newPool();
    this.armIdleTimer();
  }

  private newPool(): Piscina<TaskDescriptor, TaskEndReason> {
    const pool = new Piscina<TaskDescriptor, TaskEndReason>({
      filename: workerFile,
      minThreads: this.parallelism,
      maxThreads: this.parallelism,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Piscina's run and wait time histograms (two native HDR histograms per pool, a record per task on this
      // thread): nothing here reads them, and an idle 2-thread Context held ~0.25 MiB more with them (issue 11).
      recordTiming: false,
      // An idle thread waits for its next task with Atomics.waitAsync, not Piscina's default Atomics.wait: a thread
      // blocked in Atomics.wait runs nothing, not even V8's memory reducer, which ~8 s after a thread's last
      // collection shrinks its young generation back to its smallest and gives the pages back (issue 11). Measured
      // (round 24, 2 threads, a tiny job, then 10 s idle with no forced collection): 77.2 MiB of RSS with
      // Atomics.wait, 69.8 with waitAsync; 8,000 one-record tasks took the same time either way (medians ~1.55 s).
      atomics: 'async',
      resourceLimits: {
        maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB,
        ...(this.workerHeapMbMax > 0 ? { maxOldGenerationSizeMb: this.workerHeapMbMax } : {}),
      },
    });
    // Pitfall 1: an 'error' event with no listener would crash the process. Piscina also emits one for messages
    // from a worker whose task was already settled, which should not poison later tasks; but an error that leaves
    // no thread is a worker that failed while starting, and nothing will replace it.
    pool.on('error', (error: unknown) => {
      this.lastPoolError = error;
      if (pool === this.pool && pool.threads.length === 0) {
        this.declareFailed(this.failureMessage('every worker thread', error));
      }
    });
    pool.on('workerCreate', (created: { id: number }) => this.track(pool, created.id));
    pool.on('workerDestroy', (destroyed: { id: number }) => {
      if (threadEvents.hasSubscribers) {
        threadEvents.publish({ threadId: destroyed.id, event: 'ending' } satisfies WorkerThreadEvent);
      }
    });
    return pool;
  }

  /** Once no run is in flight: ends the pool's threads after `idleTimeoutMs` (unref'd: it never holds the process). */
  private armIdleTimer(): void {
    if (this.idleTimeoutMs === 0 || this.running > 0 || this.pool === null || this.failedBecause !== null) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      const pool = this.pool;
      if (this.running > 0 || pool === null) return;
      this.pool = null;
      const destroyed = pool.destroy().finally(() => this.retiring.delete(destroyed));
      this.retiring.add(destroyed);
    }, this.idleTimeoutMs);
    this.idleTimer.unref();
  }

  /**
   * Follows a ready thread to its exit. An idle pool's end is not a failure: it is destroyed with no task on it, so
   * no task is rejected and nothing reaches `failure()`, and its 'error' events no longer concern the current pool.
   */
  private track(pool: Piscina<TaskDescriptor, TaskEndReason>, threadId: number): void {
    const worker: Worker | undefined = pool.threads.find((thread) => thread.threadId === threadId);
    if (worker === undefined || this.exits.has(threadId)) return;
    this.exits.set(
      threadId,
      // Not events.once: it rejects on the thread's 'error' event, which comes before its exit.
      new Promise<void>((resolve) =>
        worker.once('exit', () => {
          this.exits.delete(threadId);
          this.onThreadExit?.(threadId);
          if (threadEvents.hasSubscribers)
            threadEvents.publish({ threadId, event: 'ended' } satisfies WorkerThreadEvent);
          resolve();
        }),
      ),
    );
    if (threadEvents.hasSubscribers) threadEvents.publish({ threadId, event: 'started' } satisfies WorkerThreadEvent);
  }

  async run(task: TaskDescriptor, signal?: AbortSignal): Promise<TaskEndReason> {
    if (this.failedBecause !== null) return { kind: 'worker-lost', message: this.failedBecause, poolFailed: true };
    let channel: MessageChannel | null = null;
    const { shuffleTables, ...descriptorWithoutTables } = task;
    const releasedShuffles = this.released.latest();
    const shipped = shuffleTables !== undefined && shipsWithTask(shuffleTables);
    let descriptor: TaskDescriptor = shipped ? { ...descriptorWithoutTables, shuffleTables } : descriptorWithoutTables;
    if (releasedShuffles !== undefined) descriptor = { ...descriptor, releasedShuffles };
    if (task.broadcastIds.length > 0 || (shuffleTables !== undefined && !shipped)) {
      // Control plane only (DESIGN.md §4): the worker asks for each broadcast and map output table it has not
      // cached, once per thread (and table version), unless its tables came with it (`SHIPPED_TABLE_OUTPUTS_MAX`).
      channel = new MessageChannel();
      expose(
        {
          broadcastValue: (id: number) => this.broadcasts.broadcastValue(id),
          mapOutputTable: (shuffleId: number, version: number) => tableOf(shuffleTables, shuffleId, version),
        },
        nodeEndpoint(channel.port1 as never),
      );
      descriptor = { ...descriptor, controlPort: channel.port2 };
    }
    const pool = (this.pool ??= this.newPool());
    this.running++;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    try {
      const running = pool
        .run(descriptor, {
          ...(channel === null ? {} : { transferList: [channel.port2] }),
          ...(signal === undefined ? {} : { signal }),
        })
        .then(
          (reason) => {
            this.startupFailuresInRow = 0;
            return reason;
          },
          (error: unknown) => this.failure(pool, task, error, signal),
        );
      let end: (reason: TaskEndReason) => void = () => {};
      const failed = new Promise<TaskEndReason>((resolve) => (end = resolve));
      this.waiting.add(end);
      try {
        return await Promise.race([running, failed]);
      } finally {
        this.waiting.delete(end);
      }
    } finally {
      channel?.port1.close();
      this.running--;
      this.armIdleTimer();
    }
  }

  shuffleReleased(shuffleId: number): void {
    this.released.add(shuffleId);
  }

  private declareFailed(message: string): void {
    if (this.failedBecause !== null) return;
    this.failedBecause = message;
    for (const end of this.waiting) end({ kind: 'worker-lost', message, poolFailed: true });
  }

  private failure(
    pool: Piscina<TaskDescriptor, TaskEndReason>,
    task: TaskDescriptor,
    error: unknown,
    signal: AbortSignal | undefined,
  ): TaskEndReason {
    const reason = classifyPoolFailure(error, signal);
    if (reason.kind !== 'worker-lost' && reason.kind !== 'out-of-memory') return reason;
    if (task.progress === null || Atomics.load(new Int32Array(task.progress), 0) > 0) {
      this.startupFailuresInRow = 0;
      return reason;
    }
    // The thread died before our task code ran (its first heartbeat): the worker could not start.
    this.startupFailuresInRow++;
    // A pool keeps its threads: one with none left replaced none it lost, and will start none.
    if (pool === this.pool && pool.threads.length === 0) {
      this.declareFailed(this.failureMessage('every worker thread', error));
    } else if (this.startupFailuresInRow >= STARTUP_FAILURES_MAX) {
      this.declareFailed(this.failureMessage(`${STARTUP_FAILURES_MAX} worker threads in a row`, error));
    }
    if (this.failedBecause !== null) return { kind: 'worker-lost', message: this.failedBecause, poolFailed: true };
    return { kind: 'worker-lost', message: `a worker thread failed while starting: ${this.describe(error)}` };
  }

  /** Worker threads alive now (none once an idle pool's threads have ended). */
  threadCount(): number {
    return this.pool?.threads.length ?? 0;
  }

  private failureMessage(which: string, error: unknown): string {
    return `the worker pool cannot run tasks: ${which} failed while starting; last: ${this.describe(error)}`;
  }

  private describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
    const hint =
      code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? ` (the heap limit workerHeapMbMax = ${this.workerHeapMbMax} MiB is too small to start a worker; raise it)`
        : '';
    return message + hint;
  }

  async close(): Promise<void> {
    this.declareFailed('the worker pool was closed (kc.stop())');
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    await this.pool?.destroy();
    // Pools ending for idleness too, and threads of any pool still exiting.
    await Promise.allSettled([...this.retiring, ...this.exits.values()]);
  }
}

/**
 * Map outputs a task's tables may list in all for them to go with the task. A reduce task of a small shuffle
 * (db-benchmark q4: 2 map outputs of a few KB) otherwise asked the driver for its table over the control port
 * before reading a row: a round trip through the driver's event loop, 0.5–11 ms on the loaded 2-core machine
 * (2 per job, one per reduce task, on the job's critical path). Posted, a table costs a structured clone of one
 * small record per map output (their buffers are shared, not copied) on every task, even when the thread holds it
 * already; so a table of many outputs is still fetched, once per thread (issue 11: m × r).
 */
const SHIPPED_TABLE_OUTPUTS_MAX = 16;

/** Whether `tables` go with the task rather than being fetched by the worker (`SHIPPED_TABLE_OUTPUTS_MAX`). */
function shipsWithTask(tables: readonly MapOutputTable[]): boolean {
  let outputs = 0;
  for (const table of tables) outputs += table.outputs.length;
  return outputs <= SHIPPED_TABLE_OUTPUTS_MAX;
}
