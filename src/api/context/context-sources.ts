import { PlanError } from '../../common/errors.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { describeValue } from '../../common/describe-value.js';
import type { SourceSpec } from '../../protocol/pipeline.js';
import { expandInputPaths } from '../../io/files/expand-paths.js';
import { computeTextSplits } from '../../io/text/text-splits.js';
import { resolveLineBytesMax } from '../../io/text/line-bytes-limit.js';
import { checkPartitionCount, type PlanBuilder } from '../../plan/plan-builder.js';
import type { PlanNode } from '../../plan/plan-node.js';

// The lineage sources of a Context's record datasets (`parallelize`, `range`, `textFile`): each checks its
// arguments, cuts the input into partitions and adds a source node to the plan. The Context wraps the node.

/** Options of `textFile`. */
export interface TextFileOptions {
  /**
   * Lower bound on the number of partitions (splits), as Spark's `minPartitions`.
   * @default min(defaultParallelism, 2)
   */
  minPartitions?: number;
  /**
   * The longest line accepted, in bytes without its terminator; a longer one fails the job with `InputError`
   * `ERR_INPUT_INVALID_RECORD` naming the file and the line's byte offset (where Hadoop's
   * `mapreduce.input.linerecordreader.line.maxlength` silently skips such lines).
   * @default DEFAULT_LINE_BYTES_MAX (2^29 - 24 bytes, the longest string V8 can hold)
   */
  lineBytesMax?: number;
  /**
   * The largest split, in bytes: the file system block size of Hadoop's rule, which `minPartitions` can only cut
   * below. Smaller splits give more, shorter tasks (a shorter wait for the last one; see the word-count example).
   * @default DEFAULT_BLOCK_BYTES (32 MiB, Spark's `fs.local.block.size`)
   */
  splitBytesMax?: number;
}

export const TEXT_FILE_OPTIONS = optionNames<TextFileOptions>({
  minPartitions: true,
  lineBytesMax: true,
  splitBytesMax: true,
});

/** The source of `kc.parallelize`: an array's elements in `numSlices` contiguous slices. */
export function parallelizeSource(plan: PlanBuilder, data: Iterable<unknown>, numSlices: number): PlanNode {
  if (data === null || typeof data !== 'object' || !(Symbol.iterator in data)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `parallelize() expects an array or iterable, found ${describeValue(data)}`,
    );
  }
  const records = Array.from(data);
  const n = checkPartitionCount(numSlices, 'parallelize()', 'numSlices');
  const partitions: SourceSpec[] = Array.from({ length: n }, (_, i) => ({
    kind: 'records',
    records: records.slice(Math.floor((i * records.length) / n), Math.floor(((i + 1) * records.length) / n)),
  }));
  return plan.source('parallelize', `array of ${records.length} record${records.length === 1 ? '' : 's'}`, partitions);
}

/** The source of `kc.range`: `start, start + step, …` before `end`, in `numSlices` partitions. */
export function rangeSource(
  plan: PlanBuilder,
  start: number,
  end: number | undefined,
  step: number,
  numSlices: number,
): PlanNode {
  const [from, to] = end === undefined ? [0, start] : [start, end];
  for (const [name, value] of [
    ['start', from],
    ['end', to],
    ['step', step],
  ] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `range(): ${name} must be a finite number, found ${describeValue(value)}`,
      );
    }
  }
  if (step === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'range(): step must not be 0');
  const n = checkPartitionCount(numSlices, 'range()', 'numSlices');
  const count = Math.max(0, Math.ceil((to - from) / step));
  const partitions: SourceSpec[] = Array.from({ length: n }, (_, i) => {
    const first = Math.floor((i * count) / n);
    const last = Math.floor(((i + 1) * count) / n);
    return { kind: 'range', start: from + first * step, end: from + last * step, step };
  });
  return plan.source('range', `range(${from}, ${to}, ${step})`, partitions);
}

/** The source of `kc.textFile`: byte-range splits of the files `paths` names. */
export function textFileSource(
  plan: PlanBuilder,
  paths: string | readonly string[],
  options: TextFileOptions,
  defaults: { readonly defaultParallelism: number; readonly tmpDir: string },
): PlanNode {
  const patterns = typeof paths === 'string' ? [paths] : paths;
  if (!Array.isArray(patterns) || patterns.length === 0 || patterns.some((p) => typeof p !== 'string' || p === '')) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `textFile() expects a path, glob or list of them, found ${describeValue(paths)}`,
    );
  }
  const resolved = resolveTextFileOptions(options, defaults); // a bad option is named before any path is expanded
  return textSourceOfFiles(plan, expandInputPaths(patterns), patterns.join(', '), resolved);
}

/** `textFile`'s options, checked, with the defaults filled in. */
export interface ResolvedTextFileOptions {
  readonly minPartitions: number;
  readonly lineBytesMax: number;
  readonly splitOptions: { readonly blockBytes?: number };
  readonly tmpDir: string;
}

/** Checks `textFile`'s options (unknown names included) and fills in their defaults. */
export function resolveTextFileOptions(
  options: TextFileOptions,
  defaults: { readonly defaultParallelism: number; readonly tmpDir: string },
): ResolvedTextFileOptions {
  refuseUnknownOptions('textFile()', options, TEXT_FILE_OPTIONS);
  const minPartitions = checkPartitionCount(
    options.minPartitions ?? Math.min(defaults.defaultParallelism, 2),
    'textFile()',
    'minPartitions',
  );
  const lineBytesMax = resolveLineBytesMax(options.lineBytesMax, 'textFile()');
  const splitOptions =
    options.splitBytesMax === undefined
      ? {}
      : { blockBytes: checkPartitionCount(options.splitBytesMax, 'textFile()', 'splitBytesMax') };
  return { minPartitions, lineBytesMax, splitOptions, tmpDir: defaults.tmpDir };
}

/**
 * The byte-range splits of exactly `files` (absolute paths, taken literally: a name holding `[`, `*`, `?` or `{`
 * is that file, never a glob), as a `textFile` source described by `description`. A streaming file source reads
 * its batches through this, so a batch reads the files its offsets name and not what their names match as globs.
 */
export function textSourceOfFiles(
  plan: PlanBuilder,
  files: readonly string[],
  description: string,
  options: ResolvedTextFileOptions,
): PlanNode {
  const { lineBytesMax, tmpDir } = options;
  const splits = computeTextSplits(files, options.minPartitions, options.splitOptions);
  const partitions: SourceSpec[] =
    splits.length === 0
      ? [{ kind: 'empty', columns: [{ name: 'value', type: 'utf8' }] }] // readText's column
      : splits.map((split) => ({ kind: 'text-split', split, lineBytesMax, tmpDir }));
  return plan.source('textFile', description, partitions);
}
