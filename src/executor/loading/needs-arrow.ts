/**
 * Whether a task may reach Arrow IPC code (spill files of cached partitions, checkpoints, streaming state, file
 * writers), so its worker thread loads apache-arrow first (storage/arrow/arrow-module.ts). Most tasks (text, records,
 * shuffles, results, in-memory cached blocks) never do, and a thread that runs only those never loads it.
 * When unsure, true: a task that needed Arrow without it would fail with an assertion.
 */
import type { PipelineNode, SourceSpec } from '../../protocol/pipeline.js';
import type { TaskOutputSpec } from '../../protocol/task.js';
import { inputsOf, isStateBuiltin } from '../../protocol/functions-of.js';
import { isSpilled } from '../../protocol/block.js';

/**
 * @example
 * if (needsArrow(task.pipeline, task.output)) await loadArrow();
 */
export function needsArrow(pipeline: PipelineNode, output: TaskOutputSpec): boolean {
  switch (output.kind) {
    case 'collect':
    case 'shuffle-write':
    case 'partition-action':
    case 'save-text':
      return pipelineNeedsArrow(pipeline);
    case 'sink-prepare':
    case 'save-columnar':
      return true;
  }
}

function pipelineNeedsArrow(node: PipelineNode): boolean {
  switch (node.kind) {
    case 'checkpoint-write':
      return true;
    case 'source':
      return sourceNeedsArrow(node.source);
    case 'narrow':
      if (node.ops.some((op) => op.kind === 'builtin' && isStateBuiltin(op.op))) return true;
      break;
    default:
      break;
  }
  return inputsOf(node).some(pipelineNeedsArrow);
}

function sourceNeedsArrow(source: SourceSpec): boolean {
  switch (source.kind) {
    case 'records':
    case 'range':
    case 'text-split':
    case 'json-values-split':
    case 'csv-split':
    case 'jsonl-split':
    case 'empty':
      return false;
    case 'blocks':
      return source.blocks.some(isSpilled);
    default:
      return true;
  }
}
