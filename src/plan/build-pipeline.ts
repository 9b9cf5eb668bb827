import type { BlockRef } from '../protocol/block.js';
import type { MapOutputTable } from '../protocol/map-output.js';
import type { NarrowOp, PipelineNode, ReduceSpec } from '../protocol/pipeline.js';
import { assert } from '../common/assert.js';
import type { NarrowNode, PlanNode, ShuffleDependency } from './plan-node.js';

/** What the pipeline builder asks of the scheduler: map outputs and cached partitions. */
export interface PipelineInputs {
  /**
   * The map output table a reader of `reducePartition` of `shuffleId` reads (throws when a block is missing; with
   * `complete`, when any map output is missing or lost any block).
   */
  shuffleTable(shuffleId: number, reducePartition: number, complete?: boolean): MapOutputTable;
  /** A cached partition of a persisted dataset, if the block store still has it. */
  cachedBlock(datasetId: number, partition: number): BlockRef | undefined;
  /** The shared string dictionaries of a persisted dataset's columnar partitions (none: one per partition). */
  sharedDictionaries?(datasetId: number): SharedArrayBuffer | undefined;
}

/**
 * The computation of `partition` of `node` within its stage, as the plain-data tree a worker runs (DESIGN.md §3):
 * consecutive narrow operations are fused into one `narrow` node (no materialization between them), shuffle
 * dependencies become `shuffle-read` leaves, and persisted datasets read their cached block or publish one.
 * A checkpointed dataset reads its part file (unless that file is damaged); one whose checkpoint a job is writing
 * gets a `checkpoint-write` node, so the partition the job computes anyway is the one written.
 */
export function buildPipeline(node: PlanNode, partition: number, inputs: PipelineInputs): PipelineNode {
  assert(partition >= 0 && partition < node.numPartitions, `partition ${partition} of dataset ${node.id}`);
  const cached = node.persisted ? inputs.cachedBlock(node.id, partition) : undefined;
  let pipeline: PipelineNode;
  if (cached !== undefined) pipeline = { kind: 'source', source: { kind: 'blocks', blocks: [cached] } };
  else {
    pipeline = buildFromCheckpoint(node, partition) ?? buildUncached(node, partition, inputs);
    if (node.persisted) {
      const sharedDictionaries = pipeline.kind === 'columnar' ? inputs.sharedDictionaries?.(node.id) : undefined;
      pipeline = { kind: 'cache', datasetId: node.id, partition, input: pipeline };
      if (sharedDictionaries !== undefined) pipeline = { ...pipeline, sharedDictionaries };
    }
  }
  const checkpoint = node.checkpoint;
  if (checkpoint?.status === 'pending' && checkpoint.report !== null && checkpoint.dir !== null) {
    return { kind: 'checkpoint-write', dir: checkpoint.dir, partition, report: checkpoint.report, input: pipeline };
  }
  return pipeline;
}

/** The part file of a written checkpoint, unless it was found damaged (then lineage recomputes it). */
function buildFromCheckpoint(node: PlanNode, partition: number): PipelineNode | undefined {
  const checkpoint = node.checkpoint;
  if (checkpoint?.status !== 'written' || checkpoint.parts === null || checkpoint.damaged.has(partition)) return;
  return { kind: 'source', source: checkpoint.parts[partition]! };
}

function buildUncached(node: PlanNode, partition: number, inputs: PipelineInputs): PipelineNode {
  switch (node.kind) {
    case 'source':
      return { kind: 'source', source: node.partitions[partition]! };
    case 'narrow': {
      if (node.op.kind === 'builtin' && node.op.op.name === 'columnar') {
        const input = buildPipeline(node.parent, partition, inputs);
        return { kind: 'columnar', stage: node.op.op.stage, input, partition };
      }
      // Fuse the chain down to the first node that is not a plain narrow node (or is persisted: its block is a
      // boundary of its own).
      const ops: NarrowOp[] = [opFor(node, partition)];
      let bottom: PlanNode = node.parent;
      while (bottom.kind === 'narrow' && !bottom.persisted && !isColumnar(bottom.op) && !bottom.checkpoint) {
        ops.push(opFor(bottom, partition));
        bottom = bottom.parent;
      }
      ops.reverse();
      return { kind: 'narrow', ops, partition, input: buildPipeline(bottom, partition, inputs) };
    }
    case 'union': {
      let local = partition;
      for (const parent of node.parents) {
        if (local < parent.numPartitions) return buildPipeline(parent, local, inputs);
        local -= parent.numPartitions;
      }
      throw new Error(`union partition ${partition} out of range`);
    }
    case 'coalesce':
      return { kind: 'concat', inputs: node.groups[partition]!.map((p) => buildPipeline(node.parent, p, inputs)) };
    case 'cartesian': {
      const rightCount = node.right.numPartitions;
      return {
        kind: 'cartesian',
        left: buildPipeline(node.left, Math.floor(partition / rightCount), inputs),
        right: buildPipeline(node.right, partition % rightCount, inputs),
      };
    }
    case 'shuffled':
      return shuffleRead(node.dependency.shuffleId, partition, node.reduce, inputs, node.dependency);
    case 'cogroup':
      return {
        kind: 'cogroup',
        inputs: node.inputs.map((input) =>
          input.kind === 'narrow'
            ? buildPipeline(input.parent, partition, inputs)
            : shuffleRead(
                input.dependency.shuffleId,
                partition,
                { aggregation: { kind: 'none' }, sortByKey: null },
                inputs,
              ),
        ),
      };
  }
}

/** A reader of reduce partition `partition`: names the table version, never lists the map outputs. */
function shuffleRead(
  shuffleId: number,
  partition: number,
  reduce: ReduceSpec,
  inputs: PipelineInputs,
  dependency: ShuffleDependency | null = null,
): PipelineNode {
  // A reader of sorted runs reads segments by key, not its own partition's: any lost block may be one it reads, and
  // a complete table means every map output ran, so the bounds were picked.
  const complete = dependency?.sortedRuns === true;
  const { version } = inputs.shuffleTable(shuffleId, partition, complete);
  const read = { kind: 'shuffle-read', shuffleId, version, reducePartition: partition, reduce } as const;
  const sortedRuns = dependency === null ? null : sortedRunsOf(dependency);
  return sortedRuns === null ? read : { ...read, sortedRuns };
}

type SortedRunsRead = NonNullable<Extract<PipelineNode, { kind: 'shuffle-read' }>['sortedRuns']>;

/** What the reader of a one-pass sort's runs needs: the bounds the map stage picked (so it ran before). */
function sortedRunsOf(dependency: ShuffleDependency): SortedRunsRead | null {
  const { partitioner } = dependency;
  if (dependency.sortedRuns !== true || partitioner.kind !== 'range') return null;
  assert(partitioner.bounds !== null, `the bounds of sorted shuffle ${dependency.shuffleId} are known`);
  return { bounds: partitioner.bounds, ascending: partitioner.ascending };
}

/** The node's op for one partition: `zipWithIndex` gets that partition's start index. */
function opFor(node: NarrowNode, partition: number): NarrowOp {
  if (node.zipStarts === undefined) return node.op;
  assert(node.zipStarts !== null, `zipWithIndex offsets of dataset ${node.id} were resolved before use`);
  return { kind: 'builtin', op: { name: 'zip-with-index', startIndex: node.zipStarts[partition]! } };
}

/** A `Dataset` stage: a pipeline node of its own, never fused into a record loop. */
function isColumnar(op: NarrowOp): boolean {
  return op.kind === 'builtin' && op.op.name === 'columnar';
}
