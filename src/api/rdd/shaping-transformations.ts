import { PlanError } from '../../common/errors.js';
import { shipFunction } from '../../plan/capture.js';
import { builtins } from './builtin-functions.js';
import { refuseUnknownOptions } from '../../common/check-options.js';
import {
  PARTITION_FUNCTION_OPTIONS,
  type Captures,
  type PartitionFunctionOptions,
} from '../context/context-internals.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import { cogroup, combineWith, pairWithNull } from './keyed-transformations.js';
import type { RDD } from './rdd.js';

/** Transformations that change a dataset's shape: partition-wise functions, sampling, set operations, repartitioning. */

export function mapPartitions<U>(
  rdd: RDD<any>,
  fn: unknown,
  withIndex: boolean,
  captures: Captures | undefined,
  options: (PartitionFunctionOptions & { label?: string }) | undefined,
): RDD<U> {
  // kindling's own operations built on mapPartitions (stats, pipe …) name themselves in explain() and errors.
  const { label: ownLabel, ...userOptions } = options ?? {};
  const label = ownLabel ?? (withIndex ? 'mapPartitionsWithIndex' : 'mapPartitions');
  refuseUnknownOptions(`${label}()`, options === undefined ? undefined : userOptions, PARTITION_FUNCTION_OPTIONS);
  const shipped = shipFunction(fn, {
    label: `${label}()`,
    captures: captures ?? {},
    deterministic: options?.deterministic !== false,
  });
  return rdd.derive(
    rdd.context.plan.narrow(
      rdd.node,
      label,
      { kind: 'mapPartitions', fn: shipped, withIndex },
      {
        preservesPartitioning: options?.preservesPartitioning === true,
        deterministic: shipped.deterministic,
      },
    ),
  );
}

export function sample<T>(rdd: RDD<T>, withReplacement: boolean, fraction: number, seed?: number): RDD<T> {
  if (typeof withReplacement !== 'boolean') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `sample(): withReplacement must be a boolean, found ${String(withReplacement)}`,
    );
  }
  if (typeof fraction !== 'number' || !(fraction >= 0) || (!withReplacement && fraction > 1)) {
    const range = withReplacement ? '>= 0' : 'between 0 and 1';
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `sample(): fraction must be ${range}, found ${String(fraction)}`);
  }
  if (seed !== undefined && !Number.isSafeInteger(seed)) {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `sample(): seed must be an integer, found ${String(seed)}`);
  }
  return rdd.derive(
    rdd.context.plan.narrow(
      rdd.node,
      'sample',
      { kind: 'builtin', op: { name: 'sample', withReplacement, fraction, seed: seed ?? rdd.context.nextSeed() } },
      { preservesPartitioning: true, deterministic: seed !== undefined },
    ),
  );
}

export function distinct<T>(rdd: RDD<T>, numPartitions?: number): RDD<T> {
  if (numPartitions !== undefined) checkPartitionCount(numPartitions, 'distinct()');
  const keepFirst = builtins.keepFirst('distinct()');
  const aggregator = { createCombiner: null, zero: null, mergeValue: keepFirst, mergeCombiners: keepFirst };
  return combineWith<[T, null]>(pairWithNull(rdd, 'distinct'), 'distinct', aggregator, numPartitions).keys() as RDD<T>;
}

export function intersection<T>(rdd: RDD<T>, other: RDD<T>, numPartitions?: number): RDD<T> {
  const grouped = cogroup<unknown>(
    pairWithNull(rdd, 'intersection'),
    [pairWithNull(other, 'intersection')],
    numPartitions,
    'intersection',
  );
  return grouped.derive(
    rdd.context.plan.narrow(grouped.node, 'intersection keys', {
      kind: 'builtin',
      op: { name: 'cogroup-filter-keys', nonEmpty: [0, 1], empty: [] },
    }),
  );
}

export function subtract<T>(rdd: RDD<T>, other: RDD<T>, numPartitions?: number): RDD<T> {
  if (numPartitions !== undefined) checkPartitionCount(numPartitions, 'subtract()');
  return pairWithNull(rdd, 'subtract')
    .subtractByKey(pairWithNull(other, 'subtract'), numPartitions ?? rdd.getNumPartitions())
    .keys() as RDD<T>;
}

export function repartition<T>(rdd: RDD<T>, numPartitions: number): RDD<T> {
  const plan = rdd.context.plan;
  const keyed = plan.narrow(rdd.node, 'repartition keys', {
    kind: 'builtin',
    op: { name: 'round-robin-key', numPartitions },
  });
  const shuffled = plan.shuffled(
    keyed,
    'repartition',
    { kind: 'direct', numPartitions },
    { aggregation: { kind: 'none' }, sortByKey: null },
    null,
    { deterministic: false },
  );
  return rdd.derive(plan.narrow(shuffled, 'repartition values', { kind: 'builtin', op: { name: 'values' } }));
}

/** Spark's default coalescer without locality: output partition `i` takes a contiguous, even run of parents. */
export function coalesce<T>(rdd: RDD<T>, numPartitions: number, shuffle: boolean): RDD<T> {
  if (shuffle) return repartition(rdd, numPartitions);
  const parents = rdd.getNumPartitions();
  if (numPartitions >= parents) return rdd;
  const groups = Array.from({ length: numPartitions }, (_, i) => {
    const start = Math.floor((i * parents) / numPartitions);
    const end = Math.floor(((i + 1) * parents) / numPartitions);
    return Array.from({ length: end - start }, (_, j) => start + j);
  });
  return rdd.derive(rdd.context.plan.coalesce(rdd.node, groups));
}
