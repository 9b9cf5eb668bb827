import type { Aggregator } from '../protocol/pipeline.js';
import { KeyMap } from '../common/keys.js';
import type { TaskContext, UserFunction } from './task-context.js';

/**
 * Folds `[key, value]` pairs into one combiner per key with an `Aggregator` (see its contract for how the first
 * value of a key becomes a combiner). `merge` is `mergeValue` for raw values and `mergeCombiners` for combiners
 * that were already combined on the map side.
 */
export class Combiner {
  readonly combiners = new KeyMap<unknown>();
  private readonly create: (value: unknown) => unknown;
  private readonly merge: UserFunction;

  constructor(aggregator: Aggregator, valuesAreCombiners: boolean, context: TaskContext) {
    const mergeValue = context.fn(aggregator.mergeValue);
    this.merge = valuesAreCombiners ? context.fn(aggregator.mergeCombiners) : mergeValue;
    if (valuesAreCombiners) this.create = (value) => value;
    else if (aggregator.createCombiner !== null) this.create = context.fn(aggregator.createCombiner);
    else if (aggregator.zero !== null) {
      const zero = aggregator.zero.value;
      // Each key starts from its own copy of the zero, so a mutable zero (an array, an object) is never shared.
      this.create = (value) => mergeValue(structuredClone(zero), value);
    } else this.create = (value) => value;
  }

  add(key: unknown, value: unknown): void {
    const existing = this.combiners.get(key);
    if (existing === undefined && !this.combiners.has(key)) this.combiners.set(key, this.create(value));
    else this.combiners.set(key, this.merge(existing, value));
  }
}
