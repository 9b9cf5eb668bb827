import type { NarrowNode, PlanNode, ShuffleDependency } from './plan-node.js';
import { lineageTruncated, parentsOf } from './plan-node.js';

/** Tells whether every partition of a persisted node is cached, so lineage below it need not run. */
export type IsFullyCached = (node: PlanNode) => boolean;

/**
 * The shuffle dependencies a stage ending at `node` reads: found by walking narrow dependencies down from `node`
 * and stopping at each shuffle (Spark's `getShuffleDependencies`). In first-seen order, each once.
 */
export function shuffleDependenciesOf(node: PlanNode, isFullyCached: IsFullyCached = () => false): ShuffleDependency[] {
  const found: ShuffleDependency[] = [];
  const seenShuffles = new Set<number>();
  const seenNodes = new Set<number>();
  const stack: PlanNode[] = [node];
  const addShuffle = (dependency: ShuffleDependency) => {
    if (!seenShuffles.has(dependency.shuffleId)) {
      seenShuffles.add(dependency.shuffleId);
      found.push(dependency);
    }
  };
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (seenNodes.has(current.id)) continue;
    seenNodes.add(current.id);
    if (current.persisted && isFullyCached(current)) continue;
    if (lineageTruncated(current)) continue;
    switch (current.kind) {
      case 'source':
        break;
      case 'narrow':
      case 'coalesce':
        stack.push(current.parent);
        break;
      case 'union':
        for (let i = current.parents.length - 1; i >= 0; i--) stack.push(current.parents[i]!);
        break;
      case 'cartesian':
        stack.push(current.right, current.left);
        break;
      case 'shuffled':
        addShuffle(current.dependency);
        break;
      case 'cogroup':
        for (let i = current.inputs.length - 1; i >= 0; i--) {
          const input = current.inputs[i]!;
          if (input.kind === 'narrow') stack.push(input.parent);
          else addShuffle(input.dependency);
        }
        break;
    }
  }
  return found;
}

/** A stage of the plan: the narrow region ending at `node`, reading `parents`, writing `writes` (null: result). */
export interface PlannedStage {
  readonly node: PlanNode;
  readonly writes: ShuffleDependency | null;
  readonly parents: readonly ShuffleDependency[];
}

/**
 * Every stage needed to compute `finalNode`, parents before children (a topological order), the result stage last.
 * Pure: the scheduler uses it to run a job, `explain()` to print one.
 */
export function planStages(finalNode: PlanNode, isFullyCached: IsFullyCached = () => false): PlannedStage[] {
  const ordered: PlannedStage[] = [];
  const done = new Set<number>();
  const visit = (node: PlanNode, writes: ShuffleDependency | null) => {
    const parents = shuffleDependenciesOf(node, isFullyCached);
    for (const parent of parents) {
      if (done.has(parent.shuffleId)) continue;
      done.add(parent.shuffleId);
      visit(parent.parent, parent);
    }
    ordered.push({ node, writes, parents });
  };
  visit(finalNode, null);
  return ordered;
}

/**
 * `zipWithIndex` nodes in the stage ending at `node` whose start offsets are not known yet (they need a count job
 * over their parent first), deepest first so a zip over a zip resolves in order.
 */
export function unresolvedZipNodes(node: PlanNode): NarrowNode[] {
  const found: NarrowNode[] = [];
  const seen = new Set<number>();
  const visit = (current: PlanNode) => {
    if (seen.has(current.id)) return;
    seen.add(current.id);
    if (current.kind === 'shuffled' || lineageTruncated(current)) return;
    if (current.kind === 'cogroup') {
      for (const input of current.inputs) if (input.kind === 'narrow') visit(input.parent);
      return;
    }
    for (const parent of parentsOf(current)) visit(parent);
    if (current.kind === 'narrow' && current.zipStarts === null) found.push(current);
  };
  visit(node);
  return found;
}
