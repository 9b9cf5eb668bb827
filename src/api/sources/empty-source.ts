/**
 * The source spec of a file source without splits (no files, or only files of 0 bytes, or Parquet files of no
 * rows): no rows, with the columns the plan gives the files, so the scan still tells them to joins, `toArrow()`
 * and writers.
 */
import type { FileColumn, PartitionColumn } from '../../protocol/file-formats.js';
import type { SourceSpec } from '../../protocol/pipeline.js';

/**
 * The source of no splits (no files, or files of 0 bytes): no rows, with the columns the plan gives the files
 * (and the Hive partition columns of the first), so an empty input keeps its schema.
 *
 * @example
 * emptySource([{ name: 'k', type: 'int32' }], [], () => ({})); // { kind: 'empty', columns: [{ name: 'k', … }] }
 */
export function emptySource(
  columns: readonly FileColumn[],
  files: readonly string[],
  partitionOf: (path: string) => { partition?: readonly PartitionColumn[] },
): SourceSpec {
  const partition = files[0] === undefined ? [] : (partitionOf(files[0]).partition ?? []);
  return { kind: 'empty', columns: [...columns, ...partition.map(({ name, type }) => ({ name, type }))] };
}
