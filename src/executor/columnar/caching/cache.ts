/**
 * Caching a columnar partition (`ds.cache()` / `persist()`): the stage's batches become one block in columnar form,
 * published to the block store as the persisted dataset's partition, so later jobs read typed columns back (zero
 * copy) instead of rows re-encoded from JS objects.
 */
import type { Batch } from '../batches/batch.js';
import { blockOfBatches } from '../batches/batch-to-block.js';
import { blockToBatch } from '../batches/blocks.js';
import { markRetained } from '../batches/retained-buffers.js';
import { codingStringsAsRead } from '../sources/csv-source.js';
import { codingIntoSharedDictionaries } from './shared-dictionary-codes.js';
import type { TaskContext } from '../../task-context.js';
import type { ColumnarCacheNode } from './cache-node.js';

export { isColumnarCache, type ColumnarCacheNode } from './cache-node.js';

/**
 * The partition's rows (`batches`, the evaluation of `node.input`) as one batch, published on the way as the cached
 * block of `node.datasetId`.
 *
 * @example
 * const batch = cacheColumnar(node, evaluateColumnar(node.input, context, evaluatePipeline), context);
 */
export function cacheColumnar(node: ColumnarCacheNode, batches: Iterable<Batch>, context: TaskContext): Batch {
  // The batches are written into the block one after the other (a concatenated copy in between would double the
  // partition's peak and leave a garbage copy of it in the worker's heap); only batches whose column types differ
  // are concatenated first. The partition read on is the block's own columns (views). String columns of few
  // distinct values are stored dictionary-coded: smaller, and grouped by once per distinct value. A CSV scan cached
  // as it is read codes its strings as it reads them, so the block takes their codes without a second pass. The
  // coded columns of all the dataset's partitions share one dictionary each (`shared-dictionary-codes.ts`).
  const { input } = node;
  const csvScan =
    input.stage.ops.length === 0 && input.input.kind === 'source' && input.input.source.kind === 'csv-split';
  const read = csvScan ? codingStringsAsRead(() => [...batches]) : [...batches];
  const block = codingIntoSharedDictionaries(node.sharedDictionaries, () => blockOfBatches(read, true));
  context.cached.push({ datasetId: node.datasetId, partition: node.partition, block });
  markRetained(block.buffer);
  return blockToBatch(block, 'cached partition', false);
}
