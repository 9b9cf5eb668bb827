import type { Aggregator, NarrowOp, ReduceSpec, SourceSpec } from '../protocol/pipeline.js';
import { PlanError } from '../common/errors.js';
import { samePartitioning, type Partitioner } from './partitioner.js';
import type { CoGroupInput, NarrowNode, PlanNode, ShuffledNode } from './plan-node.js';

/**
 * Makes lineage nodes with ids unique within one Context. The only place nodes are created, so every node gets
 * its id, partition count, partitioner and determinism the same way.
 */
export class PlanBuilder {
  private nextNodeId = 0;
  private nextShuffleId = 0;
  private nextRangeId = 0;

  source(label: string, description: string, partitions: readonly SourceSpec[]): PlanNode {
    return {
      kind: 'source',
      id: this.nextNodeId++,
      label,
      description,
      partitions,
      numPartitions: partitions.length,
      partitioner: null,
      deterministic: true,
      persisted: false,
    };
  }

  /** A narrow op over `parent`; `preservesPartitioning` keeps the parent's partitioner (filter, mapValues …). */
  narrow(
    parent: PlanNode,
    label: string,
    op: NarrowOp,
    options: { preservesPartitioning?: boolean; deterministic?: boolean } = {},
  ): NarrowNode {
    const node: NarrowNode = {
      kind: 'narrow',
      id: this.nextNodeId++,
      label,
      parent,
      op,
      numPartitions: parent.numPartitions,
      partitioner: options.preservesPartitioning === true ? parent.partitioner : null,
      deterministic: parent.deterministic && options.deterministic !== false,
      persisted: false,
    };
    if (op.kind === 'builtin' && op.op.name === 'zip-with-index') node.zipStarts = null;
    return node;
  }

  union(parents: readonly PlanNode[]): PlanNode {
    return {
      kind: 'union',
      id: this.nextNodeId++,
      label: 'union',
      parents,
      numPartitions: parents.reduce((sum, p) => sum + p.numPartitions, 0),
      partitioner: null,
      deterministic: parents.every((p) => p.deterministic),
      persisted: false,
    };
  }

  coalesce(parent: PlanNode, groups: readonly (readonly number[])[], label = 'coalesce'): PlanNode {
    return {
      kind: 'coalesce',
      id: this.nextNodeId++,
      label,
      parent,
      groups,
      numPartitions: groups.length,
      partitioner: null,
      deterministic: parent.deterministic,
      persisted: false,
    };
  }

  cartesian(left: PlanNode, right: PlanNode, label = 'cartesian'): PlanNode {
    return {
      kind: 'cartesian',
      id: this.nextNodeId++,
      label,
      left,
      right,
      numPartitions: left.numPartitions * right.numPartitions,
      partitioner: null,
      deterministic: left.deterministic && right.deterministic,
      persisted: false,
    };
  }

  hashPartitioner(numPartitions: number): Partitioner {
    return { kind: 'hash', numPartitions };
  }

  rangePartitioner(numPartitions: number, ascending: boolean): Partitioner {
    return { kind: 'range', numPartitions, ascending, bounds: null, id: this.nextRangeId++ };
  }

  /** A shuffle of `parent` by `partitioner`, read back with `reduce`. */
  shuffled(
    parent: PlanNode,
    label: string,
    partitioner: Partitioner,
    reduce: ReduceSpec,
    mapSideCombine: Aggregator | null,
    options: { deterministic?: boolean } = {},
  ): ShuffledNode {
    return {
      kind: 'shuffled',
      id: this.nextNodeId++,
      label,
      dependency: {
        shuffleId: this.nextShuffleId++,
        parent,
        partitioner,
        mapSideCombine,
        label,
        sortedRuns:
          partitioner.kind === 'range' &&
          partitioner.bounds === null &&
          reduce.sortByKey !== null &&
          reduce.aggregation.kind === 'none' &&
          mapSideCombine === null,
      },
      reduce,
      numPartitions: partitioner.numPartitions,
      partitioner: partitioner.kind === 'direct' ? null : partitioner,
      deterministic: parent.deterministic && options.deterministic !== false,
      persisted: false,
    };
  }

  /** Spark's `CoGroupedRDD`: parents already partitioned by `partitioner` are read directly, others shuffled. */
  cogroup(parents: readonly PlanNode[], partitioner: Partitioner, label: string): PlanNode {
    const inputs: CoGroupInput[] = parents.map((parent) =>
      samePartitioning(parent.partitioner, partitioner)
        ? { kind: 'narrow', parent }
        : {
            kind: 'shuffle',
            dependency: { shuffleId: this.nextShuffleId++, parent, partitioner, mapSideCombine: null, label },
          },
    );
    return {
      kind: 'cogroup',
      id: this.nextNodeId++,
      label,
      inputs,
      numPartitions: partitioner.numPartitions,
      partitioner,
      deterministic: parents.every((p) => p.deterministic),
      persisted: false,
    };
  }
}

/** Validates a partition count argument: a positive integer, named in the error with the operation. */
export function checkPartitionCount(value: unknown, operation: string, name = 'numPartitions'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${operation}: ${name} must be a positive integer, found ${JSON.stringify(value) ?? String(value)}`,
    );
  }
  return value;
}
