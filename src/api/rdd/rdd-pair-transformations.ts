import type { Captures, FunctionOptions } from '../context/context-internals.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import * as keyed from './keyed-transformations.js';
import { repartitionAndSortWithinPartitions } from './repartition-and-sort.js';
import * as sampling from './sampling.js';
import * as more from './zip-and-group.js';
import { sameContext } from './rdd-core.js';
import { RddTransformations } from './rdd-transformations.js';
import type { AnyPair, Fn, KeyOf, ValueOf, Widen } from './rdd-types.js';
import type { RDD } from './rdd.js';

/**
 * The transformations of {@link RDD} over `[key, value]` pairs (Spark's `PairRDDFunctions`). Each takes
 * `this: RDD<P>`, so they type-check only on a dataset of pairs.
 */
export abstract class RddPairTransformations<T> extends RddTransformations<T> {
  keys<P extends AnyPair>(this: RDD<P>): RDD<KeyOf<P>> {
    return this.derive(this.context.plan.narrow(this.node, 'keys', { kind: 'builtin', op: { name: 'keys' } }));
  }
  values<P extends AnyPair>(this: RDD<P>): RDD<ValueOf<P>> {
    return this.derive(this.context.plan.narrow(this.node, 'values', { kind: 'builtin', op: { name: 'values' } }));
  }
  /** `[k, fn(v)]`; keeps the partitioner. */
  mapValues<P extends AnyPair, U>(
    this: RDD<P>,
    fn: Fn<[ValueOf<P>], U>,
    captures?: Captures,
    options?: FunctionOptions,
  ): RDD<[KeyOf<P>, U]> {
    return this.recordWise('mapValues', fn, captures, options, true);
  }
  /** `[k, w]` for each `w` of `fn(v)`; keeps the partitioner. */
  flatMapValues<P extends AnyPair, U>(
    this: RDD<P>,
    fn: Fn<[ValueOf<P>], Iterable<U>>,
    captures?: Captures,
    options?: FunctionOptions,
  ): RDD<[KeyOf<P>, U]> {
    return this.recordWise('flatMapValues', fn, captures, options, true);
  }
  /** Merges the values of each key with an associative, commutative `fn`, combining on the map side first. */
  reduceByKey<P extends AnyPair>(
    this: RDD<P>,
    fn: Fn<[Widen<ValueOf<P>>, Widen<ValueOf<P>>], Widen<ValueOf<P>>>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, Widen<ValueOf<P>>]> {
    return keyed.reduceByKey(this, fn, numPartitions, captures);
  }
  /** Like `reduceByKey`, each key starting from (a copy of) `zero`. */
  foldByKey<P extends AnyPair>(
    this: RDD<P>,
    zero: Widen<ValueOf<P>>,
    fn: Fn<[Widen<ValueOf<P>>, Widen<ValueOf<P>>], Widen<ValueOf<P>>>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, Widen<ValueOf<P>>]> {
    return keyed.foldByKey(this, zero, fn, numPartitions, captures);
  }
  /** Per key: values folded into `zero` with `seqOp`, partial results merged with `combOp`. */
  aggregateByKey<P extends AnyPair, U>(
    this: RDD<P>,
    zero: U,
    seqOp: Fn<[U, ValueOf<P>], U>,
    combOp: Fn<[U, U], U>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, U]> {
    return keyed.aggregateByKey(this, zero, seqOp, combOp, numPartitions, captures);
  }
  /** Spark's generic per-key aggregation. */
  combineByKey<P extends AnyPair, C>(
    this: RDD<P>,
    createCombiner: Fn<[ValueOf<P>], C>,
    mergeValue: Fn<[C, ValueOf<P>], C>,
    mergeCombiners: Fn<[C, C], C>,
    numPartitions?: number,
    captures?: Captures,
  ): RDD<[KeyOf<P>, C]> {
    return keyed.combineByKey(this, createCombiner, mergeValue, mergeCombiners, numPartitions, captures);
  }
  /** `[k, [all values of k]]` (no map-side combine: prefer `reduceByKey` to aggregate). */
  groupByKey<P extends AnyPair>(this: RDD<P>, numPartitions?: number): RDD<[KeyOf<P>, ValueOf<P>[]]> {
    return keyed.groupByKey(this, numPartitions);
  }
  /** Sorted by key, range-partitioned: partition `i` holds smaller keys than partition `i + 1`. */
  sortByKey<P extends AnyPair>(this: RDD<P>, ascending = true, numPartitions?: number): RDD<P> {
    return keyed.sortByKey(this, ascending, numPartitions);
  }
  /** Hash-partitioned into `numPartitions` (no-op if already partitioned that way). */
  partitionBy<P extends AnyPair>(this: RDD<P>, numPartitions: number): RDD<P> {
    return keyed.partitionBy(this, checkPartitionCount(numPartitions, 'partitionBy()'));
  }
  /** `[k, [values here, values in other]]` for every key of either. */
  cogroup<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P>[], ValueOf<Q>[]]]> {
    return keyed.cogroup(this, [sameContext(this, other, 'cogroup')], numPartitions) as RDD<
      [KeyOf<P>, [ValueOf<P>[], ValueOf<Q>[]]]
    >;
  }
  /** Inner join: `[k, [v, w]]` for each matching pair. */
  join<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P>, ValueOf<Q>]]> {
    return keyed.join(this, sameContext(this, other, 'join'), 'inner', numPartitions);
  }
  /** `[k, [v, w | null]]`: every record of this dataset. */
  leftOuterJoin<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P>, ValueOf<Q> | null]]> {
    return keyed.join(this, sameContext(this, other, 'leftOuterJoin'), 'left', numPartitions);
  }
  /** `[k, [v | null, w]]`: every record of `other`. */
  rightOuterJoin<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P> | null, ValueOf<Q>]]> {
    return keyed.join(this, sameContext(this, other, 'rightOuterJoin'), 'right', numPartitions);
  }
  /** `[k, [v | null, w | null]]`: every record of both. */
  fullOuterJoin<P extends AnyPair, Q extends AnyPair>(
    this: RDD<P>,
    other: RDD<Q>,
    numPartitions?: number,
  ): RDD<[KeyOf<P>, [ValueOf<P> | null, ValueOf<Q> | null]]> {
    return keyed.join(this, sameContext(this, other, 'fullOuterJoin'), 'full', numPartitions);
  }
  /** Pairs whose key does not occur in `other`. */
  subtractByKey<P extends AnyPair, Q extends AnyPair>(this: RDD<P>, other: RDD<Q>, numPartitions?: number): RDD<P> {
    return keyed.subtractByKey(this, sameContext(this, other, 'subtractByKey'), numPartitions);
  }
  /** `cogroup` with any number of others: `[k, [values here, values in others[0], …]]` (PySpark's `groupWith`). */
  groupWith<P extends AnyPair>(this: RDD<P>, ...others: RDD<any>[]): RDD<[KeyOf<P>, unknown[][]]> {
    const checked = others.map((other) => sameContext(this, other, 'groupWith'));
    return keyed.cogroup(this, checked, undefined, 'groupWith');
  }
  /**
   * Pairs ordered by `keyfunc(key)` (PySpark's `sortByKey(ascending, numPartitions, keyfunc)`); the pairs keep their
   * keys. Without `keyfunc`, as `sortByKey`.
   */
  sortByKeyWith<P extends AnyPair>(
    this: RDD<P>,
    ascending: boolean,
    numPartitions: number | undefined,
    keyfunc: Fn<[KeyOf<P>], unknown>,
    captures?: Captures,
  ): RDD<P> {
    if (numPartitions !== undefined) checkPartitionCount(numPartitions, 'sortByKey()');
    return more.sortByKeyWith(this, ascending, numPartitions, keyfunc, captures);
  }
  /**
   * Pairs moved to partition `partitionFunc(key) mod numPartitions` (default: `partitionBy`'s hash) and sorted by
   * `keyfunc(key)` (default: the key) within each partition, in one shuffle (PySpark's
   * `repartitionAndSortWithinPartitions`).
   */
  repartitionAndSortWithinPartitions<P extends AnyPair>(
    this: RDD<P>,
    numPartitions: number,
    partitionFunc?: Fn<[KeyOf<P>], number>,
    ascending = true,
    keyfunc?: Fn<[KeyOf<P>], unknown>,
    captures?: Captures,
  ): RDD<P> {
    return repartitionAndSortWithinPartitions(this, numPartitions, partitionFunc, ascending, keyfunc, captures);
  }
  /** A stratified sample: each pair kept with its key's fraction (`{ [String(key)]: fraction }` or a Map). */
  sampleByKey<P extends AnyPair>(
    this: RDD<P>,
    withReplacement: boolean,
    fractions: Readonly<Record<string, number>> | ReadonlyMap<KeyOf<P>, number>,
    seed?: number,
  ): RDD<P> {
    return sampling.sampleByKey(this, withReplacement, fractions, seed);
  }
}
