/**
 * How a `Dataset`'s pending operators become plan nodes: one columnar stage ending in a sink, and the shuffle that
 * reads such a stage's output. Every verb that cuts a stage goes through these two.
 */
import type { ColumnarOp, ColumnarSink } from '../../protocol/columnar.js';
import { columnarStageOf } from '../../plan/columnar-explain.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';

/**
 * The operators `ops` pending over `base` as one columnar stage ending in `sink`; `base` itself when there is
 * nothing to add (no operator, and `base` already ends in a rows sink).
 *
 * @example
 * const node = stageNode(context, base, ops, { kind: 'rows' }, 'toRDD');
 */
export function stageNode(
  context: ContextInternals,
  base: PlanNode,
  ops: readonly ColumnarOp[],
  sink: ColumnarSink,
  label: string,
): PlanNode {
  if (ops.length === 0 && sink.kind === 'rows' && columnarStageOf(base)?.sink.kind === 'rows') return base;
  return context.plan.narrow(base, label, { kind: 'builtin', op: { name: 'columnar', stage: { ops, sink } } });
}

/**
 * The shuffle of the stage `ops` over `base` ending in `sink` (its map side, labelled `label (map side)`) into
 * `numPartitions` partitions: by hash, or `byRange` on keys sampled by a job first (as `sortByKey`).
 *
 * @example
 * const shuffled = shuffleStage(context, base, ops, { kind: 'gather' }, 'limit', 1);
 */
export function shuffleStage(
  context: ContextInternals,
  base: PlanNode,
  ops: readonly ColumnarOp[],
  sink: ColumnarSink,
  label: string,
  numPartitions: number,
  byRange = false,
): PlanNode {
  const plan = context.plan;
  return plan.shuffled(
    stageNode(context, base, ops, sink, `${label} (map side)`),
    label,
    byRange ? plan.rangePartitioner(numPartitions, true) : plan.hashPartitioner(numPartitions),
    { aggregation: { kind: 'none' }, sortByKey: null },
    null,
  );
}
