/**
 * The offsets of `zipWithIndex` (each partition's first index), which Spark computes eagerly inside the
 * transformation: ours are synchronous, so the scheduler counts the parent's partitions with a task set right before
 * the stage that needs them (DESIGN.md §2). Its own file because both kinds of stage call it: the result stage and
 * the shuffle map stages.
 */
import type { PlanNode } from '../plan/plan-node.js';
import { unresolvedZipNodes } from '../plan/stage-graph.js';
import type { JobMetrics } from './job-metrics.js';
import type { MapStageHost, ShuffleMapStages } from './shuffle-map-stages.js';
import { runTaskSet } from './task-set.js';

/** What resolving the offsets needs of the scheduler (the `DagScheduler`). */
export interface ZipOffsetsHost extends Pick<MapStageHost, 'taskSetHost' | 'newStage'> {
  readonly mapStages: ShuffleMapStages;
}

/** Counts the parent partitions of pending `zipWithIndex` nodes in a stage, to know each partition's first index. */
export async function resolveZipOffsets(
  host: ZipOffsetsHost,
  node: PlanNode,
  metrics: JobMetrics,
  abort: AbortController,
): Promise<void> {
  for (const zip of unresolvedZipNodes(node)) {
    const parent = zip.parent;
    await host.mapStages.ensureParentShuffles(parent, metrics, abort);
    const counts: number[] = new Array(parent.numPartitions).fill(0);
    await runTaskSet(
      host.taskSetHost(metrics, abort),
      host.newStage(parent, `${zip.label} (counting partitions)`),
      Array.from({ length: parent.numPartitions }, (_, i) => i),
      () => ({ kind: 'partition-action', action: { kind: 'count' } }),
      (partition, value, committed) => {
        metrics.accumulatorUpdatesDropped += committed.accumulatorUpdates.length;
        if (value.kind === 'value') counts[partition] = value.value as number;
      },
    );
    let start = 0;
    zip.zipStarts = counts.map((count) => {
      const first = start;
      start += count;
      return first;
    });
  }
}
