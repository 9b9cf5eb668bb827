/**
 * A write task's side of settling a dataset's one schema (`ds.write`, api/writers/write-schema.ts holds the
 * driver's): partitions of one dataset can hold different types (`rdd.toDataset()` infers each partition's types from
 * its own rows: int32 here, float64 there, a column of only nulls), and a Parquet or Arrow file holds one schema,
 * which every file of the dataset must share. A first write reports the columns the partition saw; when they differ
 * from the settled schema, the driver writes the partition again with that schema, and every batch is cast to it
 * (numbers widened, a column of only nulls typed) before the writer sees it.
 */
import { OutputError } from '../../../common/errors.js';
import { CAST_TYPE_NAMES, commonBatchType, type BatchTypeName } from '../../../protocol/columnar-reshape.js';
import type { TaskOutputSpec } from '../../../protocol/task.js';
import type { WriteSchema, WrittenSchema } from '../../../protocol/file-formats.js';
import { allNull, type Batch, type Column } from '../batches/batch.js';
import { widenNumberColumn } from '../expressions/cast.js';
import { nullColumn } from '../reshape/reshape.js';
import type { WrittenPart } from './file-writers.js';
import { writeOutputFiles } from './partitioned-write.js';

type SaveColumnar = Extract<TaskOutputSpec, { kind: 'save-columnar' }>;

/**
 * Writes the partition's `batches` as `output` says (cast to its settled `schema` when it has one), and reports
 * the columns it saw.
 *
 * @example
 * const { rows, bytes, schema } = writeSettled(output, batches);
 */
export function writeSettled(
  output: SaveColumnar,
  batches: Iterable<Batch>,
  partition: number,
): WrittenPart & { readonly schema: WrittenSchema } {
  const seen = new SchemaSeen(output.format.kind === 'arrow' || output.format.kind === 'parquet');
  const target = output.schema;
  const input =
    target === undefined ? seen.watch(batches) : castAll(batches, target, partition, (batch) => seen.see(batch));
  const shown = { path: output.publishedPath, partition };
  const written = writeOutputFiles(output.attemptPath, input, output.format, output.partitionBy ?? [], shown);
  return { ...written, schema: seen.schema() };
}

/**
 * The columns of the batches that pass, merged: the first batch's names and file types, and per column the widest
 * type of its values. With `typedFile`, a batch the first one's file types cannot take (a wider number, a string
 * where only nulls were) ends the batches that reach the writer: the rest are only looked at, and the file is
 * written again in the settled types.
 */
class SchemaSeen {
  private names: readonly string[] | null = null;
  private types: BatchTypeName[] = [];
  private fileTypes: BatchTypeName[] | null = null;
  private conflict: string | null = null;
  private readonly typedFile: boolean;

  constructor(typedFile: boolean) {
    this.typedFile = typedFile;
  }

  *watch(batches: Iterable<Batch>): Generator<Batch> {
    let open = true;
    for (const batch of batches) {
      const fits = this.see(batch);
      if (!open) continue;
      if (fits !== null) yield fits;
      else if (this.typedFile) open = false;
      else yield batch; // text: a number reads back alike whatever its type, a conflict fails the job anyway
    }
  }

  /** Takes in `batch`'s columns; returns it as the file's first types hold it, or null when they cannot. */
  see(batch: Batch): Batch | null {
    const types = batch.columns.map((column) => valueType(column, batch.rows));
    if (this.names === null) {
      this.names = batch.names;
      this.types = types;
      this.fileTypes = batch.columns.map((column) => column.type);
      return batch;
    }
    const names = this.names;
    if (this.conflict !== null) return null;
    if (batch.names.length !== names.length || batch.names.some((name, c) => name !== names[c])) {
      this.conflict = `its rows have columns [${names.join(', ')}] and [${batch.names.join(', ')}]`;
      return null;
    }
    let fits = this.fileTypes !== null;
    const columns = batch.columns.map((column, c) => {
      const merged = commonBatchType(this.types[c]!, types[c]!);
      if (merged === null) {
        this.conflict ??= `its column '${names[c]}' holds ${CAST_TYPE_NAMES[this.types[c]!]} and ${CAST_TYPE_NAMES[types[c]!]}`;
        return column;
      }
      this.types[c] = merged;
      const file = this.fileTypes?.[c];
      if (file === undefined || column.type === file) return column;
      if (types[c] === 'null') return nullColumn(file, batch.rows);
      fits = false;
      return column;
    });
    if (this.conflict !== null || !fits) {
      if (this.typedFile) this.fileTypes = null;
      return null;
    }
    return { rows: batch.rows, names: batch.names, columns };
  }

  schema(): WrittenSchema {
    return { names: this.names ?? [], types: this.types, fileTypes: this.fileTypes, conflict: this.conflict };
  }
}

/** A column's type as its values say: `'null'` when every one is null. */
function valueType(column: Column, rows: number): BatchTypeName {
  return rows > 0 && allNull(column, rows) ? 'null' : column.type;
}

/** `batches` in the settled `target` types; a batch that does not fit (its rows differ from the first write's) fails. */
function* castAll(
  batches: Iterable<Batch>,
  target: WriteSchema,
  partition: number,
  see: (batch: Batch) => void,
): Generator<Batch> {
  for (const batch of batches) {
    const fits = batch.names.length === target.names.length && batch.names.every((n, c) => n === target.names[c]);
    const columns = fits ? batch.columns.map((column, c) => castTo(column, target.types[c]!, batch.rows)) : [];
    if (!fits || columns.some((column) => column === null)) {
      throw new OutputError(
        'ERR_OUTPUT_SCHEMA_MISMATCH',
        `partition ${partition}, written again in the dataset's schema [${describe(target)}], gave columns ` +
          `[${describe({ names: batch.names, types: batch.columns.map((c) => c.type) })}]: its rows changed ` +
          'between two computations (a nondeterministic source); cast the columns to one type before writing',
      );
    }
    const cast: Batch = { rows: batch.rows, names: batch.names, columns: columns as Column[] };
    see(cast);
    yield cast;
  }
}

/** `column` as a column of `type` (numbers widened, only nulls typed), or null when its values are of no such type. */
function castTo(column: Column, type: BatchTypeName, rows: number): Column | null {
  if (column.type === type) return column;
  if (allNull(column, rows)) return nullColumn(type, rows);
  if (commonBatchType(column.type, type) !== type) return null;
  return type === 'i64' || type === 'f64' ? widenNumberColumn(column, type, rows) : null;
}

function describe(schema: WriteSchema): string {
  return schema.names.map((name, c) => `${name}: ${CAST_TYPE_NAMES[schema.types[c]!]}`).join(', ');
}
