/**
 * What the row executor (run-task.ts, rdd/evaluate-pipeline.ts) calls of the columnar executor. A thread imports this
 * module, and with it the ~65 columnar modules, only before its first task that needs them
 * (loading/columnar-loader.ts).
 */
export { batchesToRecords, recordsToBatches } from './batches/blocks.js';
export { cacheColumnar } from './caching/cache.js';
export { evaluateColumnar } from './evaluate.js';
export { fileSourceBatches } from './sources/file-sources.js';
export { runColumnarOutput } from './output/output.js';
export { writeSettled } from './output/settled-write.js';
