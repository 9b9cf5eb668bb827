/** The job behind `Dataset.write`: one task per partition of the dataset's rows, each writing its own file. */
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import type { WriteJobRunner } from './dataset-writer.js';

/**
 * The runner a `DatasetWriter` calls when saving: it plans `node()` then (so a writer made before a `persist`
 * writes what is current at save time) and answers the partition count and how to run tasks of that one plan: a
 * job of the given partitions, answering the job's metrics.
 *
 * @example
 * new DatasetWriter(writeJobRunner(context, () => node));
 */
export function writeJobRunner(context: ContextInternals, node: () => PlanNode): WriteJobRunner {
  return () => {
    const planned = node();
    return {
      partitions: planned.numPartitions,
      run: (partitions, output, onResult) =>
        context.runJob({ node: planned, partitions: [...partitions], output, onResult }),
    };
  };
}
