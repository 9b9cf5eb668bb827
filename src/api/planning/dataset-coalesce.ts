/**
 * `Dataset.coalesce(n)`: fewer partitions without a shuffle, each task reading a run of consecutive partitions of
 * the input one after the other (Spark's narrow coalesce; `repartition` is the one that shuffles).
 */
import { checkPartitionCount } from '../../plan/plan-builder.js';
import type { DatasetParts } from './dataset-join.js';
import type { Dataset } from '../dataset/dataset.js';

/**
 * `partitions` partition indices cut into `groups` runs of consecutive ones whose sizes differ by one at most.
 *
 * @example
 * consecutiveGroups(5, 2); // [[0, 1, 2], [3, 4]]
 */
export function consecutiveGroups(partitions: number, groups: number): number[][] {
  const runs: number[][] = Array.from({ length: groups }, () => []);
  for (let p = 0; p < partitions; p++) runs[Math.floor((p * groups) / partitions)]!.push(p);
  return runs;
}

/** The dataset in at most `numPartitions` partitions, by merging consecutive ones; itself when it has no more. */
export function planCoalesce(self: Dataset, parts: DatasetParts, numPartitions: number): Dataset {
  const n = checkPartitionCount(numPartitions, 'coalesce()');
  const input = parts.node({ kind: 'rows' }, 'coalesce (input)');
  if (n >= input.numPartitions) return self;
  const merged = parts.context.plan.coalesce(input, consecutiveGroups(input.numPartitions, n), `coalesce(${n})`);
  return parts.over(merged, []);
}
