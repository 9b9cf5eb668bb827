/** `GroupedDataset`, what `Dataset.groupBy` returns: the keys, waiting for `agg`. */
import type { Aggregate } from './dataset-aggregates.js';
import type { Dataset } from './dataset.js';

/**
 * The result of `groupBy`: call `agg` with the aggregates.
 *
 * @example
 * ds.groupBy('city').agg(count(), max('temp'))
 */
export class GroupedDataset {
  readonly #dataset: Dataset;
  readonly #keys: readonly string[];
  readonly #numPartitions: number;

  /** @internal */
  constructor(dataset: Dataset, keys: readonly string[], numPartitions: number) {
    this.#dataset = dataset;
    this.#keys = keys;
    this.#numPartitions = numPartitions;
  }

  /**
   * One row per distinct key: the key columns, each of its input type (an int32 key stays int32, as in Spark; int32
   * in some partitions and float64 in others, rows typed per partition, gives float64), then one column per aggregate.
   */
  agg(...aggregates: Aggregate[]): Dataset {
    return this.#dataset.aggregate(this.#keys, aggregates, this.#numPartitions);
  }
}
