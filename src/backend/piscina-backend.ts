import { channel as diagnosticsChannel } from 'node:diagnostics_channel';
import { MessageChannel, type Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { expose } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
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
}

/** A CommonJS entry that imports the ES-module worker asynchronously: see worker-entry.cts for why. */
const workerFile = new URL('../executor/worker-entry.cjs', import.meta.url).href;

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
  private readonly pool: Piscina<TaskDescriptor, TaskEndReason>;
  /** The last error the pool reported, for diagnostics. Tasks still run: a failed task reports its own end. */
  lastPoolError: unknown = null;
  private readonly broadcasts: BroadcastSource;
  private readonly workerHeapMbMax: number;
  private startupFailuresInRow = 0;
  /**
   * Whether Piscina starts threads again on demand (idle threads end): then a pool with no thread left is not a
   * failed pool, and only `STARTUP_FAILURES_MAX` start-up failures in a row declare it failed.
   */
  private readonly threadsComeBack: boolean;
  /** Why the pool cannot run tasks, once it cannot; every later task ends at once with this. */
  private failedBecause: string | null = null;
  /** Ends the runs waiting on the pool; each run removes its own when it ends (no growing list of reactions). */
  private readonly waiting = new Set<(reason: TaskEndReason) => void>();
  /** Released shuffles, carried by every task to its thread (Piscina cannot message every thread). */
  private readonly released = new ReleasedShuffleLog();
  /**
   * The exit of every ready thread not yet exited, including one Piscina is ending for idleness: its `destroy()`
   * waits only for the threads still in the pool, and `close()` must leave no thread of ours running.
   */
  private readonly exits = new Map<number, Promise<unknown>>();

  constructor(options: PiscinaBackendOptions, broadcasts: BroadcastSource) {
    this.broadcasts = broadcasts;
    this.parallelism = options.threads;
    this.workerHeapMbMax = options.workerHeapMbMax;
    // Above setTimeout's 2^31 - 1 ms Node would fire the idle timer after 1 ms: such a timeout means "keep them".
    this.threadsComeBack = options.workerIdleTimeoutMs > 0 && options.workerIdleTimeoutMs <= TIMER_MS_MAX;
    this.pool = new Piscina({
      filename: workerFile,
      // Piscina ends only the idle threads above minThreads (issue 11: an idle isolate holds ~10 MiB).
      minThreads: this.threadsComeBack ? 0 : options.threads,
      maxThreads: options.threads,
      idleTimeout: this.threadsComeBack ? options.workerIdleTimeoutMs : Number.POSITIVE_INFINITY,
      ...(options.workerHeapMbMax > 0 ? { resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMbMax } } : {}),
    });
    // Pitfall 1: an 'error' event with no listener would crash the process. Piscina also emits one for messages
    // from a worker whose task was already settled, which should not poison later tasks; but an error that leaves
    // no thread is a worker that failed while starting, and nothing will replace it.
    this.pool.on('error', (error: unknown) => {
      this.lastPoolError = error;
      if (this.noThreadWillStart(0)) this.declareFailed(this.failureMessage('every worker thread', error));
    });
    this.pool.on('workerCreate', (created: { id: number }) => this.track(created.id));
    this.pool.on('workerDestroy', (destroyed: { id: number }) => {
      if (threadEvents.hasSubscribers) {
        threadEvents.publish({ threadId: destroyed.id, event: 'ending' } satisfies WorkerThreadEvent);
      }
    });
  }

  /**
   * Follows a ready thread to its exit. An idle thread's end is not a failure: Piscina ends it with no task on it, so
   * no task is rejected and nothing reaches `failure()` or the pool's 'error' listener.
   */
  private track(threadId: number): void {
    const worker: Worker | undefined = this.pool.threads.find((thread) => thread.threadId === threadId);
    if (worker === undefined || this.exits.has(threadId)) return;
    this.exits.set(
      threadId,
      // Not events.once: it rejects on the thread's 'error' event, which comes before its exit.
      new Promise<void>((resolve) =>
        worker.once('exit', () => {
          this.exits.delete(threadId);
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
    let descriptor: TaskDescriptor =
      releasedShuffles === undefined ? descriptorWithoutTables : { ...descriptorWithoutTables, releasedShuffles };
    if (task.broadcastIds.length > 0 || shuffleTables !== undefined) {
      // Control plane only (DESIGN.md §4): the worker asks for each broadcast and map output table it has not
      // cached, once per thread (and table version): a reduce task's descriptor never lists the map outputs.
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
    try {
      const running = this.pool
        .run(descriptor, {
          ...(channel === null ? {} : { transferList: [channel.port2] }),
          ...(signal === undefined ? {} : { signal }),
        })
        .then(
          (reason) => {
            this.startupFailuresInRow = 0;
            return reason;
          },
          (error: unknown) => this.failure(task, error, signal),
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

  private failure(task: TaskDescriptor, error: unknown, signal: AbortSignal | undefined): TaskEndReason {
    const reason = classifyPoolFailure(error, signal);
    if (reason.kind !== 'worker-lost' && reason.kind !== 'out-of-memory') return reason;
    if (task.progress === null || Atomics.load(new Int32Array(task.progress), 0) > 0) {
      this.startupFailuresInRow = 0;
      return reason;
    }
    // The thread died before our task code ran (its first heartbeat): the worker could not start.
    this.startupFailuresInRow++;
    // This run ends here; its retry is a new task, for which Piscina starts a thread if it can.
    if (this.noThreadWillStart(1)) this.declareFailed(this.failureMessage('every worker thread', error));
    else if (this.startupFailuresInRow >= STARTUP_FAILURES_MAX) {
      this.declareFailed(this.failureMessage(`${STARTUP_FAILURES_MAX} worker threads in a row`, error));
    }
    if (this.failedBecause !== null) return { kind: 'worker-lost', message: this.failedBecause, poolFailed: true };
    return { kind: 'worker-lost', message: `a worker thread failed while starting: ${this.describe(error)}` };
  }

  /**
   * True when the pool has no thread and will start none for the tasks it holds. A pool that keeps its threads
   * replaced none it lost. A pool whose threads come back starts one only when a task is submitted, never for the
   * tasks already queued, so with more than `runsEnding` runs waiting they would wait forever. (An idle thread's end
   * is neither a rejected task nor an 'error' event, so it never gets here.)
   */
  private noThreadWillStart(runsEnding: number): boolean {
    return this.pool.threads.length === 0 && (!this.threadsComeBack || this.waiting.size > runsEnding);
  }

  /** Worker threads alive now (fewer than `parallelism` while idle threads have ended). */
  threadCount(): number {
    return this.pool.threads.length;
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
    await this.pool.destroy();
    await Promise.allSettled(this.exits.values());
  }
}
