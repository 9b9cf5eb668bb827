import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { expose } from 'comlink/dist/esm/comlink.mjs';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { TaskDescriptor, TaskEndReason } from '../protocol/task.js';
import { classifyPoolFailure } from './classify-failure.js';
import type { BroadcastSource, TaskBackend } from './task-backend.js';

/** Options of the pool, resolved by the Context. */
export interface PiscinaBackendOptions {
  readonly threads: number;
  /** V8 heap limit per worker thread, in MiB (`resourceLimits.maxOldGenerationSizeMb`); 0 for Node's default. */
  readonly workerHeapMbMax: number;
}

const workerFile = new URL('../executor/worker.js', import.meta.url).href;

/**
 * Runs tasks on a Piscina pool of worker threads (the only importer of `piscina`, DESIGN.md §2). Blocks in tasks and
 * results are SharedArrayBuffers, so they are shared with the workers, not copied.
 */
export class PiscinaBackend implements TaskBackend {
  readonly parallelism: number;
  private readonly pool: Piscina<TaskDescriptor, TaskEndReason>;
  /** The last error the pool reported, for diagnostics. Tasks still run: a failed task reports its own end. */
  lastPoolError: unknown = null;
  private readonly broadcasts: BroadcastSource;

  constructor(options: PiscinaBackendOptions, broadcasts: BroadcastSource) {
    this.broadcasts = broadcasts;
    this.parallelism = options.threads;
    this.pool = new Piscina({
      filename: workerFile,
      minThreads: options.threads,
      maxThreads: options.threads,
      idleTimeout: Number.POSITIVE_INFINITY,
      ...(options.workerHeapMbMax > 0 ? { resourceLimits: { maxOldGenerationSizeMb: options.workerHeapMbMax } } : {}),
    });
    // Pitfall 1: an 'error' event with no listener would crash the process. Piscina also emits one for messages
    // from a worker whose task was already settled; neither should poison later tasks, so we only keep it.
    this.pool.on('error', (error: unknown) => {
      this.lastPoolError = error;
    });
  }

  async run(task: TaskDescriptor, signal?: AbortSignal): Promise<TaskEndReason> {
    let channel: MessageChannel | null = null;
    let descriptor = task;
    if (task.broadcastIds.length > 0) {
      // Control plane only (DESIGN.md §4): the worker asks for each broadcast it has not cached, once per thread.
      channel = new MessageChannel();
      expose(
        { broadcastValue: (id: number) => this.broadcasts.broadcastValue(id) },
        nodeEndpoint(channel.port1 as never),
      );
      descriptor = { ...task, controlPort: channel.port2 };
    }
    try {
      return await this.pool.run(descriptor, {
        ...(channel === null ? {} : { transferList: [channel.port2] }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (error: unknown) {
      return classifyPoolFailure(error, signal);
    } finally {
      channel?.port1.close();
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
