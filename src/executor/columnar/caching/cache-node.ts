/**
 * Which `cache` pipeline nodes cache a columnar stage: a predicate with no columnar code behind it, so the row
 * executor (run-task.ts, rdd/evaluate-pipeline.ts) can ask it without loading the columnar executor (issue 11).
 */
import type { PipelineNode } from '../../../protocol/pipeline.js';

/** A `cache` pipeline node over a columnar stage that ends in rows. */
export type ColumnarCacheNode = Extract<PipelineNode, { kind: 'cache' }> & {
  readonly input: Extract<PipelineNode, { kind: 'columnar' }>;
};

/** True when `node` caches a columnar stage's rows (so the cached block should stay columnar). */
export function isColumnarCache(node: PipelineNode): node is ColumnarCacheNode {
  return node.kind === 'cache' && node.input.kind === 'columnar' && node.input.stage.sink.kind === 'rows';
}
