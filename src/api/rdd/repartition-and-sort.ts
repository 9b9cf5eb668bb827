import { checkPartitionCount } from '../../plan/plan-builder.js';
import type { Captures } from '../context/context-internals.js';
import * as keyed from './keyed-transformations.js';
import type { RDD } from './rdd.js';
import { mapPartitions } from './shaping-transformations.js';

// Captured by the worker-side functions below; declared here so their sources type-check.
declare const parts: number;

/** Runs in the workers: `[[p, sortKey], t]` → `[[t mod parts, sortKey], p]`, `t` from the partition function. */
function toTarget(x: readonly [readonly [unknown, unknown], unknown]): [[number, unknown], unknown] {
  const t = x[1];
  if (typeof t !== 'number' || !Number.isSafeInteger(t)) {
    throw new TypeError(
      `repartitionAndSortWithinPartitions(): partitionFunc must return an integer, returned ${String(t)}`,
    );
  }
  return [[((t % parts) + parts) % parts, x[0][1]], x[0][0]];
}

/** Runs in the workers: `[k, [p, sortKey]]` of partition `index` → `[[index, sortKey], p]`. */
function atOwnPartition(index: number, records: Iterable<unknown>): Iterable<unknown> {
  const out: unknown[] = [];
  for (const record of records) {
    const [pair, sortKey] = (record as [unknown, [unknown, unknown]])[1];
    out.push([[index, sortKey], pair]);
  }
  return out;
}

/**
 * PySpark's `repartitionAndSortWithinPartitions`: pairs moved to partition `partitionFunc(key) mod numPartitions`
 * (default: the hash partitioning of `partitionBy`) and sorted by `keyfunc(key)` (default: the key) within each
 * partition, in one shuffle whose reduce side sorts (two when only `keyfunc` is given: hash placement, then the sort).
 */
export function repartitionAndSortWithinPartitions<P extends readonly [unknown, unknown]>(
  rdd: RDD<P>,
  numPartitions: number,
  partitionFunc: unknown,
  ascending: boolean,
  keyfunc: unknown,
  captures: Captures | undefined,
): RDD<P> {
  const n = checkPartitionCount(numPartitions, 'repartitionAndSortWithinPartitions()');
  const plan = rdd.context.plan;
  const label = 'repartitionAndSortWithinPartitions';
  const sorted = { aggregation: { kind: 'none' }, sortByKey: { ascending } } as const;
  if (partitionFunc === undefined && keyfunc === undefined) {
    return rdd.derive(plan.shuffled(rdd.node, label, plan.hashPartitioner(n), sorted, null));
  }
  // [k, v] -> [[k, v], k] -> [[k, v], keyfunc(k)]: user functions run as mapValues, on the key.
  const withKey = rdd.map((pair) => [pair, pair[0]] as const);
  const withSortKey: RDD<any> =
    keyfunc === undefined ? withKey : withKey.mapValues(keyfunc as (k: unknown) => unknown, captures);
  let targeted: RDD<any>;
  if (partitionFunc !== undefined) {
    const withTarget = withSortKey
      .map((x) => [x, x[0][0]] as const)
      .mapValues(partitionFunc as (k: unknown) => unknown, captures);
    targeted = withTarget.map(toTarget, { parts: n });
  } else {
    const placed = keyed.partitionBy<[unknown, unknown]>(
      withSortKey.map((x) => [x[0][0], x] as const),
      n,
    );
    targeted = mapPartitions(placed, atOwnPartition, true, {}, { label });
  }
  const shuffled = plan.shuffled(targeted.node, label, { kind: 'direct', numPartitions: n }, sorted, null);
  return rdd.derive<[unknown, P]>(shuffled).values();
}
