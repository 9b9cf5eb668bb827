import type { Aggregator } from '../../protocol/pipeline.js';
import { KeyIndex } from '../../common/keys.js';
import type { TaskContext, UserFunction } from '../task-context.js';

/**
 * Folds `[key, value]` pairs into one combiner per key with an `Aggregator` (see its contract for how the first
 * value of a key becomes a combiner). `merge` is `mergeValue` for raw values and `mergeCombiners` for combiners
 * that were already combined on the map side. Combiners live in an array by key slot: one hash lookup per record.
 */
export class Combiner {
  private readonly index = new KeyIndex();
  private readonly values: unknown[] = [];
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
    const slot = this.index.slotOfOrAdd(key);
    if (slot < 0) {
      this.values.push(this.create(value));
    } else {
      this.values[slot] = this.merge(this.values[slot], value);
    }
  }

  /** `[key, combiner]` pairs in first-seen key order. */
  entries(): [unknown, unknown][] {
    const keys = this.index.keys;
    const pairs: [unknown, unknown][] = new Array(keys.length);
    for (let i = 0; i < keys.length; i++) pairs[i] = [keys[i], this.values[i]];
    return pairs;
  }
}
