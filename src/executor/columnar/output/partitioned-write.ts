/**
 * `ds.write.partitionBy(...cols)` in a task: the partition's rows grouped by their values of `cols`, each group
 * written as one file (without those columns) under its Hive folders, `col=value/…/part-NNNNN.<format>`, inside
 * the attempt's directory; the driver's committer moves the tree into the output. Values are written as Spark
 * names folders (numbers as printed, dates `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS[.fff]` UTC, escaped; null
 * and '' → `__HIVE_DEFAULT_PARTITION__`). WARNING: a task holds its partition's rows until it writes them.
 */
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

import { OutputError } from '../../../common/errors.js';
import { partitionFolder, partitionText } from '../../../io/files/hive-partitions.js';
import type { FileWriteSpec } from '../../../protocol/file-formats.js';
import { columnOf, gatherBatch, type Batch, type Column } from '../batches/batch.js';
import { writePartFile, type ShownFile, type WrittenPart } from './file-writers.js';
import { decodeUtf8 } from '../kernels/utf8-strings.js';

/**
 * Writes `batches` to `attemptPath`: one file of `format` there, or with `partitionBy` a directory of Hive folders
 * (a file named like `attemptPath` in each). Errors name the files as `shown` will publish them.
 *
 * @example
 * const shown = { path: '/out/part-00003.parquet', partition: 3 };
 * writeOutputFiles('/out/.staging/_temporary/attempt-3-0/part-00003.parquet', batches, { kind: 'parquet' }, ['day'], shown);
 */
export function writeOutputFiles(
  attemptPath: string,
  batches: Iterable<Batch>,
  format: FileWriteSpec,
  partitionBy: readonly string[],
  shown: ShownFile,
): WrittenPart {
  if (partitionBy.length === 0) return writePartFile(attemptPath, batches, format, shown);
  const groups = new Map<string, Batch[]>();
  for (const batch of batches) {
    const keys = partitionBy.map((name) => columnOf(batch, name, 'write.partitionBy()'));
    const kept = batch.names.flatMap((name, c) => (partitionBy.includes(name) ? [] : [c]));
    if (kept.length === 0) {
      throw new OutputError(
        'ERR_OUTPUT_FAILED',
        `write.partitionBy(${partitionBy.join(', ')}): every column is a partition column; expected at least one ` +
          'column left to write in the files',
      );
    }
    const rest: Batch = {
      rows: batch.rows,
      names: kept.map((c) => batch.names[c]!),
      columns: kept.map((c) => batch.columns[c]!),
    };
    const rowsOf = new Map<string, number[]>();
    for (let r = 0; r < batch.rows; r++) {
      const folder = keys.map((column, k) => partitionFolder(partitionBy[k]!, folderText(column, r))).join('/');
      let rows = rowsOf.get(folder);
      if (rows === undefined) rowsOf.set(folder, (rows = []));
      rows.push(r);
    }
    for (const [folder, rows] of rowsOf) {
      let list = groups.get(folder);
      if (list === undefined) groups.set(folder, (list = []));
      list.push(rows.length === batch.rows ? rest : gatherBatch(rest, Int32Array.from(rows), rows.length));
    }
  }
  mkdirSync(attemptPath, { recursive: true });
  const name = basename(attemptPath);
  let rows = 0;
  let bytes = 0;
  for (const [folder, list] of groups) {
    const dir = join(attemptPath, folder);
    mkdirSync(dir, { recursive: true });
    const published = { ...shown, path: join(dirname(shown.path), folder, basename(shown.path)) };
    const written = writePartFile(join(dir, name), list, format, published);
    rows += written.rows;
    bytes += written.bytes;
  }
  return { rows, bytes };
}

/** Row `row` of a partition column as folder text, or null. */
function folderText(column: Column, row: number): string | null {
  if (column.valid !== undefined && column.valid[row] === 0) return null;
  switch (column.type) {
    case 'utf8':
      return decodeUtf8(column.bytes, column.starts[row]!, column.ends[row]!);
    case 'bool':
      return partitionText(column.values[row]!, 'bool');
    case 'date':
      return partitionText(column.values[row]!, 'date');
    case 'timestamp':
      return partitionText(column.values[row]!, 'timestamp', column.unit);
    case 'f64':
      return partitionText(column.values[row]!, 'float');
    default:
      return partitionText(column.values[row]!, 'int');
  }
}
