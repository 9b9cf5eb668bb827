/**
 * The columnar executor, loaded by a thread before its first task that needs it (issue 11). Most RDD tasks (text,
 * records, shuffles of pairs) never touch it, and its ~65 modules cost every worker isolate memory at rest; the row
 * executor therefore imports nothing of `columnar/` but the `columnar/caching/cache-node.ts` predicate, and reaches the
 * rest through `columnarExecutor()` after `loadColumnarExecutor()` (run-task.ts awaits it when `needsColumnar` says
 * so).
 */
import type { PipelineNode, SourceSpec } from '../../protocol/pipeline.js';
import type { TaskOutputSpec } from '../../protocol/task.js';
import { inputsOf } from '../../protocol/functions-of.js';
import { AssertionError } from '../../common/errors.js';
import type * as Surface from '../columnar/row-executor-surface.js';

/** The columnar functions the row executor calls. */
export type ColumnarExecutor = typeof Surface;

let loaded: ColumnarExecutor | null = null;

/**
 * Loads the columnar executor on this thread (once; later calls return the same module).
 *
 * @example
 * if (needsColumnar(task.pipeline, task.output)) await loadColumnarExecutor();
 */
export async function loadColumnarExecutor(): Promise<ColumnarExecutor> {
  loaded ??= await import('../columnar/row-executor-surface.js');
  return loaded;
}

/**
 * The columnar executor of this thread. Throws an `AssertionError` when it was not loaded: a task reached columnar
 * code that `needsColumnar` did not foresee (a bug to fix there).
 */
export function columnarExecutor(): ColumnarExecutor {
  if (loaded === null) {
    throw new AssertionError('a task reached the columnar executor, which its thread had not loaded (needsColumnar)');
  }
  return loaded;
}

/** Whether this thread has loaded the columnar executor (for tests and memory diagnostics). */
export function columnarExecutorLoaded(): boolean {
  return loaded !== null;
}

/**
 * Whether a task may reach columnar code: a columnar stage anywhere in its pipeline (a columnar cache is one too),
 * a file source only datasets read (CSV, JSON lines, Parquet: their records are the columnar reader's rows), or
 * records written as a columnar file.
 *
 * @example
 * needsColumnar(rangePipeline, { kind: 'partition-action', action: { kind: 'count' } }); // false
 */
export function needsColumnar(pipeline: PipelineNode, output: TaskOutputSpec): boolean {
  return output.kind === 'save-columnar' || pipelineNeedsColumnar(pipeline);
}

function pipelineNeedsColumnar(node: PipelineNode): boolean {
  if (node.kind === 'columnar') return true;
  if (node.kind === 'source' && readsAsColumns(node.source)) return true;
  return inputsOf(node).some(pipelineNeedsColumnar);
}

function readsAsColumns(source: SourceSpec): boolean {
  switch (source.kind) {
    case 'csv-split':
    case 'jsonl-split':
    case 'parquet-split':
      return true;
    default:
      return false;
  }
}
