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
import { inputErrorFromFs } from '../../io/files/input-fs-error.js';
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
  let first: { schema: Schema; file: string } | null = null;
  for (const [index, { path: file }] of found.entries()) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (error) {
      throw inputErrorFromFs(error, file, 'reading an Arrow IPC file');
    }
    checkArrowFraming(bytes, file);
    let table: Table;
    try {
      table = arrow().tableFromIPC(bytes);
    } catch (error) {
      throw new InputError(
        'ERR_INPUT_CORRUPT',
        `readArrow(): ${file} is not an Arrow IPC file or stream: ${String(error)}`,
        {
          cause: error,
        },
      );
    }
    table = decodeStringDictionaries(table);
    if (first === null) first = { schema: table.schema, file };
    else checkSameSchema(first, table.schema, file);
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

/**
 * Refuses, with `ERR_INPUT_SCHEMA_MISMATCH` naming both files and the column, a file whose columns differ from the
 * first file's in name, order or type, as `kc.read.parquet` does: left alone, rows of one dataset would hold other
 * columns (an error later that names no file) or the same columns in another order (`toDF` renames by position). A
 * column of Arrow type Null (a column of only nulls) matches any type, as `union` and `ds.write` settle it.
 */
function checkSameSchema(first: { schema: Schema; file: string }, schema: Schema, file: string): void {
  const names = (s: Schema) => s.fields.map((f) => f.name).join(', ');
  const where = `readArrow(): ${file}`;
  const expected = 'expected every file of one dataset to have the same columns in the same order, with the same types';
  if (names(schema) !== names(first.schema)) {
    throw new InputError(
      'ERR_INPUT_SCHEMA_MISMATCH',
      `${where}: columns [${names(schema)}] differ from [${names(first.schema)}] of ${first.file}: ${expected}`,
    );
  }
  for (const [i, field] of schema.fields.entries()) {
    const other = first.schema.fields[i]!;
    const [type, otherType] = [String(field.type), String(other.type)];
    if (type === otherType || type === 'Null' || otherType === 'Null') continue;
    throw new InputError(
      'ERR_INPUT_SCHEMA_MISMATCH',
      `${where}: column '${field.name}' is ${type}, where ${first.file} has ${otherType}: ${expected}`,
    );
  }
}

/**
 * The table with each `Dictionary<…, Utf8>` column (pandas' and Polars' categoricals, `tableFromArrays` strings,
 * kindling's own `toArrow()` of a coded column) as plain Utf8, which a block holds: refused before, naming no file.
 */
function decodeStringDictionaries(table: Table): Table {
  const { DataType, Table: ArrowTable, Utf8, vectorFromArray } = arrow();
  const coded = table.schema.fields.filter(
    (f) => DataType.isDictionary(f.type) && DataType.isUtf8((f.type as { dictionary: DataType }).dictionary),
  );
  if (coded.length === 0) return table;
  const names = new Set(coded.map((f) => f.name));
  const columns = table.schema.fields.map((f) => {
    const vector = table.getChild(f.name)!;
    return [f.name, names.has(f.name) ? vectorFromArray([...vector], new Utf8()) : vector] as const;
  });
  return new ArrowTable(Object.fromEntries(columns));
}

/** The magic bytes that open and close an Arrow IPC file (the stream format has none). */
const ARROW_FILE_MAGIC = 'ARROW1';

/**
 * Refuses, with `ERR_INPUT_CORRUPT` naming `file`, an empty file and an IPC file cut short, which apache-arrow reads
 * as a table of no rows (an empty file) or fails on with a TypeError from deep inside (a truncated one).
 */
function checkArrowFraming(bytes: Buffer, file: string): void {
  if (bytes.length === 0) {
    throw new InputError(
      'ERR_INPUT_CORRUPT',
      `readArrow(): ${file} is empty: expected an Arrow IPC file (ARROW1 … ARROW1) or stream, found 0 bytes`,
    );
  }
  const magicBytes = ARROW_FILE_MAGIC.length;
  if (bytes.toString('latin1', 0, magicBytes) !== ARROW_FILE_MAGIC) return; // a stream: its messages are checked
  const tail = bytes.toString('latin1', Math.max(magicBytes, bytes.length - magicBytes));
  if (tail !== ARROW_FILE_MAGIC) {
    throw new InputError(
      'ERR_INPUT_CORRUPT',
      `readArrow(): ${file} is a truncated Arrow IPC file: expected the magic bytes ARROW1 at its end as at its ` +
        `start, found ${JSON.stringify(tail)} at its end (${bytes.length} bytes)`,
    );
  }
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
