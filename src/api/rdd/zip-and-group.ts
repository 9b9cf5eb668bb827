import { PlanError } from '../../common/errors.js';
import type { NarrowNode, ZipPair } from '../../plan/plan-node.js';
import type { Captures } from '../context/context-internals.js';
import * as keyed from './keyed-transformations.js';
import type { RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';

/** Transformations PySpark builds from others: `groupBy`, `sortByKey` with a key function, `zip`, `zipWithUniqueId`. */

// Captured by the worker-side functions below; declared here so their sources type-check.
declare const numPartitions: number;

/** Runs in the workers: the k-th record of partition `index` gets id `k * numPartitions + index`. */
function withUniqueIds(index: number, records: Iterable<unknown>): Iterable<[unknown, number]> {
  const out: [unknown, number][] = [];
  let k = 0;
  for (const record of records) out.push([record, k++ * numPartitions + index]);
  return out;
}

/** Spark's `zipWithUniqueId`: ids `k * n + p` for the k-th record of partition p of n; no job runs. */
export function zipWithUniqueId<T>(rdd: RDD<T>): RDD<[T, number]> {
  return mapPartitions(
    rdd,
    withUniqueIds,
    true,
    { numPartitions: rdd.getNumPartitions() },
    {
      preservesPartitioning: true,
      label: 'zipWithUniqueId',
    },
  );
}

/** Spark's `groupBy(f)`: `[f(x), [records with that key]]`, hash-partitioned. */
export function groupBy<T, K>(
  rdd: RDD<T>,
  fn: unknown,
  numPartitions: number | undefined,
  captures?: Captures,
): RDD<[K, T[]]> {
  return keyed.groupByKey(rdd.keyBy(fn as (x: T) => K, captures), numPartitions);
}

/**
 * `sortByKey` with `keyfunc` (PySpark): pairs ordered by `keyfunc(key)`, range-partitioned on it. `keyfunc` only
 * orders; the records keep their keys.
 */
export function sortByKeyWith<P extends readonly [unknown, unknown]>(
  rdd: RDD<P>,
  ascending: boolean,
  numPartitions: number | undefined,
  keyfunc: unknown,
  captures: Captures | undefined,
): RDD<P> {
  // [k, v] -> [[k, v], k] -> [[k, v], keyfunc(k)] -> [keyfunc(k), [k, v]]: keyfunc runs as mapValues, on the key.
  const withOwnKey = rdd.map((pair) => [pair, pair[0]] as const);
  const ordered = withOwnKey.mapValues(keyfunc as (k: unknown) => unknown, captures).map((p) => [p[1], p[0]] as const);
  return keyed.sortByKey<[unknown, P]>(ordered, ascending, numPartitions).values();
}

/** How a `zip` error names one side: `dataset 3 'clicks'` (its `setName`) or `dataset 3 (parallelize)`. */
function zipSideName<T>(rdd: RDD<T>): string {
  const name = rdd.name();
  return name === null ? `dataset ${rdd.id} (${rdd.node.label})` : `dataset ${rdd.id} '${name}'`;
}

/**
 * Spark's `zip`: the i-th record of this dataset with the i-th of `other`. Both must have as many partitions and
 * records; a count that differs fails the job before any pairing, naming both datasets and their counts. Pairs by global
 * position (a shuffle on it): a dataset whose partitions hold different numbers of records than the other's still
 * zips, where Spark refuses.
 */
export function zip<T, U>(rdd: RDD<T>, other: RDD<U>): RDD<[T, U]> {
  if (rdd.getNumPartitions() !== other.getNumPartitions()) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `zip() needs datasets with equal numbers of partitions, found ${rdd.getNumPartitions()} and ` +
        `${other.getNumPartitions()}`,
    );
  }
  const [leftIndexed, rightIndexed] = [rdd.zipWithIndex(), other.zipWithIndex()];
  const pair: ZipPair = {
    sides: [leftIndexed.node as NarrowNode, rightIndexed.node as NarrowNode],
    names: [zipSideName(rdd), zipSideName(other)],
    counts: [null, null],
  };
  for (const side of pair.sides) side.zipPair = pair;
  const left = leftIndexed.map((p) => [p[1], p[0]] as const);
  const right = rightIndexed.map((p) => [p[1], p[0]] as const);
  const grouped = keyed.cogroup<[number, [T[], U[]]]>(left, [right], rdd.getNumPartitions(), 'zip');
  const paired = grouped.mapValues((sides) => {
    const [xs, ys] = sides as unknown as [unknown[], unknown[]];
    if (xs.length !== 1 || ys.length !== 1) {
      // Counts are compared before pairing (scheduler/zip-offsets.ts): only a side that changed when rerun gets here.
      throw new RangeError('zip() needs datasets with equal numbers of records: a position has no partner');
    }
    return [xs[0], ys[0]];
  });
  return keyed.sortByKey<[number, [T, U]]>(paired, true, rdd.getNumPartitions()).values();
}
