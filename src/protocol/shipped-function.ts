/**
 * A user function as it crosses the thread boundary: plain data, never a closure (DESIGN.md §4).
 *
 * - `source`: the function's source text plus the values it names (its captures), structured-cloned once per task.
 * - `module`: an export of an ES module that workers import once (`kc.fn(url, name)`), for code that needs imports.
 * - `global`: a standard global function passed directly, such as `String`, `Number` or `Math.abs`.
 */
export type ShippedFunction =
  | {
      readonly kind: 'source';
      /** What the user wrote, for messages: `filter()`, `reduceByKey()`. */
      readonly label: string;
      readonly source: string;
      readonly captures: Readonly<Record<string, unknown>>;
      /** False when the user declared the function non-deterministic (`{ deterministic: false }`). */
      readonly deterministic: boolean;
    }
  | {
      readonly kind: 'module';
      readonly label: string;
      /** A `file:` URL string. */
      readonly moduleUrl: string;
      readonly exportName: string;
      readonly deterministic: boolean;
    }
  | {
      readonly kind: 'global';
      readonly label: string;
      /** A dotted path from `globalThis`: `'String'`, `'Math.abs'`. */
      readonly path: string;
      readonly deterministic: boolean;
    };

/**
 * What a `Broadcast` becomes inside shipped captures: workers swap it for an object whose `value` is fetched from
 * the driver once per worker and cached.
 */
export interface BroadcastMarker {
  readonly kindlingBroadcastId: number;
}

/** True when a shipped capture value is a broadcast marker. */
export function isBroadcastMarker(value: unknown): value is BroadcastMarker {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kindlingBroadcastId?: unknown }).kindlingBroadcastId === 'number'
  );
}

/**
 * What an `Accumulator` becomes inside shipped captures. It is also a broadcast marker (with a negative id that no
 * broadcast has), so every capture path that knows broadcast markers carries it unchanged; the executor swaps it for
 * a task-local accumulator whose updates return with the task result.
 */
export interface AccumulatorMarker extends BroadcastMarker {
  readonly kindlingAccumulatorId: number;
}

/** True when a shipped capture value is an accumulator marker. */
export function isAccumulatorMarker(value: unknown): value is AccumulatorMarker {
  return (
    isBroadcastMarker(value) && typeof (value as { kindlingAccumulatorId?: unknown }).kindlingAccumulatorId === 'number'
  );
}
