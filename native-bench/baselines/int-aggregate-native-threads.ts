/**
 * The native group-by on several threads, for the 2-thread scaling yardstick of the 20 M-row group-by: warm worker
 * threads share the key and value columns (SharedArrayBuffers), each aggregates its slice of rows with
 * {@link aggregateInt32}, splits its groups by key hash into one part per thread in shared memory, and then merges
 * one part of every thread's groups; the driver adds up the group counts. Both phases run in parallel, as a
 * partitioned hash aggregation does. Plain `worker_threads`: no engine code.
 */
import { Worker } from 'node:worker_threads';

import { nextMessage } from './next-message.js';

/** One hash range of a thread's groups: keys, sums and counts in shared memory. */
export interface IntAggregatePart {
  readonly keys: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
}

/** Messages of a job: the driver's `aggregate` and `merge`, the workers' `aggregated` and `merged`. */
export type IntAggregateMessage =
  | { readonly kind: 'aggregate'; readonly from: number; readonly to: number }
  | { readonly kind: 'aggregated'; readonly parts: IntAggregatePart[] }
  | { readonly kind: 'merge'; readonly parts: IntAggregatePart[] }
  | { readonly kind: 'merged'; readonly groups: number }
  | { readonly kind: 'result' }
  | { readonly kind: 'merged-groups'; readonly groups: MergedGroups };

/** A thread's merged part: one row per key. */
export interface MergedGroups {
  readonly keys: Int32Array;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly means: Float64Array;
}

/**
 * Warm threads over one table; `aggregate()` runs one group-by and returns the number of groups.
 *
 * @example
 * const pool = new IntAggregateThreads(table.key, table.value, 2);
 * await pool.aggregate(); // 100000
 * await pool.close();
 */
export class IntAggregateThreads {
  private readonly workers: Worker[];
  private readonly keys: Int32Array;

  constructor(keys: Int32Array, values: Float64Array, threads: number) {
    this.keys = keys;
    this.workers = Array.from(
      { length: threads },
      () =>
        new Worker(new URL('./int-aggregate-native-worker.js', import.meta.url), {
          workerData: { keys, values, parts: threads },
        }),
    );
  }

  async aggregate(): Promise<number> {
    const rows = this.keys.length;
    const n = this.workers.length;
    const aggregated = this.workers.map((worker, t) => {
      const reply = nextMessage<IntAggregateMessage, 'aggregated'>(worker, 'aggregated');
      const message: IntAggregateMessage = {
        kind: 'aggregate',
        from: Math.floor((rows * t) / n),
        to: Math.floor((rows * (t + 1)) / n),
      };
      worker.postMessage(message);
      return reply;
    });
    const partials = await Promise.all(aggregated);
    const merged = this.workers.map((worker, range) => {
      const reply = nextMessage<IntAggregateMessage, 'merged'>(worker, 'merged');
      const message: IntAggregateMessage = { kind: 'merge', parts: partials.map((p) => p.parts[range]!) };
      worker.postMessage(message);
      return reply;
    });
    return (await Promise.all(merged)).reduce((sum, m) => sum + m.groups, 0);
  }

  /** Every thread's groups of the last `aggregate()` (for checks: copies ~28 bytes a group). */
  async lastGroups(): Promise<MergedGroups[]> {
    const replies = this.workers.map((worker) => {
      const reply = nextMessage<IntAggregateMessage, 'merged-groups'>(worker, 'merged-groups');
      const message: IntAggregateMessage = { kind: 'result' };
      worker.postMessage(message);
      return reply;
    });
    return (await Promise.all(replies)).map((reply) => reply.groups);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** The hash range of a key among `parts`: the top bits of its Fibonacci hash (the tables use them too). */
export function partOfKey(key: number, parts: number): number {
  return Math.floor(((Math.imul(key, 0x9e3779b1) >>> 0) * parts) / 2 ** 32);
}
