import type { BroadcastMarker } from '../../protocol/shipped-function.js';

/** Broadcast ids are unique in the process, so two Contexts (and the inline backend's shared cache) never collide. */
let nextBroadcastId = 1;

/**
 * A read-only value shipped to each worker thread once (Spark's broadcast variable), for large lookup tables used
 * by many tasks. Capture it like any value and read `.value` inside the function:
 *
 * @example
 * const dict = kc.broadcast(new Map([['a', 1]]));
 * rdd.map((w) => dict.value.get(w) ?? 0, { dict });
 *
 * WARNING: workers receive a structured clone taken when they first ask for it; changing the value on the driver
 * afterwards is not seen by them. Treat it as immutable.
 */
export class Broadcast<T> {
  readonly id = nextBroadcastId++;
  #value: T;
  #destroyed = false;

  /** @internal Made by `kc.broadcast(value)`. */
  constructor(value: T) {
    this.#value = value;
  }

  /** The value (on the driver; in workers, the worker's cached copy). */
  get value(): T {
    if (this.#destroyed) throw new Error(`broadcast ${this.id} was destroyed`);
    return this.#value;
  }

  /** Releases the driver's reference; later tasks that capture it fail. */
  destroy(): void {
    this.#destroyed = true;
    this.#value = undefined as T;
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  /** @internal What a capture of this broadcast becomes when a function is shipped. */
  toBroadcastMarker(): BroadcastMarker {
    return { kindlingBroadcastId: this.id };
  }
}
