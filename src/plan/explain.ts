import { describePartitioner } from './partitioner.js';
import type { PlanNode, ShuffleDependency } from './plan-node.js';
import { lineageTruncated, parentsOf } from './plan-node.js';
import { planStages } from './stage-graph.js';

/**
 * The lineage and stage plan of a dataset as stable text (golden-tested), like Spark's `toDebugString` followed by
 * the stages a job would run. Indentation steps in at each shuffle, as in Spark.
 *
 * @example
 * == Lineage ==
 * [4] reduceByKey (2 partitions, hash(2))
 *  +- shuffle 0: hash(2), map-side combine
 *     [3] map (2 partitions)
 *     [1] textFile: /data/a.txt (2 partitions)
 * == Stages ==
 * stage 1: result, 2 tasks, [4] reduceByKey, reads shuffle 0
 * stage 0: shuffle-map writes shuffle 0, 2 tasks, [3] map <- [1] textFile
 */
export function explainPlan(node: PlanNode): string {
  const lines = ['== Lineage =='];
  writeLineage(node, 0, lines, new Set());
  lines.push('== Stages ==');
  const stages = planStages(node);
  for (let i = stages.length - 1; i >= 0; i--) {
    const stage = stages[i]!;
    const kind = stage.writes === null ? 'result' : `shuffle-map writes shuffle ${stage.writes.shuffleId}`;
    const reads =
      stage.parents.length === 0 ? '' : `, reads ${stage.parents.map((d) => `shuffle ${d.shuffleId}`).join(', ')}`;
    lines.push(`stage ${i}: ${kind}, ${stage.node.numPartitions} tasks, ${describeChain(stage.node)}${reads}`);
  }
  return lines.join('\n');
}

function nodeLine(node: PlanNode): string {
  const facts = [`${node.numPartitions} partition${node.numPartitions === 1 ? '' : 's'}`];
  if (node.partitioner !== null) facts.push(describePartitioner(node.partitioner));
  if (node.persisted) facts.push('persisted');
  if (node.checkpoint !== undefined) {
    const { kind, status } = node.checkpoint;
    facts.push(status === 'written' ? `${kind} checkpoint` : `${kind} checkpoint pending`);
  }
  if (!node.deterministic) facts.push('indeterminate');
  const detail = node.kind === 'source' ? `: ${node.description}` : '';
  return `[${node.id}] ${node.label}${detail} (${facts.join(', ')})`;
}

function shuffleLine(dependency: ShuffleDependency): string {
  const combine = dependency.mapSideCombine === null ? '' : ', map-side combine';
  return `+- shuffle ${dependency.shuffleId}: ${describePartitioner(dependency.partitioner)}${combine}`;
}

function writeLineage(node: PlanNode, depth: number, lines: string[], seen: Set<number>): void {
  const pad = '   '.repeat(depth);
  if (seen.has(node.id)) {
    lines.push(`${pad}[${node.id}] ${node.label} (shown above)`);
    return;
  }
  seen.add(node.id);
  lines.push(pad + nodeLine(node));
  if (lineageTruncated(node)) {
    // The checkpoint is the source now: the lineage it replaced is in its manifest, not in the plan.
    const checkpoint = node.checkpoint!;
    const where = checkpoint.kind === 'reliable' ? checkpoint.dir : 'block store + local disk';
    lines.push(`${pad} +- checkpoint: ${where} (${checkpoint.parts?.length ?? 0} part files)`);
    return;
  }
  if (node.kind === 'shuffled') {
    lines.push(`${pad} ${shuffleLine(node.dependency)}`);
    writeLineage(node.dependency.parent, depth + 1, lines, seen);
    return;
  }
  if (node.kind === 'cogroup') {
    for (const input of node.inputs) {
      if (input.kind === 'narrow') writeLineage(input.parent, depth, lines, seen);
      else {
        lines.push(`${pad} ${shuffleLine(input.dependency)}`);
        writeLineage(input.dependency.parent, depth + 1, lines, seen);
      }
    }
    return;
  }
  for (const parent of parentsOf(node)) writeLineage(parent, depth, lines, seen);
}

/** The narrow chain of a stage, top first: `[3] map <- [2] flatMap <- [1] textFile`. */
export function describeChain(node: PlanNode): string {
  const names: string[] = [];
  const walk = (current: PlanNode) => {
    names.push(`[${current.id}] ${current.label}`);
    if (current.kind === 'shuffled' || lineageTruncated(current)) return;
    if (current.kind === 'cogroup') {
      for (const input of current.inputs) if (input.kind === 'narrow') walk(input.parent);
      return;
    }
    for (const parent of parentsOf(current)) walk(parent);
  };
  walk(node);
  return names.join(' <- ');
}
