/** The job behind `Dataset.write`: one task per partition of the dataset's rows, each writing its own file. */
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import type { WriteJobRunner } from './dataset-writer.js';

/**
 * The runner a `DatasetWriter` calls when saving: it plans `node()` then (so a writer made before a `persist`
 * writes what is current at save time), runs one task per partition and answers the partition count and the job's metrics.
 *
 * @example
 * new DatasetWriter(writeJobRunner(context, () => node));
 */
export function writeJobRunner(context: ContextInternals, node: () => PlanNode): WriteJobRunner {
  return async (output, onResult) => {
    const planned = node();
    const metrics = await context.runJob({
      node: planned,
      partitions: Array.from({ length: planned.numPartitions }, (_, i) => i),
      output,
      onResult,
    });
    return { partitions: planned.numPartitions, metrics };
  };
}
