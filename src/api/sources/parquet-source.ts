/**
 * `kc.read.parquet`'s planning, on the driver: every file's footer is read once (schema, row groups, column
 * statistics), files must agree on their columns, and the row groups become splits: consecutive row groups of one
 * file up to a byte budget per task, so a task never reads part of a row group and `minPartitions` tasks share the
 * bytes. Which columns a task decodes and which row groups it skips is decided per stage (`protocol/scan-pushdown.ts`).
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { InputError } from '../../common/errors.js';
import { parquetColumns, parquetRowGroups, readParquetFooter } from '../../io/parquet-footer.js';
import type { FileColumn, ParquetRowGroup, PartitionColumn, UnreadableColumn } from '../../protocol/file-formats.js';
import type { SourceSpec } from '../../protocol/pipeline.js';
import type { PlanNode } from '../../plan/plan-node.js';
import type { ContextInternals } from '../context/context-internals.js';
import { describeColumns, minPartitions, partitionedFiles } from './dataset-readers.js';
import { emptySource } from './empty-source.js';

/** Spark's `spark.sql.files.maxPartitionBytes`: no task reads more row-group bytes than this (unless one group is). */
export const SPLIT_BYTES_MAX = 128 * 1024 * 1024;

/** Options of `kc.read.parquet`. */
export interface ParquetReadOptions {
  /** Lower bound on the number of tasks, as far as row groups allow. @default the context's defaultParallelism */
  minPartitions?: number;
  /** Most compressed bytes of row groups per task. @default 128 MiB (Spark's maxPartitionBytes) */
  splitBytesMax?: number;
}

const PARQUET_OPTIONS = optionNames<ParquetReadOptions>({ minPartitions: true, splitBytesMax: true });

/**
 * The source node of `kc.read.parquet(paths, options)`.
 *
 * @example
 * parquetSource(context, ['sales/'], {});
 */
export function parquetSource(
  context: ContextInternals,
  paths: readonly string[],
  options: ParquetReadOptions,
): PlanNode {
  const where = 'read.parquet()';
  refuseUnknownOptions(where, options, PARQUET_OPTIONS);
  const { files, partitionOf, partitionNames } = partitionedFiles(paths, where);
  const target = minPartitions(context, options.minPartitions, where);
  const bytesMax = options.splitBytesMax ?? SPLIT_BYTES_MAX;
  if (!Number.isSafeInteger(bytesMax) || bytesMax < 1) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}: splitBytesMax must be a positive integer, found ${describeValue(bytesMax)}`,
    );
  }
  let schema: FileSchema | null = null;
  const found: (FileSchema & { groups: ParquetRowGroup[] })[] = [];
  let totalBytes = 0;
  for (const path of files) {
    const { metadata } = readParquetFooter(path, true);
    const { readable, unreadable } = parquetColumns(metadata);
    const columns = readable.map(({ chunk: _chunk, decimal: _decimal, ...column }): FileColumn => column);
    const file = { columns, unreadable, path };
    if (schema === null) schema = file;
    else checkSameColumns(schema, file);
    const groups = parquetRowGroups(metadata, readable);
    for (const group of groups) totalBytes += group.bytes;
    found.push({ ...file, groups });
  }
  const columns = schema?.columns ?? [];
  const unreadable = schema?.unreadable ?? [];
  const clash = partitionNames.find(
    (name) => columns.some((c) => c.name === name) || unreadable.some((c) => c.name === name),
  );
  if (clash !== undefined) {
    throw new InputError(
      'ERR_INPUT_SCHEMA_MISMATCH',
      `${where}: '${clash}' is both a column of ${schema!.path} and a partition folder name: expected it in one place`,
    );
  }
  const budget = Math.max(1, Math.min(bytesMax, Math.ceil(totalBytes / target)));
  const partitions: SourceSpec[] = [];
  let groupCount = 0;
  for (const file of found) {
    const partition: readonly PartitionColumn[] = partitionOf(file.path).partition ?? [];
    let pending: ParquetRowGroup[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pending.length === 0) return;
      partitions.push({
        kind: 'parquet-split',
        parquet: {
          path: file.path,
          columns: file.columns,
          rowGroups: pending,
          ...(file.unreadable.length === 0 ? {} : { unreadable: file.unreadable }),
        },
        partition,
      });
      pending = [];
      pendingBytes = 0;
    };
    for (const group of file.groups) {
      if (group.rows === 0) continue;
      if (pending.length > 0 && pendingBytes + group.bytes > budget) flush();
      pending.push(group);
      pendingBytes += group.bytes;
      groupCount++;
    }
    flush();
  }
  const cannotRead = unreadable.map((c) => `, ${c.name}: ${c.parquetType} (unreadable)`).join('');
  const described = `${paths.join(', ')} [${describeColumns(columns, partitionNames)}${cannotRead}] (${groupCount} row group${
    groupCount === 1 ? '' : 's'
  } in ${files.length} file${files.length === 1 ? '' : 's'})`;
  return context.plan.source(
    'readParquet',
    described,
    partitions.length === 0 ? [emptySource(columns, files, partitionOf)] : partitions,
  );
}

/** A file's columns: those a dataset holds, and those it cannot. */
interface FileSchema {
  readonly columns: FileColumn[];
  readonly unreadable: UnreadableColumn[];
  readonly path: string;
}

function checkSameColumns(first: FileSchema, file: FileSchema): void {
  const text = (f: FileSchema) =>
    [
      ...f.columns.map((c) => `${c.name}: ${c.type}${c.type === 'timestamp' ? `(${c.unit})` : ''}`),
      ...f.unreadable.map((c) => `${c.name}: ${c.parquetType}`),
    ].join(', ');
  if (text(first) === text(file)) return;
  throw new InputError(
    'ERR_INPUT_SCHEMA_MISMATCH',
    `${file.path}: columns [${text(file)}] differ from [${text(first)}] of ${first.path}: expected every ` +
      'file of one dataset to have the same columns in the same order, with the same types',
  );
}
