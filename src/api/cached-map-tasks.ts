/**
 * How many map tasks an aggregation over a cached dataset runs: one per thread, each reading several cached
 * partitions one after the other (as Spark's coalesce of input splits), rather than one task per cached partition.
 * A partial aggregation's output is about one row per group it met, whatever its input's size, so a key of many
 * groups shipped one partial row per group and per cached partition: db-benchmark's q3 (100 k groups in each of 16
 * partitions) wrote, re-read and merged 1.57 M partial rows for 100 k groups, more work than grouping its 10 M
 * rows. Combined in the map task, each thread's partials leave once (2 × 100 k rows).
 *
 * A cached partition lost later is still right on this path: the task that reads it recomputes it from lineage,
 * as any reader of a cached block does; a failed task re-runs all of its partitions.
 */
import type { PlanNode } from '../plan/plan-node.js';
import { isCachedNow, type DatasetParts } from './dataset-join.js';

/**
 * The cached partitions of `parts` grouped into at most `tasks` map tasks (consecutive partitions, sizes differing
 * by one at most), as a coalesce of its base; null when the dataset is not cached now (a source read or a computed
 * input keeps its task per partition: parsing or computing is where its parallelism lies) or when grouping would
 * not merge any partitions.
 *
 * @example
 * const base = combinedCachedPartitions(parts, options.defaultParallelism) ?? parts.base;
 */
export function combinedCachedPartitions(parts: DatasetParts, tasks: number): PlanNode | null {
  const base = parts.base;
  const partitions = base.numPartitions;
  if (tasks >= partitions || !isCachedNow(parts)) return null;
  const groups: number[][] = Array.from({ length: tasks }, () => []);
  for (let p = 0; p < partitions; p++) groups[Math.floor((p * tasks) / partitions)]!.push(p);
  return parts.context.plan.coalesce(base, groups, 'cached partitions, several per map task');
}
