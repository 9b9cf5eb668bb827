import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { describeValue } from '../../common/describe-value.js';
import { OutputError, PlanError } from '../../common/errors.js';
import { textOutput } from './text-output-module.js';
import type { RDD } from '../rdd/rdd.js';

/** Options of `saveAsTextFile`. */
export interface SaveOptions {
  /**
   * Replace an existing output directory (atomically: the old one stays until the new one is complete).
   * @default false
   */
  overwrite?: boolean;
  /**
   * `'gzip'` writes `part-NNNNN.gz` files (which `textFile` and `readText` read back), as Spark's
   * `saveAsTextFile(path, compressionCodecClass=GzipCodec)`.
   * @default 'none'
   */
  compression?: 'none' | 'gzip';
}

const SAVE_OPTIONS = optionNames<SaveOptions>({ overwrite: true, compression: true });

/**
 * Writes the dataset as text with a commit protocol (DESIGN.md §5): each task attempt writes a private file, the
 * first attempt of a partition to finish commits it, and the job commit publishes the whole directory with one
 * rename. On failure, or when `kc.stop()` aborts the job, the staging directory is removed and the target is
 * untouched. Staging folders beside the target left by killed processes are removed first (counted in the job's
 * `staleTempDirsRemoved`).
 */
export async function saveAsTextFile(rdd: RDD<any>, dir: string, options: SaveOptions = {}): Promise<void> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new OutputError('ERR_OUTPUT_FAILED', `saveAsTextFile() expects a directory path, found ${String(dir)}`);
  }
  refuseUnknownOptions('saveAsTextFile()', options, SAVE_OPTIONS);
  const compression = options.compression ?? 'none';
  if (compression !== 'none' && compression !== 'gzip') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `saveAsTextFile(): compression must be 'none' or 'gzip', found ${describeValue(compression)}`,
    );
  }
  const partSuffix = compression === 'gzip' ? '.gz' : '';
  const committer = new (textOutput().TextOutputCommitter)(dir, { overwrite: options.overwrite === true, partSuffix });
  committer.setupJob();
  // kc.stop() during the job removes the staging folder too, once no task writes into it.
  const forget = rdd.context.onStop(() => committer.abortJob());
  try {
    const metrics = await rdd.context.runJob({
      node: rdd.node,
      partitions: Array.from({ length: rdd.getNumPartitions() }, (_, i) => i),
      output: (partition, attempt) => ({
        kind: 'save-text',
        attemptPath: committer.attemptPath(partition, attempt),
        compression,
      }),
      onResult: (partition, value) => {
        if (value.kind === 'file') committer.commitTask(partition, value.path);
      },
    });
    committer.commitJob(rdd.getNumPartitions());
    metrics.staleTempDirsRemoved += committer.staleDirsRemoved;
  } catch (error: unknown) {
    committer.abortJob();
    throw error;
  } finally {
    forget();
  }
}
