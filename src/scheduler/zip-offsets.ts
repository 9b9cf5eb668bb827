/**
 * The offsets of `zipWithIndex` (each partition's first index), which Spark computes eagerly inside the
 * transformation: ours are synchronous, so the scheduler counts the parent's partitions with a task set right before
 * the stage that needs them (DESIGN.md §2). Its own file because both kinds of stage call it: the result stage and
 * the shuffle map stages.
 */
import { JobFailedError } from '../common/errors.js';
import type { NarrowNode, PlanNode, ZipPair } from '../plan/plan-node.js';
import { unresolvedZipNodes } from '../plan/stage-graph.js';
import type { JobMetrics } from './job-metrics.js';
import type { MapStageHost, ShuffleMapStages } from './shuffle-map-stages.js';
import { runTaskSet } from './task-set.js';

/** What resolving the offsets needs of the scheduler (the `DagScheduler`). */
export interface ZipOffsetsHost extends Pick<MapStageHost, 'taskSetHost' | 'newStage'> {
  readonly mapStages: ShuffleMapStages;
}

/**
 * Counts the parent partitions of pending `zipWithIndex` nodes in a stage, to know each partition's first index.
 * The other side of a `zip` is counted with its first side, so a `zip` of unequal counts fails before any pairing.
 */
export async function resolveZipOffsets(
  host: ZipOffsetsHost,
  node: PlanNode,
  metrics: JobMetrics,
  abort: AbortController,
): Promise<void> {
  for (const zip of unresolvedZipNodes(node)) {
    if (zip.zipStarts !== null) continue; // the other side of a zip counted earlier in this loop
    let counted = await resolveOne(host, zip, metrics, abort);
    const pair = zip.zipPair;
    if (pair === undefined) continue;
    const side = pair.sides[0] === zip ? 0 : 1;
    pair.counts[side] = counted.counts;
    const other = pair.sides[1 - side]!;
    if (other.zipStarts === null) {
      counted = await resolveOne(host, other, metrics, abort);
      pair.counts[1 - side] = counted.counts;
    }
    checkZipCounts(pair, counted.stageId);
  }
}

/**
 * Fails the job when the sides of a `zip` hold different numbers of records: every attempt of the pairing would
 * fail alike. Names both datasets, their counts and the first partition whose sizes differ.
 */
function checkZipCounts(pair: ZipPair, stageId: number): void {
  const [left, right] = pair.counts;
  if (left === null || right === null) return;
  const total = (counts: number[]) => counts.reduce((sum, n) => sum + n, 0);
  const [leftTotal, rightTotal] = [total(left), total(right)];
  if (leftTotal === rightTotal) return;
  const partition = left.findIndex((n, i) => n !== right[i]);
  throw new JobFailedError(
    `zip() needs datasets with equal numbers of records: ${pair.names[0]} has ${leftTotal} and ` +
      `${pair.names[1]} has ${rightTotal} (partition ${partition} holds ${left[partition]} and ` +
      `${right[partition]})`,
    { stageId, partition, attempt: 0 },
  );
}

async function resolveOne(
  host: ZipOffsetsHost,
  zip: NarrowNode,
  metrics: JobMetrics,
  abort: AbortController,
): Promise<{ counts: number[]; stageId: number }> {
  const parent = zip.parent;
  await host.mapStages.ensureParentShuffles(parent, metrics, abort);
  const counts: number[] = new Array(parent.numPartitions).fill(0);
  const stage = host.newStage(parent, `${zip.label} (counting partitions)`);
  await runTaskSet(
    host.taskSetHost(metrics, abort),
    stage,
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
  return { counts, stageId: stage.stageId };
}
