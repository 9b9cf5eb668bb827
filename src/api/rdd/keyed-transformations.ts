import type { Aggregator } from '../../protocol/pipeline.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import { samePartitioning, type Partitioner } from '../../plan/partitioner.js';
import { shipFunction } from '../../plan/capture.js';
import { builtins } from './builtin-functions.js';
import type { Captures } from '../context/context-internals.js';
import type { RDD } from './rdd.js';

/**
 * Transformations of `[key, value]` datasets, with Spark's semantics. The default partition count of a keyed
 * operation is the parent's (Spark's default when `spark.default.parallelism` is unset).
 */

function partitionsFor(rdd: RDD<any>, numPartitions: number | undefined, operation: string): number {
  return numPartitions === undefined ? rdd.getNumPartitions() : checkPartitionCount(numPartitions, operation);
}

function ship(fn: unknown, label: string, captures: Captures | undefined) {
  return shipFunction(fn, { label, captures: captures ?? {} });
}

/**
 * A hash shuffle that combines with `aggregator` on both sides; or, when the parent is already hash-partitioned
 * into `numPartitions` (after a `partitionBy`, an earlier aggregation, a `readCheckpoint` of one), a narrow
 * per-partition combine with no shuffle, as Spark does.
 */
export function combineWith<U>(
  rdd: RDD<any>,
  label: string,
  aggregator: Aggregator,
  numPartitions: number | undefined,
): RDD<U> {
  const n = partitionsFor(rdd, numPartitions, `${label}()`);
  const plan = rdd.context.plan;
  const partitioner = plan.hashPartitioner(n);
  if (samePartitioning(rdd.node.partitioner, partitioner)) {
    const op = { kind: 'builtin', op: { name: 'combine-by-key', aggregator } } as const;
    return rdd.derive(plan.narrow(rdd.node, label, op, { preservesPartitioning: true }));
  }
  return rdd.derive(
    plan.shuffled(
      rdd.node,
      label,
      partitioner,
      { aggregation: { kind: 'combine', aggregator, mapSideCombined: true }, sortByKey: null },
      aggregator,
    ),
  );
}

export function reduceByKey<U>(rdd: RDD<any>, fn: unknown, numPartitions?: number, captures?: Captures): RDD<U> {
  const merge = ship(fn, 'reduceByKey()', captures);
  return combineWith(
    rdd,
    'reduceByKey',
    { createCombiner: null, zero: null, mergeValue: merge, mergeCombiners: merge },
    numPartitions,
  );
}

export function foldByKey<U>(
  rdd: RDD<any>,
  zero: unknown,
  fn: unknown,
  numPartitions?: number,
  captures?: Captures,
): RDD<U> {
  const merge = ship(fn, 'foldByKey()', captures);
  return combineWith(
    rdd,
    'foldByKey',
    { createCombiner: null, zero: { value: zero }, mergeValue: merge, mergeCombiners: merge },
    numPartitions,
  );
}

export function aggregateByKey<U>(
  rdd: RDD<any>,
  zero: unknown,
  seqOp: unknown,
  combOp: unknown,
  numPartitions?: number,
  captures?: Captures,
): RDD<U> {
  return combineWith(
    rdd,
    'aggregateByKey',
    {
      createCombiner: null,
      zero: { value: zero },
      mergeValue: ship(seqOp, 'aggregateByKey() seqOp', captures),
      mergeCombiners: ship(combOp, 'aggregateByKey() combOp', captures),
    },
    numPartitions,
  );
}

export function combineByKey<U>(
  rdd: RDD<any>,
  createCombiner: unknown,
  mergeValue: unknown,
  mergeCombiners: unknown,
  numPartitions?: number,
  captures?: Captures,
): RDD<U> {
  return combineWith(
    rdd,
    'combineByKey',
    {
      createCombiner: ship(createCombiner, 'combineByKey() createCombiner', captures),
      zero: null,
      mergeValue: ship(mergeValue, 'combineByKey() mergeValue', captures),
      mergeCombiners: ship(mergeCombiners, 'combineByKey() mergeCombiners', captures),
    },
    numPartitions,
  );
}

export function groupByKey<U>(rdd: RDD<any>, numPartitions?: number): RDD<U> {
  const plan = rdd.context.plan;
  const n = partitionsFor(rdd, numPartitions, 'groupByKey()');
  return rdd.derive(
    plan.shuffled(
      rdd.node,
      'groupByKey',
      plan.hashPartitioner(n),
      { aggregation: { kind: 'group' }, sortByKey: null },
      null,
    ),
  );
}

export function sortByKey<U>(rdd: RDD<any>, ascending: boolean, numPartitions?: number): RDD<U> {
  const plan = rdd.context.plan;
  const n = partitionsFor(rdd, numPartitions, 'sortByKey()');
  return rdd.derive(
    plan.shuffled(
      rdd.node,
      'sortByKey',
      plan.rangePartitioner(n, ascending),
      { aggregation: { kind: 'none' }, sortByKey: { ascending } },
      null,
    ),
  );
}

export function partitionBy<U>(rdd: RDD<any>, numPartitions: number): RDD<U> {
  const plan = rdd.context.plan;
  const partitioner = plan.hashPartitioner(numPartitions);
  if (samePartitioning(rdd.node.partitioner, partitioner)) return rdd as RDD<U>;
  return rdd.derive(
    plan.shuffled(rdd.node, 'partitionBy', partitioner, { aggregation: { kind: 'none' }, sortByKey: null }, null),
  );
}

/**
 * The partitioner of a cogroup (Spark's `defaultPartitioner`): the hash partitioner of the parent with the most
 * partitions if one has it, else hash over the largest parent's partition count (or the count asked for).
 */
function cogroupPartitioner(
  rdds: readonly RDD<any>[],
  numPartitions: number | undefined,
  operation: string,
): Partitioner {
  const plan = rdds[0]!.context.plan;
  if (numPartitions !== undefined) return plan.hashPartitioner(checkPartitionCount(numPartitions, operation));
  const partitioned = rdds
    .map((rdd) => rdd.node.partitioner)
    .filter((p): p is Partitioner => p !== null && p.kind === 'hash')
    .sort((a, b) => b.numPartitions - a.numPartitions);
  if (partitioned.length > 0) return partitioned[0]!;
  return plan.hashPartitioner(Math.max(...rdds.map((rdd) => rdd.getNumPartitions())));
}

export function cogroup<U>(
  rdd: RDD<any>,
  others: readonly RDD<any>[],
  numPartitions?: number,
  label = 'cogroup',
): RDD<U> {
  const all = [rdd, ...others];
  const partitioner = cogroupPartitioner(all, numPartitions, `${label}()`);
  return rdd.derive(
    rdd.context.plan.cogroup(
      all.map((r) => r.node),
      partitioner,
      label,
    ),
  );
}

export function join<U>(
  rdd: RDD<any>,
  other: RDD<any>,
  how: 'inner' | 'left' | 'right' | 'full',
  numPartitions?: number,
): RDD<U> {
  const label = { inner: 'join', left: 'leftOuterJoin', right: 'rightOuterJoin', full: 'fullOuterJoin' }[how];
  const grouped = cogroup<unknown>(rdd, [other], numPartitions, label);
  return grouped.derive(
    rdd.context.plan.narrow(
      grouped.node,
      `${label} rows`,
      { kind: 'builtin', op: { name: 'join-rows', how } },
      { preservesPartitioning: true },
    ),
  );
}

export function subtractByKey<U>(rdd: RDD<any>, other: RDD<any>, numPartitions?: number): RDD<U> {
  const grouped = cogroup<unknown>(rdd, [other], numPartitions ?? rdd.getNumPartitions(), 'subtractByKey');
  return grouped.derive(
    rdd.context.plan.narrow(
      grouped.node,
      'subtractByKey rows',
      { kind: 'builtin', op: { name: 'subtract-by-key' } },
      { preservesPartitioning: true },
    ),
  );
}

/** `[record, null]` pairs, for set operations built on keyed ones. */
export function pairWithNull(rdd: RDD<any>, label: string): RDD<[unknown, null]> {
  return rdd.derive(rdd.context.plan.narrow(rdd.node, label, { kind: 'map', fn: builtins.pairWithNull(`${label}()`) }));
}
