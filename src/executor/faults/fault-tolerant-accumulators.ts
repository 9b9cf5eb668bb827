import type { AccumulatorUpdate } from '../../protocol/task.js';

/**
 * The task-local side of accumulators: each captured accumulator becomes an object whose `add(value)` records the
 * value for this attempt only. The records return with the attempt's success and the driver applies them once,
 * for the attempt that commits first (a failed, killed or duplicate attempt's updates are dropped), which is what
 * makes accumulator totals exact under retries and recomputation.
 */
export class TaskAccumulators {
  private readonly updates = new Map<number, unknown[]>();

  /** The local accumulator a shipped function sees for accumulator `id`. */
  local(id: number): TaskLocalAccumulator {
    let values = this.updates.get(id);
    if (values === undefined) {
      values = [];
      this.updates.set(id, values);
    }
    return new TaskLocalAccumulator(id, values);
  }

  /** What this attempt added, per accumulator (accumulators it never touched are left out). */
  collect(): AccumulatorUpdate[] {
    const out: AccumulatorUpdate[] = [];
    for (const [accumulatorId, values] of this.updates) if (values.length > 0) out.push({ accumulatorId, values });
    return out;
  }
}

/**
 * What a user function holds in a task in place of a driver `Accumulator`: write-only, as in Spark.
 *
 * @example
 * rdd.foreach((x) => { if (x < 0) negatives.add(1); }, { negatives });
 */
export class TaskLocalAccumulator {
  readonly id: number;
  readonly #values: unknown[];

  constructor(id: number, values: unknown[]) {
    this.id = id;
    this.#values = values;
  }

  /** Records `value` for the driver's `add`; it must be structured-cloneable. */
  add(value: unknown): void {
    this.#values.push(value);
  }

  /** Tasks cannot read an accumulator: its total exists only on the driver, after the job. */
  get value(): never {
    throw new Error(`accumulator ${this.id} can be read only on the driver (accumulator.value after the job)`);
  }
}
