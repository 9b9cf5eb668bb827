import type { TaskDescriptor, TaskEndReason } from '../protocol/task.js';
import type { runTask as RunTask } from '../executor/run-task.js';
import type { forgetShuffleTables as ForgetShuffleTables } from '../executor/shuffle/shuffle-input.js';
import { tableOf, type BroadcastSource, type TaskBackend } from './task-backend.js';

/**
 * Runs tasks on the calling thread, one at a time (`threads: 0`): the same executor code, the same blocks in
 * shared memory and the same results as the pool, with no threads. For tests, debugging and tiny jobs.
 */
export class InlineBackend implements TaskBackend {
  readonly parallelism = 1;
  private queue: Promise<unknown> = Promise.resolve();
  // The executor's modules (~135 files) load with the first task: a driver whose Context runs on the pool never
  // needs them on its own thread (issue 11).
  private executor: Promise<{ runTask: typeof RunTask; forgetShuffleTables: typeof ForgetShuffleTables }> | null = null;
  /** Shuffles released since the last task: this thread forgets their tables before the next one. */
  private readonly released = new Set<number>();
  private closed = false;

  private readonly broadcasts: BroadcastSource;

  constructor(broadcasts: BroadcastSource) {
    this.broadcasts = broadcasts;
  }

  run(task: TaskDescriptor, signal?: AbortSignal): Promise<TaskEndReason> {
    // Serialize: an inline "thread" runs one task at a time, like a pool of one.
    const result = this.queue.then(async (): Promise<TaskEndReason> => {
      if (signal?.aborted) return { kind: 'killed', reason: String(signal.reason ?? 'aborted') };
      // A task queued behind the running one when the backend closed never starts, as with a destroyed pool.
      if (this.closed) return { kind: 'worker-lost', message: 'the backend was closed (kc.stop())', poolFailed: true };
      // Clone the task and its result as postMessage does for the pool, so captured values and zeros are copies
      // here too (shared memory stays shared): the same job gives the same result on every backend.
      const { shuffleTables, ...posted } = task;
      this.executor ??= Promise.all([
        import('../executor/run-task.js'),
        import('../executor/shuffle/shuffle-input.js'),
      ]).then(([run, input]) => ({ runTask: run.runTask, forgetShuffleTables: input.forgetShuffleTables }));
      const { runTask, forgetShuffleTables } = await this.executor;
      if (signal?.aborted) return { kind: 'killed', reason: String(signal.reason ?? 'aborted') };
      forgetShuffleTables(this.released);
      this.released.clear();
      const running = runTask(structuredClone(posted), {
        fetchBroadcast: async (id) => structuredClone(this.broadcasts.broadcastValue(id)),
        fetchMapOutputTable: async (shuffleId, version) => structuredClone(tableOf(shuffleTables, shuffleId, version)),
      });
      // A task that is waiting (an injected hang) cannot be terminated on this thread, but it can be abandoned:
      // when the attempt is aborted (no progress for taskTimeoutMs), it ends as killed and the next task starts.
      // A task that is busy computing holds this thread, so it cannot be watched here at all.
      // While it waits, a timer keeps the process alive: a waiting task holds no handle of its own, and the watch's
      // timer does not keep the process alive either.
      const keepAlive = setInterval(() => {}, 1 << 30);
      let reason: TaskEndReason;
      try {
        reason = await (signal === undefined ? running : Promise.race([running, abandoned(signal)]));
      } finally {
        clearInterval(keepAlive);
      }
      return structuredClone(reason);
    });
    this.queue = result.catch(() => undefined);
    return result;
  }

  shuffleReleased(shuffleId: number): void {
    this.released.add(shuffleId);
  }

  /** The task running now finishes (nothing interrupts it on this thread); queued and later ones never start. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }
}

function abandoned(signal: AbortSignal): Promise<TaskEndReason> {
  return new Promise((resolve) => {
    const end = () => resolve({ kind: 'killed', reason: String(signal.reason ?? 'aborted') });
    if (signal.aborted) end();
    else signal.addEventListener('abort', end, { once: true });
  });
}
