/**
 * Whether a task reads or writes Parquet, so its thread loads hyparquet / hyparquet-writer first
 * (io/parquet-modules.ts): most tasks never do, and a thread that runs only those never loads them.
 */
import type { PipelineNode } from '../../protocol/pipeline.js';
import type { TaskOutputSpec } from '../../protocol/task.js';
import { inputsOf } from '../../protocol/functions-of.js';

/**
 * @example
 * await loadParquetModules(parquetNeedsOf(task.pipeline, task.output));
 */
export function parquetNeedsOf(
  pipeline: PipelineNode,
  output: TaskOutputSpec,
): { readonly read: boolean; readonly write: boolean } {
  return {
    read: readsParquet(pipeline),
    write: output.kind === 'save-columnar' && output.format.kind === 'parquet',
  };
}

function readsParquet(node: PipelineNode): boolean {
  if (node.kind === 'source') return node.source.kind === 'parquet-split';
  return inputsOf(node).some(readsParquet);
}
