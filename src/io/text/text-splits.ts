import { statSync } from 'node:fs';

import { InputError, PlanError } from '../../common/errors.js';
import type { TextSplit } from '../../protocol/pipeline.js';
import { inputCodecOf } from './compressed-input.js';
import { inputErrorFromFs } from '../files/input-fs-error.js';

/** Spark's block size for the local file system (`fs.local.block.size`): the largest split by default. */
export const DEFAULT_BLOCK_BYTES = 32 * 1024 * 1024;

/** Hadoop's `SPLIT_SLOP`: a file's tail up to 10 % over the split size stays in the last split. */
export const SPLIT_SLOP = 1.1;

/** Options of `computeTextSplits`. All optional. */
export interface TextSplitOptions {
  /**
   * The file system block size: no split is larger, whatever `minPartitions` asks.
   * @default DEFAULT_BLOCK_BYTES (32 MiB)
   */
  readonly blockBytes?: number;
  /**
   * An explicit split size in bytes, replacing the computed one (tests, tuning). Must be a positive integer.
   * @default undefined: computed from the total size, `minPartitions` and `blockBytes`
   */
  readonly splitBytes?: number;
  /**
   * Cut the bytes into a number of equal splits that is a multiple of this (the pool's thread count), instead of
   * Hadoop's full splits and a short tail: with 2 threads a 0.5 GB file is 16 splits of 31.8 MB, not 15 of 32 MiB
   * and one of 5.9 MB that leaves a thread idle in the last wave. The count is Hadoop's rounded up to the multiple,
   * so no split grows and `minPartitions` still holds. Exact for one file; several files are each cut at the equal
   * size (with `SPLIT_SLOP`), so their count is near the multiple. Ignored with `splitBytes`.
   * @default undefined: Hadoop's rule
   */
  readonly splitsMultipleOf?: number;
}

/**
 * Cuts files into byte-range splits as Hadoop's `FileInputFormat.getSplits` does for Spark's `textFile`:
 *
 * - `goalSize = floor(totalSize / max(minPartitions, 1))`, `splitSize = max(1, min(goalSize, blockBytes))`
 *   (or `options.splitBytes`);
 * - each file, in the order given, is cut into `splitSize` pieces while `remaining / splitSize > SPLIT_SLOP`;
 *   the last split takes the rest;
 * - with `options.splitsMultipleOf`, `count` is the number of splits the rule above makes, rounded up to that
 *   multiple, and each file is cut by the same rule at `bytes / count` into that many equal pieces (sizes one byte
 *   apart at most): equal splits for the pool's threads;
 * - an empty file yields no split (as Spark with `spark.hadoopRDD.ignoreEmptySplits`), so when every file is empty
 *   the result is `[]` and the caller decides what an input with no partitions means.
 *
 * Splits ignore line boundaries: `readLines` realigns them, so that every line belongs to exactly one split.
 * Sizes are read now (driver side); a file that changes later is read as it is then.
 *
 * A gzip file (`.gz`) is one split whatever its size, as in Spark.
 *
 * Throws `InputError` when a file cannot be stat'ed or is compressed with a codec other than gzip, and `PlanError`
 * for an invalid `minPartitions`, `blockBytes` or `splitBytes`.
 *
 * @example
 * // a.txt has 100 bytes:
 * computeTextSplits(['/data/a.txt'], 2); // [{ path, start: 0, length: 50 }, { path, start: 50, length: 50 }]
 */
export function computeTextSplits(
  files: readonly string[],
  minPartitions: number,
  options: TextSplitOptions = {},
): TextSplit[] {
  checkCount('minPartitions', minPartitions, 0);
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  checkCount('blockBytes', blockBytes, 1);
  if (options.splitBytes !== undefined) checkCount('splitBytes', options.splitBytes, 1);
  const multipleOf = options.splitsMultipleOf ?? 1;
  checkCount('splitsMultipleOf', multipleOf, 1);

  const codecs = files.map(inputCodecOf);
  const sizes = files.map(fileSize);
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  if (totalBytes === 0) return [];
  const goalBytes = Math.floor(totalBytes / Math.max(minPartitions, 1));
  const splitBytes = options.splitBytes ?? Math.max(1, Math.min(goalBytes, blockBytes));
  const equalBytes =
    options.splitBytes === undefined && options.splitsMultipleOf !== undefined
      ? equalSplitBytes(sizes, codecs, splitBytes, multipleOf)
      : undefined;

  const splits: TextSplit[] = [];
  files.forEach((path, index) => {
    const size = sizes[index] ?? 0;
    if (codecs[index] === 'gzip') {
      // A gzip stream can only be read from its start: the whole file is one split, as Hadoop's GzipCodec.
      if (size > 0) splits.push({ path, start: 0, length: size, compression: 'gzip' });
      return;
    }
    if (equalBytes !== undefined) {
      // Cut at floor(i × size / count): `count` splits whose sizes differ by at most one byte, none empty.
      const count = Math.min(size, hadoopSplitCount(size, equalBytes));
      for (let i = 0; i < count; i++) {
        const start = Math.floor((i * size) / count);
        splits.push({ path, start, length: Math.floor(((i + 1) * size) / count) - start });
      }
      return;
    }
    let remaining = size;
    while (remaining / splitBytes > SPLIT_SLOP) {
      splits.push({ path, start: size - remaining, length: splitBytes });
      remaining -= splitBytes;
    }
    if (remaining !== 0) splits.push({ path, start: size - remaining, length: remaining });
  });
  return splits;
}

/**
 * The (fractional) split size that cuts the splittable bytes into equal splits, as many as Hadoop's rule makes at
 * `splitBytes` rounded up to a multiple of `multipleOf`. Never larger than Hadoop's once the count grows, so no task
 * reads more than Hadoop's would; for one file, `hadoopSplitCount(size, result)` is exactly that count.
 */
function equalSplitBytes(
  sizes: readonly number[],
  codecs: readonly ('gzip' | undefined)[],
  splitBytes: number,
  multipleOf: number,
): number {
  let bytes = 0;
  let count = 0;
  sizes.forEach((size, index) => {
    if (codecs[index] === 'gzip' || size === 0) return;
    bytes += size;
    count += hadoopSplitCount(size, splitBytes);
  });
  if (count === 0) return splitBytes;
  return bytes / (Math.ceil(count / multipleOf) * multipleOf);
}

/** How many splits Hadoop's loop (cut while `remaining / splitBytes > SPLIT_SLOP`) makes of `size` bytes. */
function hadoopSplitCount(size: number, splitBytes: number): number {
  let count = 1;
  for (let remaining = size; remaining / splitBytes > SPLIT_SLOP; remaining -= splitBytes) count++;
  return count;
}

function fileSize(path: string): number {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw inputErrorFromFs(error, path, 'reading the file size');
  }
  if (!stats.isFile()) {
    throw new InputError('ERR_INPUT_NOT_A_FILE', `Input path ${path} is not a regular file: expected a text file`);
  }
  return stats.size;
}

function checkCount(name: string, value: number, min: number): void {
  if (Number.isSafeInteger(value) && value >= min) return;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${name} must be an integer >= ${min}, found ${typeof value === 'number' ? value : typeof value}`,
  );
}
