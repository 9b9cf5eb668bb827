import type { AccumulatorMarker } from '../../protocol/shipped-function.js';

/** Accumulator ids are unique in the process, like broadcast ids. */
let nextAccumulatorId = 1;

/**
 * A value that tasks add to and the driver reads (Spark's accumulator), exact under failures: each task attempt
 * adds to a local copy, and its updates are applied here once, only for the attempt of a partition that commits
 * first. Retried, killed, duplicate and recomputed attempts never count twice (Spark promises this inside actions
 * only; kindling promises it for every stage). Capture it like any value; inside tasks it is write-only.
 *
 * `add(total, value)` runs on the driver only, in order of commit (so it should be associative and commutative for
 * a result that does not depend on task timing); it need not be shippable.
 *
 * @example
 * const bad = kc.accumulator(0, (a, b: number) => a + b);
 * await rdd.foreach((line) => { if (line === '') bad.add(1); }, { bad });
 * console.log(bad.value);
 */
export class Accumulator<T, V = T> {
  readonly id = nextAccumulatorId++;
  #value: T;
  readonly #add: (total: T, value: V) => T;

  /** @internal Made by `kc.accumulator(zero, add)`. */
  constructor(zero: T, add: (total: T, value: V) => T) {
    this.#value = zero;
    this.#add = add;
  }

  /** The total so far: updates of every committed task attempt of every finished job. */
  get value(): T {
    return this.#value;
  }

  /** Adds on the driver (in a task, the captured accumulator's `add` records the value for its attempt). */
  add(value: V): void {
    this.#value = this.#add(this.#value, value);
  }

  /** Sets the total back to `zero`. */
  reset(zero: T): void {
    this.#value = zero;
  }

  /**
   * @internal What a capture of this accumulator ships as. It rides the broadcast-marker path with a negative id
   * no broadcast has; the executor recognizes the accumulator id and gives the task a local accumulator.
   */
  toBroadcastMarker(): AccumulatorMarker {
    return { kindlingBroadcastId: -this.id, kindlingAccumulatorId: this.id };
  }
}
