import type { PartitionerSpec } from '../protocol/pipeline.js';

/**
 * How a shuffle assigns keys to reduce partitions, on the driver side. A hash partitioner is fully known at
 * definition time; a range partitioner learns its bounds from a sample of the keys just before its shuffle runs
 * (Spark samples eagerly in the constructor; our actions are async, so the scheduler does it when it first needs
 * the shuffle). `bounds` is set once and never changes afterwards.
 */
export type Partitioner =
  | { readonly kind: 'hash'; readonly numPartitions: number }
  /** Keys are partition numbers (`repartition`); records are not grouped by any user key afterwards. */
  | { readonly kind: 'direct'; readonly numPartitions: number }
  | {
      readonly kind: 'range';
      readonly numPartitions: number;
      readonly ascending: boolean;
      /** Resolved by the scheduler before the shuffle's map stage runs; null until then. */
      bounds: unknown[] | null;
      /** Unique per range partitioner, so two sorts never share bounds. */
      readonly id: number;
    };

/** True when records partitioned by `a` are also partitioned by `b` (so a join or reduce needs no shuffle). */
export function samePartitioning(a: Partitioner | null, b: Partitioner | null): boolean {
  if (a === null || b === null) return false;
  if (a.kind === 'hash' && b.kind === 'hash') return a.numPartitions === b.numPartitions;
  return a === b;
}

/** The wire form for tasks; a range partitioner must have its bounds resolved first. */
export function partitionerSpec(partitioner: Partitioner): PartitionerSpec {
  if (partitioner.kind !== 'range') return { kind: partitioner.kind, numPartitions: partitioner.numPartitions };
  if (partitioner.bounds === null) throw new Error('range partitioner used before its bounds were sampled');
  return {
    kind: 'range',
    numPartitions: partitioner.numPartitions,
    bounds: partitioner.bounds,
    ascending: partitioner.ascending,
  };
}

/** A short text for `explain()`. */
export function describePartitioner(partitioner: Partitioner): string {
  if (partitioner.kind !== 'range') return `${partitioner.kind}(${partitioner.numPartitions})`;
  return `range(${partitioner.numPartitions}, ${partitioner.ascending ? 'ascending' : 'descending'})`;
}
