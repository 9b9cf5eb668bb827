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
import { isDictionaryOfStrings } from '../../storage/arrow/dictionary-strings.js';
import type { ContextInternals } from '../context/context-internals.js';
import { blocksSource } from './dataset-sources.js';
import { checkPaths } from './dataset-readers.js';

/**
 * The source node of `kc.readArrow(paths)`: every record batch of every Arrow IPC file or stream, in path order, one
 * partition per batch; a directory's Hive `key=value` folders become columns after the file's own.
 */
export function arrowFilesSource(context: ContextInternals, paths: readonly string[]): PlanNode {
  const found = expandPartitionedPaths(checkPaths(paths, 'readArrow()'));
  const partitions = partitionColumnsOf(found);
  const blocks: Block[] = [];
  // The first file's columns (partition columns last): every other file must have the same.
  let first: { schema: Schema; file: string } | null = null;
  for (const [index, { path: file }] of found.entries()) {
    let table = readTable(file);
    const partition = partitions[index] ?? [];
    checkUniqueNames(table.schema, partition, file);
    if (partition.length > 0) table = table.assign(partitionTable(partition, table.numRows));
    if (first === null) first = { schema: table.schema, file };
    else checkSameSchema(first, table.schema, file);
    for (const batch of table.batches) if (batch.numRows > 0) blocks.push(blockOf(batch, file));
  }
  // Files of a schema and no rows (an empty dataset written as Arrow): one block of no rows keeps the columns.
  // (apache-arrow gives such a file one batch of no rows whose string columns lack their offset: not read.)
  if (blocks.length === 0 && first !== null && first.schema.fields.length > 0) {
    blocks.push(blockOf(emptyRecordBatch(first.schema), first.file));
  }
  const names = partitions[0]?.map((p) => `${p.name} (partition)`) ?? [];
  return blocksSource(
    context,
    'readArrow',
    `${paths.join(', ')}${names.length > 0 ? ` [${names.join(', ')}]` : ''}`,
    blocks,
  );
}

/** The Arrow table of one IPC file or stream, or `InputError` naming the file. */
function readTable(file: string): Table {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw inputErrorFromFs(error, file, 'reading an Arrow IPC file');
  }
  checkArrowFraming(bytes, file);
  try {
    return arrow().tableFromIPC(bytes);
  } catch (error) {
    throw new InputError(
      'ERR_INPUT_CORRUPT',
      `readArrow(): ${file} is not an Arrow IPC file or stream: ${String(error)}`,
      {
        cause: error,
      },
    );
  }
}

/** `recordBatchToBlock`, whose errors (a column of a type blocks do not hold …) name the file. */
function blockOf(batch: RecordBatch, file: string): Block {
  try {
    return recordBatchToBlock(batch);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const message = error.message.replace(/^recordBatchToBlock: /, '');
    throw new InputError(error.code, `readArrow(): ${file}: ${message}`, { cause: error });
  }
}

/**
 * Refuses, with `ERR_INPUT_INVALID_RECORD` naming the file and the column, a file with two columns of one name (an
 * Arrow schema allows it) or a column named as one of its Hive partition folders: which of the two a name means
 * would be a guess, and a table keyed by name would keep one of them silently. Spark and Polars refuse such files
 * too (DuckDB renames the second `a_1`, which a later `select('a')` does not expect).
 */
function checkUniqueNames(schema: Schema, partition: readonly PartitionColumn[], file: string): void {
  const seen = new Set<string>();
  for (const { name } of schema.fields) {
    if (seen.has(name)) {
      throw new InputError(
        'ERR_INPUT_INVALID_RECORD',
        `readArrow(): ${file} has two columns named '${name}': expected unique column names (rename one where the ` +
          `file is written)`,
      );
    }
    seen.add(name);
  }
  const clash = partition.find((p) => seen.has(p.name));
  if (clash !== undefined) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `readArrow(): ${file} has a column '${clash.name}' and lies in a partition folder ${clash.name}=…: expected ` +
        `a partition column's name not to be a column of the file`,
    );
  }
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
    const [type, otherType] = [typeText(field.type), typeText(other.type)];
    if (type === otherType || type === 'Null' || otherType === 'Null') continue;
    throw new InputError(
      'ERR_INPUT_SCHEMA_MISMATCH',
      `${where}: column '${field.name}' is ${type}, where ${first.file} has ${otherType}: ${expected}`,
    );
  }
}

/** A column's type as a block reads it: a dictionary of strings is read as Utf8, so it matches plain Utf8. */
function typeText(type: DataType): string {
  return isDictionaryOfStrings(type) ? 'Utf8' : String(type);
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
