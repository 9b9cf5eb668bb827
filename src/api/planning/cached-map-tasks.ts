/**
 * How many map tasks an aggregation (or a filtered ranking window's map side) over a cached dataset runs: one per thread, each reading several cached
 * partitions one after the other (as Spark's coalesce of input splits), rather than one task per cached partition.
 * A partial aggregation's output is about one row per group it met, whatever its input's size, so a key of many
 * groups shipped one partial row per group and per cached partition: db-benchmark's q3 (100 k groups in each of 16
 * partitions) wrote, re-read and merged 1.57 M partial rows for 100 k groups, more work than grouping its 10 M
 * rows. Combined in the map task, each thread's partials leave once (2 × 100 k rows).
 *
 * A cached partition lost later is still right on this path: the task that reads it recomputes it from lineage,
 * as any reader of a cached block does; a failed task re-runs all of its partitions.
 */
import type { PlanNode } from '../../plan/plan-node.js';
import type { ColumnarOp } from '../../protocol/columnar.js';
import type { DatasetParts } from './dataset-join.js';
import { consecutiveGroups } from './dataset-coalesce.js';

/**
 * Ops that give a row's output from that row alone, whichever partition it is read in: they may run over several
 * cached partitions in one task. (A sample, for one, draws by partition index: not here.)
 */
const ROW_WISE = new Set<ColumnarOp['kind']>(['select', 'with-column', 'filter', 'drop-nulls', 'fill-nulls']);

/**
 * The cached partitions of `parts` grouped into at most `tasks` map tasks (consecutive partitions, sizes differing
 * by one at most), as a coalesce of its base; null when the dataset is not cached now, or has more than row-wise ops
 * over its cache (a source read or a computed input keeps its task per partition: parsing or computing is where its
 * parallelism lies), or when grouping would not merge any partitions.
 *
 * @example
 * const base = combinedCachedPartitions(parts, options.defaultParallelism) ?? parts.base;
 */
export function combinedCachedPartitions(parts: DatasetParts, tasks: number): PlanNode | null {
  const base = parts.base;
  const partitions = base.numPartitions;
  if (tasks >= partitions || !cachedWithRowWiseOps(parts)) return null;
  return parts.context.plan.coalesce(
    base,
    consecutiveGroups(partitions, tasks),
    'cached partitions, several per map task',
  );
}

/** Whether `parts` reads a fully cached dataset through row-wise ops only (`ROW_WISE`: filters and projections). */
function cachedWithRowWiseOps(parts: DatasetParts): boolean {
  const base = parts.base;
  return base.persisted && parts.context.isFullyCached(base) && parts.ops.every((op) => ROW_WISE.has(op.kind));
}
