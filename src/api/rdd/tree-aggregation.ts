import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { Captures } from '../context/context-internals.js';
import * as keyed from './keyed-transformations.js';
import type { RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';

/**
 * `treeAggregate` and `treeReduce`: partition results are combined in rounds of shuffles (each round merges about
 * `scale` partials into one, map-side) before the last few reach the driver, as Spark does, so a dataset of many
 * partitions does not send every partial to the driver at once. The result equals `aggregate` / `reduce` for
 * associative, commutative functions.
 */

// Captured by `keyByPartition` in the workers; declared here so its source type-checks.
declare const parts: number;

/** Runs in the workers: each record keyed by its partition index modulo `parts` (the next round's partitions). */
function keyByPartition(index: number, records: Iterable<unknown>): Iterable<[number, unknown]> {
  const key = index % parts;
  const keyed: [number, unknown][] = [];
  for (const record of records) keyed.push([key, record]);
  return keyed;
}

function checkDepth(depth: number, operation: string): number {
  if (Number.isSafeInteger(depth) && depth >= 1) return depth;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${operation}: depth must be an integer >= 1, found ${describeValue(depth)}`,
  );
}

/** Partition counts of the rounds Spark would run for `partitions` partials and `depth` (empty: no round). */
function roundSizes(partitions: number, depth: number): number[] {
  const scale = Math.max(Math.ceil(Math.pow(partitions, 1 / depth)), 2);
  const sizes: number[] = [];
  let n = partitions;
  while (n > scale + Math.ceil(n / scale)) {
    n = Math.floor(n / scale);
    sizes.push(n);
  }
  return sizes;
}

export async function treeAggregate<T, U>(
  rdd: RDD<T>,
  zero: U,
  seqOp: unknown,
  combOp: unknown,
  depth: number,
  captures: Captures | undefined,
): Promise<U> {
  const sizes = roundSizes(rdd.getNumPartitions(), checkDepth(depth, 'treeAggregate()'));
  if (sizes.length === 0) return rdd.aggregate(zero, seqOp as any, combOp as any, captures);
  // Round one folds each partition with seqOp (map side) into the first round's partitions with combOp.
  let partials: RDD<[number, U]> = keyed.aggregateByKey(
    mapPartitions(rdd, keyByPartition, true, { parts: sizes[0] }, { label: 'treeAggregate' }),
    zero,
    seqOp,
    combOp,
    sizes[0],
    captures,
  );
  for (const size of sizes.slice(1)) {
    const rekeyed = mapPartitions(partials.values(), keyByPartition, true, { parts: size }, { label: 'treeAggregate' });
    partials = keyed.reduceByKey(rekeyed, combOp, size, captures);
  }
  return partials.values().fold(zero, combOp as any, captures);
}

export async function treeReduce<T>(
  rdd: RDD<T>,
  fn: unknown,
  depth: number,
  captures: Captures | undefined,
): Promise<T> {
  const sizes = roundSizes(rdd.getNumPartitions(), checkDepth(depth, 'treeReduce()'));
  let partials: RDD<T> = rdd;
  for (const size of sizes) {
    const rekeyed = mapPartitions(partials, keyByPartition, true, { parts: size }, { label: 'treeReduce' });
    partials = keyed.reduceByKey<[number, T]>(rekeyed, fn, size, captures).values();
  }
  return partials.reduce(fn as any, captures);
}
