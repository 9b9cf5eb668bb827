import type { ModuleFunction } from '../../plan/module-function.js';

/** A user function, or a module export made with `kc.fn(url, name)`. */
export type Fn<A extends unknown[], R> = ((...args: A) => R) | ModuleFunction;
/** A `[key, value]` pair. */
export type Pair<K, V> = readonly [K, V];
/** Any pair type: keyed methods take `this: RDD<P>` so both `[k, v]` and `readonly [k, v]` records work. */
export type AnyPair = Pair<unknown, unknown>;
/** The key type of a pair type. */
export type KeyOf<P extends AnyPair> = P[0];
/** The value type of a pair type. */
export type ValueOf<P extends AnyPair> = P[1];
/** Literal types widened (`1` → `number`), so `map((w) => [w, 1] as const).reduceByKey((a, b) => a + b)` types. */
export type Widen<T> = T extends number
  ? number
  : T extends string
    ? string
    : T extends boolean
      ? boolean
      : T extends bigint
        ? bigint
        : T;
