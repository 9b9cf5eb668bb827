import { PlanError } from '../../common/errors.js';
import type { AccumulatorUpdate } from '../../protocol/task.js';
import type { BroadcastSource } from '../../backend/task-backend.js';
import { Broadcast } from './broadcast.js';
import { Accumulator } from './accumulator.js';

/**
 * A Context's shared variables (Spark's broadcast variables and accumulators): broadcasts the backend hands to
 * worker threads on request, and accumulators that fold the updates of committed task attempts on the driver.
 */
export class SharedVariables implements BroadcastSource {
  readonly #broadcasts = new Map<number, Broadcast<unknown>>();
  readonly #accumulators = new Map<number, Accumulator<unknown, unknown>>();

  /** `kc.broadcast`: registers a new broadcast of `value`. */
  broadcast<T>(value: T): Broadcast<T> {
    const broadcast = new Broadcast(value);
    this.#broadcasts.set(broadcast.id, broadcast as Broadcast<unknown>);
    return broadcast;
  }

  /** `kc.accumulator`: registers a new accumulator; `add` must be a function. */
  accumulator<T, V = T>(zero: T, add: (total: T, value: V) => T): Accumulator<T, V> {
    if (typeof add !== 'function') {
      throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `accumulator() expects add(total, value) to be a function`);
    }
    const accumulator = new Accumulator(zero, add);
    this.#accumulators.set(accumulator.id, accumulator as Accumulator<unknown, unknown>);
    return accumulator;
  }

  broadcastValue(id: number): unknown {
    const broadcast = this.#broadcasts.get(id);
    if (broadcast === undefined || broadcast.destroyed) throw new Error(`broadcast ${id} is unknown or was destroyed`);
    return broadcast.value;
  }

  /** Folds the accumulator updates of a committed attempt into their accumulators (unknown ids are ignored). */
  applyUpdates(updates: readonly AccumulatorUpdate[]): void {
    for (const update of updates) {
      const accumulator = this.#accumulators.get(update.accumulatorId);
      for (const value of update.values) accumulator?.add(value);
    }
  }
}
