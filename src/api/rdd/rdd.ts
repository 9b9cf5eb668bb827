import type { PlanNode } from '../../plan/plan-node.js';
import * as actions from './actions.js';
import type { Captures } from '../context/context-internals.js';
import { saveAsTextFile, type SaveOptions } from '../writers/save-text.js';
import { countApproxDistinct } from './approx-distinct.js';
import * as piping from './local-iterator-and-pipe.js';
import * as numeric from './numeric-actions.js';
import type { Histogram, StatCounter } from './numeric-actions.js';
import * as sampling from './sampling.js';
import * as tree from './tree-aggregation.js';
import { RddPairTransformations } from './rdd-pair-transformations.js';
import type { AnyPair, Fn, KeyOf, ValueOf } from './rdd-types.js';

export type { Fn, Pair, Widen } from './rdd-types.js';
export type { CheckpointWriteOptions } from './rdd-core.js';

/**
 * A lazy, immutable, partitioned dataset with lineage (Spark's RDD). Transformations return new datasets and run
 * nothing; actions return Promises and run a job on the Context's worker pool. Pairs are 2-element arrays
 * `[key, value]`; keyed operations compare keys by value (see `KeyMap`).
 *
 * @example
 * const counts = kc.textFile('logs/*.txt')
 *   .flatMap((line) => line.split(/\s+/))
 *   .filter((w) => w.length > 0)
 *   .map((w) => [w, 1] as const)
 *   .reduceByKey((a, b) => a + b);
 * console.log(await counts.top(10, ([, n]) => n));
 *
 * The class is built in layers, one file each: what a dataset is and how it is kept (`rdd-core.ts`), the
 * transformations (`rdd-transformations.ts`), the pair transformations (`rdd-pair-transformations.ts`), and here the
 * actions; each method is a thin wrapper over the verb's own file.
 */
export class RDD<T> extends RddPairTransformations<T> {
  /** @internal A dataset over another node of the same context. */
  derive<U>(node: PlanNode): RDD<U> {
    return new RDD<U>(this.context, node);
  }

  // ---- actions ------------------------------------------------------------------------------------------------

  /** All records, in partition order. */
  collect(): Promise<T[]> {
    return actions.collect(this);
  }
  count(): Promise<number> {
    return actions.count(this);
  }
  /** The first record; rejects on an empty dataset. */
  first(): Promise<T> {
    return actions.first(this);
  }
  /** The first `n` records, scanning as few partitions as it can. */
  take(n: number): Promise<T[]> {
    return actions.take(this, n);
  }
  /** The `n` largest records by `keyFn` (default: the record), largest first. */
  top(n: number, keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T[]> {
    return actions.takeOrdered(this, n, keyFn, captures, true);
  }
  /** The `n` smallest records by `keyFn` (default: the record), smallest first. */
  takeOrdered(n: number, keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T[]> {
    return actions.takeOrdered(this, n, keyFn, captures, false);
  }
  /** Records merged with an associative, commutative `fn`; rejects on an empty dataset. */
  reduce(fn: Fn<[T, T], T>, captures?: Captures): Promise<T> {
    return actions.reduce(this, fn, captures);
  }
  /** Each partition folded from `zero`, then the partition results folded from `zero` on the driver. */
  fold(zero: T, fn: Fn<[T, T], T>, captures?: Captures): Promise<T> {
    return actions.fold(this, zero, fn, captures);
  }
  /** Each partition folded from `zero` with `seqOp`; results merged from `zero` with `combOp` on the driver. */
  aggregate<U>(zero: U, seqOp: Fn<[U, T], U>, combOp: (a: U, b: U) => U, captures?: Captures): Promise<U> {
    return actions.aggregate(this, zero, seqOp, combOp, captures);
  }
  /** Runs `fn` on every record, in the workers. */
  foreach(fn: Fn<[T], unknown>, captures?: Captures): Promise<void> {
    return actions.foreach(this, fn, captures, false);
  }
  /** Runs `fn` on every partition's iterable, in the workers. */
  foreachPartition(fn: Fn<[Iterable<T>], unknown>, captures?: Captures): Promise<void> {
    return actions.foreach(this, fn, captures, true);
  }
  /** How many times each distinct record occurs. */
  countByValue(): Promise<Map<T, number>> {
    return actions.countByValue(this);
  }
  /** How many records each key has. */
  countByKey<P extends AnyPair>(this: RDD<P>): Promise<Map<KeyOf<P>, number>> {
    return actions.countByKey(this);
  }
  /** The pairs as a Map (a later value of a repeated key wins). */
  collectAsMap<P extends AnyPair>(this: RDD<P>): Promise<Map<KeyOf<P>, ValueOf<P>>> {
    return actions.collectAsMap(this);
  }
  /** The values of `key` (only one partition is scanned when the dataset is hash-partitioned). */
  lookup<P extends AnyPair>(this: RDD<P>, key: KeyOf<P>): Promise<ValueOf<P>[]> {
    return actions.lookup(this, key);
  }
  /**
   * Writes one line per record (`String(record)`) as `dir/part-00000 …` plus `_SUCCESS`. Atomic: `dir` appears
   * whole or not at all. An existing `dir` is an error unless `{ overwrite: true }`.
   */
  saveAsTextFile(dir: string, options?: SaveOptions): Promise<void> {
    return saveAsTextFile(this, dir, options);
  }
  /** True when the dataset has no record (scans as few partitions as `take(1)`). */
  async isEmpty(): Promise<boolean> {
    return (await this.take(1)).length === 0;
  }
  /** The sum of numeric records (0 when empty); a record that is not a number fails the job, naming it. */
  sum(this: RDD<number>): Promise<number> {
    return numeric.sum(this);
  }
  /** The largest record by `keyFn` (default: the record itself); rejects on an empty dataset. */
  max(keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T> {
    return numeric.extreme(this, true, keyFn, captures);
  }
  /** The smallest record by `keyFn` (default: the record itself); rejects on an empty dataset. */
  min(keyFn?: Fn<[T], unknown>, captures?: Captures): Promise<T> {
    return numeric.extreme(this, false, keyFn, captures);
  }
  /**
   * Count, mean, variance, max and min of numeric records in one pass (Spark's `StatCounter`). As Spark's: rejects
   * a dataset of no partitions (`emptyRDD()`) with `ERR_EMPTY_DATASET`; partitions of no record give count 0, mean
   * 0, NaN variances. The five actions below are fields of it, with the same rules.
   */
  stats(this: RDD<number>): Promise<StatCounter> {
    return numeric.stats(this);
  }
  /** The mean of numeric records (0 over partitions of no record, as Spark; rejects `emptyRDD()`). */
  async mean(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this, 'mean()')).mean;
  }
  /** The population variance of numeric records (0 for one record, NaN for none). */
  async variance(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this, 'variance()')).variance;
  }
  /** The population standard deviation of numeric records (0 for one record, NaN for none). */
  async stdev(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this, 'stdev()')).stdev;
  }
  /** The sample variance (divided by count - 1) of numeric records (NaN under 2 records). */
  async sampleVariance(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this, 'sampleVariance()')).sampleVariance;
  }
  /** The sample standard deviation of numeric records (NaN under 2 records). */
  async sampleStdev(this: RDD<number>): Promise<number> {
    return (await numeric.stats(this, 'sampleStdev()')).sampleStdev;
  }
  /**
   * Counts per bucket: `n` even buckets between the min and max, or the given sorted boundaries (numbers or
   * strings); the last bucket includes its right end. Returns `[buckets, counts]` (PySpark's `histogram`).
   */
  histogram(buckets: number | readonly T[]): Promise<Histogram<T>> {
    return numeric.histogram(this, buckets);
  }
  /** `num` records at random, in random order (Spark's `takeSample`); deterministic for a seed. */
  takeSample(withReplacement: boolean, num: number, seed?: number): Promise<T[]> {
    return sampling.takeSample(this, withReplacement, num, seed);
  }
  /** `reduce`, merging partition results in rounds of shuffles (`depth` levels) before the driver. */
  treeReduce(fn: Fn<[T, T], T>, depth = 2, captures?: Captures): Promise<T> {
    return tree.treeReduce(this, fn, depth, captures);
  }
  /** `aggregate`, merging partition results in rounds of shuffles (`depth` levels); `combOp` runs in workers. */
  treeAggregate<U>(zero: U, seqOp: Fn<[U, T], U>, combOp: Fn<[U, U], U>, depth = 2, captures?: Captures): Promise<U> {
    return tree.treeAggregate(this, zero, seqOp, combOp, depth, captures);
  }
  /** Values merged per key with `fn`, returned as a Map to the driver (Spark's `reduceByKeyLocally`). */
  reduceByKeyLocally<P extends AnyPair>(
    this: RDD<P>,
    fn: Fn<[ValueOf<P>, ValueOf<P>], ValueOf<P>>,
    captures?: Captures,
  ): Promise<Map<KeyOf<P>, ValueOf<P>>> {
    return this.reduceByKey(fn as any, undefined, captures).collectAsMap() as Promise<Map<KeyOf<P>, ValueOf<P>>>;
  }
  /** About how many distinct records there are (HyperLogLog; standard error about `relativeSD`). */
  countApproxDistinct(relativeSD = 0.05): Promise<number> {
    return countApproxDistinct(this as RDD<unknown>, relativeSD);
  }
  /**
   * The records in order, one job per partition as the iteration reaches it: `for await (const x of …)`. With
   * `prefetchPartitions` (PySpark's), the next partition's job runs while this one is consumed.
   */
  toLocalIterator(prefetchPartitions = false): AsyncGenerator<T, void, undefined> {
    return piping.toLocalIterator(this, prefetchPartitions);
  }
}
