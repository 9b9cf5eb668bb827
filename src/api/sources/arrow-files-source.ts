/**
 * The source of `kc.readArrow(paths)` and `kc.read.arrow(paths)`: Arrow IPC files (or streams) read on the driver,
 * every record batch a block in shared memory, and a directory's Hive `key=value` folders as columns.
 */
import { readFileSync } from 'node:fs';
import type { DataType, RecordBatch, Schema, Table } from 'apache-arrow';
import type { Block } from '../../protocol/block.js';
import type { PartitionColumn } from '../../protocol/file-formats.js';
import { InputError } from '../../common/errors.js';
import { expandPartitionedPaths, partitionColumnsOf } from '../../io/files/hive-partitions.js';
import type { PlanNode } from '../../plan/plan-node.js';
import { arrow } from '../../storage/arrow/arrow-module.js';
import { recordBatchToBlock } from '../../storage/arrow/arrow-to-block.js';
import type { ContextInternals } from '../context/context-internals.js';
import { blocksSource } from './dataset-sources.js';

/**
 * The source node of `kc.readArrow(paths)`: every record batch of every Arrow IPC file or stream, in path order, one
 * partition per batch; a directory's Hive `key=value` folders become columns after the file's own.
 */
export function arrowFilesSource(context: ContextInternals, paths: readonly string[]): PlanNode {
  const found = expandPartitionedPaths(paths);
  const partitions = partitionColumnsOf(found);
  const blocks: Block[] = [];
  let schema: Schema | null = null;
  for (const [index, { path: file }] of found.entries()) {
    let table: Table;
    try {
      table = arrow().tableFromIPC(readFileSync(file));
    } catch (error) {
      throw new InputError(
        'ERR_INPUT_UNREADABLE',
        `readArrow(): ${file} is not an Arrow IPC file or stream: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    const partition = partitions[index] ?? [];
    if (partition.length > 0) table = table.assign(partitionTable(partition, table.numRows));
    schema ??= table.schema;
    for (const batch of table.batches) if (batch.numRows > 0) blocks.push(recordBatchToBlock(batch));
  }
  // Files of a schema and no rows (an empty dataset written as Arrow): one block of no rows keeps the columns.
  // (apache-arrow gives such a file one batch of no rows whose string columns lack their offset: not read.)
  if (blocks.length === 0 && schema !== null && schema.fields.length > 0) {
    blocks.push(recordBatchToBlock(emptyRecordBatch(schema)));
  }
  const names = partitions[0]?.map((p) => `${p.name} (partition)`) ?? [];
  return blocksSource(
    context,
    'readArrow',
    `${paths.join(', ')}${names.length > 0 ? ` [${names.join(', ')}]` : ''}`,
    blocks,
  );
}

/** A record batch of no rows with `schema` (each column built empty, so a string column has its one offset). */
function emptyRecordBatch(schema: Schema): RecordBatch {
  const { makeData, RecordBatch, Struct, vectorFromArray } = arrow();
  const children = schema.fields.map((field) => vectorFromArray([], field.type).data[0]!);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: 0, nullCount: 0, children }));
}

/** `rows` copies of each partition value, as Arrow columns of the partition column's type. */
function partitionTable(partition: readonly PartitionColumn[], rows: number): Table {
  const { DateDay, Float64, Int32, Int64, Table, Utf8, vectorFromArray } = arrow();
  const types = {
    int32: new Int32(),
    int64: new Int64(),
    float64: new Float64(),
    date: new DateDay(),
    utf8: new Utf8(),
  };
  const vectors = partition.map((p) => {
    const type = types[p.type as keyof typeof types] ?? new Utf8();
    const value = p.type === 'date' && p.value !== null ? new Date(Number(p.value) * 86_400_000) : p.value;
    return [p.name, vectorFromArray(new Array(rows).fill(value), type as DataType)] as const;
  });
  return new Table(Object.fromEntries(vectors));
}
