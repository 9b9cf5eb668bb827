import type { Captures, FunctionOptions, PartitionFunctionOptions } from '../context/context-internals.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import * as shaping from './shaping-transformations.js';
import * as piping from './local-iterator-and-pipe.js';
import type { PipeOptions } from './local-iterator-and-pipe.js';
import * as sampling from './sampling.js';
import * as more from './zip-and-group.js';
import { RddCore, sameContext } from './rdd-core.js';
import type { Fn } from './rdd-types.js';
import type { RDD } from './rdd.js';

/** The transformations of {@link RDD} that take records of any type: record-wise, per partition, set-like, reshaping. */
export abstract class RddTransformations<T> extends RddCore<T> {
  // ---- narrow transformations -------------------------------------------------------------------------------

  /** Each record through `fn`. */
  map<U>(fn: Fn<[T], U>, captures?: Captures, options?: FunctionOptions): RDD<U> {
    return this.recordWise('map', fn, captures, options);
  }

  /** Each record to zero or more records (`fn` returns an array or any iterable). */
  flatMap<U>(fn: Fn<[T], Iterable<U>>, captures?: Captures, options?: FunctionOptions): RDD<U> {
    return this.recordWise('flatMap', fn, captures, options);
  }

  /** The records for which `fn` returns a truthy value. Keeps the partitioner. */
  filter(fn: Fn<[T], unknown>, captures?: Captures, options?: FunctionOptions): RDD<T> {
    return this.recordWise('filter', fn, captures, options, true);
  }

  /** `fn` over each whole partition: takes an iterable of the partition's records, returns an iterable. */
  mapPartitions<U>(
    fn: Fn<[Iterable<T>], Iterable<U>>,
    captures?: Captures,
    options?: PartitionFunctionOptions,
  ): RDD<U> {
    return shaping.mapPartitions(this.self, fn, false, captures, options);
  }

  /** Like `mapPartitions`, with the partition index first: `fn(index, records)`. */
  mapPartitionsWithIndex<U>(
    fn: Fn<[number, Iterable<T>], Iterable<U>>,
    captures?: Captures,
    options?: PartitionFunctionOptions,
  ): RDD<U> {
    return shaping.mapPartitions(this.self, fn, true, captures, options);
  }

  /** Each partition as one array. */
  glom(): RDD<T[]> {
    return this.derive(this.context.plan.narrow(this.node, 'glom', { kind: 'builtin', op: { name: 'glom' } }));
  }

  /** `[fn(x), x]` for each record. */
  keyBy<K>(fn: Fn<[T], K>, captures?: Captures, options?: FunctionOptions): RDD<[K, T]> {
    return this.recordWise('keyBy', fn, captures, options);
  }

  /** A sample: each record kept with probability `fraction` or, with replacement, repeated Poisson(`fraction`) times. */
  sample(withReplacement: boolean, fraction: number, seed?: number): RDD<T> {
    return shaping.sample(this.self, withReplacement, fraction, seed);
  }

  /** `[record, index]` with indices 0, 1, … in partition order (runs a count job first when needed, as Spark does). */
  zipWithIndex(): RDD<[T, number]> {
    return this.derive(
      this.context.plan.narrow(this.node, 'zipWithIndex', {
        kind: 'builtin',
        op: { name: 'zip-with-index', startIndex: 0 },
      }),
    );
  }

  // ---- set-like and shape-changing transformations -----------------------------------------------------------

  /** The records of this dataset and then of each other (duplicates kept). */
  union(...others: RDD<T>[]): RDD<T> {
    return this.derive(this.context.plan.union([this.node, ...others.map((o) => sameContext(this, o, 'union').node)]));
  }

  /** The distinct records (by value). */
  distinct(numPartitions?: number): RDD<T> {
    return shaping.distinct(this.self, numPartitions);
  }

  /** Records present in both datasets, without duplicates. */
  intersection(other: RDD<T>, numPartitions?: number): RDD<T> {
    return shaping.intersection(this.self, sameContext(this, other, 'intersection'), numPartitions);
  }

  /** Records of this dataset not present in `other` (duplicates of kept records stay). */
  subtract(other: RDD<T>, numPartitions?: number): RDD<T> {
    return shaping.subtract(this.self, sameContext(this, other, 'subtract'), numPartitions);
  }

  /** Every pair `[a, b]` with `a` from this dataset and `b` from `other`. */
  cartesian<U>(other: RDD<U>): RDD<[T, U]> {
    return this.derive(this.context.plan.cartesian(this.node, sameContext(this, other, 'cartesian').node));
  }

  /** Sorted by `keyFn(record)` (default ordering: see `compareValues`), range-partitioned. */
  sortBy<K>(keyFn: Fn<[T], K>, ascending = true, numPartitions?: number, captures?: Captures): RDD<T> {
    if (numPartitions !== undefined) checkPartitionCount(numPartitions, 'sortBy()');
    return this.keyBy(keyFn, captures).sortByKey(ascending, numPartitions).values();
  }

  /** Exactly `numPartitions` partitions, by a round-robin shuffle. Indeterminate, as in Spark. */
  repartition(numPartitions: number): RDD<T> {
    return shaping.repartition(this.self, checkPartitionCount(numPartitions, 'repartition()'));
  }

  /** At most `numPartitions` partitions by merging neighbours without a shuffle (or with one, if `shuffle`). */
  coalesce(numPartitions: number, shuffle = false): RDD<T> {
    return shaping.coalesce(this.self, checkPartitionCount(numPartitions, 'coalesce()'), shuffle);
  }

  // ---- grouping, zipping, splitting -------------------------------------------------------------------------

  /** Records grouped by `fn(record)`: `[key, records]` (Spark's `groupBy`; prefer `reduceByKey` to aggregate). */
  groupBy<K>(fn: Fn<[T], K>, numPartitions?: number, captures?: Captures): RDD<[K, T[]]> {
    return more.groupBy(this.self, fn, numPartitions, captures);
  }
  /**
   * The i-th record of this dataset paired with the i-th of `other`: `[x, y]`. Both need the same number of
   * partitions and of records (else the job fails naming zip()).
   */
  zip<U>(other: RDD<U>): RDD<[T, U]> {
    return more.zip(this.self, sameContext(this, other, 'zip'));
  }
  /** `[record, id]` with ids `k * n + p` for the k-th record of partition p of n: unique, not contiguous; no job. */
  zipWithUniqueId(): RDD<[T, number]> {
    return more.zipWithUniqueId(this.self);
  }
  /** Datasets of disjoint random parts, sized about as `weights`, together every record once (see sampling.ts). */
  randomSplit(weights: readonly number[], seed?: number): RDD<T>[] {
    return sampling.randomSplit(this.self, weights, seed);
  }
  /** Each partition's records through an external command, a line per record each way (Spark's `pipe`). */
  pipe(command: string, options?: PipeOptions): RDD<string> {
    return piping.pipe(this.self, command, options);
  }
}
