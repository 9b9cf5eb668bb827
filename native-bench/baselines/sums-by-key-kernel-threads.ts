/**
 * The engine's map-side group-by kernel alone, on warm worker threads, for the 20 M-row group-by's scaling analysis
 * (issue 11): each thread adds its slice of rows to fresh sum and count states by key (`addRowsByKey`, the loop a
 * map task of `groupBy('key').agg(sum, count, mean)` spends most of its time in), a chunk at a time, every key's
 * group already in a directory. No scheduling, no shuffle, no merge: what the second core gives this loop on this
 * machine is the most the engine's map side can get from it.
 */
import { Worker } from 'node:worker_threads';

import { nextMessage } from './next-message.js';

/** Messages of a pass: the driver's `pass`, a worker's `ready` (after loading the kernel) and `passed`. */
export type KernelMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'pass'; readonly from: number; readonly to: number }
  | { readonly kind: 'passed'; readonly rows: number };

/** What a worker is given: the shared columns, their key range, and the engine build's kernel module. */
export interface KernelWorkerData {
  readonly keys: Int32Array;
  readonly values: Float64Array;
  readonly low: number;
  readonly high: number;
  readonly kernelModule: string;
}

/**
 * Warm threads over one table; `pass()` runs the kernel over every row, split evenly, and returns the rows added.
 *
 * @example
 * const kernel = await SumsByKeyKernelThreads.start(table.key, table.value, 2, kernelModuleUrl);
 * await kernel.pass(); // 20000000
 * await kernel.close();
 */
export class SumsByKeyKernelThreads {
  private readonly workers: readonly Worker[];
  private readonly rows: number;

  private constructor(workers: readonly Worker[], rows: number) {
    this.workers = workers;
    this.rows = rows;
  }

  static async start(
    keys: Int32Array,
    values: Float64Array,
    threads: number,
    kernelModule: string,
  ): Promise<SumsByKeyKernelThreads> {
    let low = keys[0]!;
    let high = low;
    for (const key of keys) {
      if (key < low) low = key;
      if (key > high) high = key;
    }
    const data: KernelWorkerData = { keys, values, low, high, kernelModule };
    const workers = Array.from(
      { length: threads },
      () => new Worker(new URL('./sums-by-key-kernel-worker.js', import.meta.url), { workerData: data }),
    );
    await Promise.all(workers.map((worker) => nextMessage<KernelMessage, 'ready'>(worker, 'ready')));
    return new SumsByKeyKernelThreads(workers, keys.length);
  }

  async pass(): Promise<number> {
    const n = this.workers.length;
    const passed = this.workers.map((worker, t) => {
      const reply = nextMessage<KernelMessage, 'passed'>(worker, 'passed');
      const message: KernelMessage = {
        kind: 'pass',
        from: Math.floor((this.rows * t) / n),
        to: Math.floor((this.rows * (t + 1)) / n),
      };
      worker.postMessage(message);
      return reply;
    });
    return (await Promise.all(passed)).reduce((sum, reply) => sum + reply.rows, 0);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
