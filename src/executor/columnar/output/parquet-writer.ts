/**
 * Writes a partition's batches as one Parquet file with hyparquet-writer (Snappy pages, min/max statistics, every
 * column OPTIONAL): a row group per `rowGroupRows` rows, written as soon as that many rows arrived, so memory
 * holds one row group. Typed arrays go to the writer as they are when a column has no null; strings go as views
 * of the batch's bytes (never decoded). Types: int32 → INT32, int64 → INT64, float64 → DOUBLE, bool → BOOLEAN,
 * utf8 → BYTE_ARRAY (STRING), date → INT32 (DATE), timestamp → INT64 (TIMESTAMP in its unit, adjusted to UTC when
 * the column has a zone), which DuckDB, Polars, pandas and Spark read back as the same types.
 */
import { closeSync, fsyncSync, openSync, statSync } from 'node:fs';

import type { ParquetWriter } from 'hyparquet-writer';
import { parquetWriter } from '../../../io/parquet-modules.js';
import type { ColumnSource } from 'hyparquet-writer/src/types.js';

/** The writer's own schema element type (it depends on its own copy of hyparquet's types). */
type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

import { OutputError } from '../../../common/errors.js';
import type { Batch, Column } from '../batches/batch.js';
import type { ShownFile, WrittenPart } from './file-writers.js';

/**
 * Writes `batches` to `path` as Parquet (created, fsynced); null, and no file, when there is no batch at all (a
 * Parquet file needs the columns' types). Throws `OutputError` `ERR_OUTPUT_FAILED` naming the file when it cannot
 * be written, or when a column's type changes between batches.
 *
 * @example
 * writeParquetFile('/out/.staging/_temporary/attempt-0-0/part-00000.parquet', batches);
 */
export function writeParquetFile(
  path: string,
  batches: Iterable<Batch>,
  rowGroupRows: number,
  shown: ShownFile = { path, partition: 0 },
): WrittenPart | null {
  let writer: ParquetWriter | null = null;
  let schemaOf: Batch | null = null;
  let pending: Batch[] = [];
  let pendingRows = 0;
  let rows = 0;
  const flush = () => {
    if (pendingRows === 0) return;
    writer!.write({ columnData: columnSources(pending, pendingRows), rowGroupSize: rowGroupRows });
    pending = [];
    pendingRows = 0;
  };
  try {
    for (const batch of batches) {
      if (schemaOf === null) {
        schemaOf = batch;
        const { ParquetWriter: Writer, fileWriter } = parquetWriter();
        writer = new Writer({ writer: fileWriter(path), schema: parquetSchemaOf(batch), createdBy: 'kindling' });
      } else checkSameTypes(schemaOf, batch, shown);
      if (batch.rows === 0) continue;
      pending.push(batch);
      pendingRows += batch.rows;
      rows += batch.rows;
      if (pendingRows >= rowGroupRows) flush();
    }
    if (writer === null) return null;
    flush();
    writer.finish();
    const fd = openSync(path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof OutputError) throw error;
    throw new OutputError('ERR_OUTPUT_FAILED', `cannot write Parquet file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { rows, bytes: statSync(path).size };
}

/**
 * The file's schema is the first batch's: a later batch of other columns or types would be written under it as if
 * it were of them. Timestamps compare by unit and zone too: a microsecond column written under the first batch's
 * milliseconds read back 1000 times too late (year 55971), without a word. The settled write schema tells number
 * types apart but not timestamp units, so a union of a millisecond and a microsecond source, coalesced, gets here.
 */
function checkSameTypes(first: Batch, batch: Batch, shown: ShownFile): void {
  const text = (b: Batch) => b.columns.map((c, i) => `${b.names[i]}: ${typeText(c)}`).join(', ');
  if (text(first) !== text(batch)) {
    throw new OutputError(
      'ERR_OUTPUT_FAILED',
      `cannot write ${shown.path} (partition ${shown.partition}): a Parquet file holds one schema, but the ` +
        `partition's batches have [${text(first)}] and [${text(batch)}]: expected every batch to have the first ` +
        "one's columns and types; cast the columns to one type before writing",
    );
  }
}

function typeText(column: Column): string {
  return column.type === 'timestamp' ? `timestamp(${column.unit}, ${column.zone ?? 'no zone'})` : column.type;
}

/** The Parquet schema of the batch's columns. */
function parquetSchemaOf(batch: Batch): SchemaElement[] {
  const root: SchemaElement = { name: 'schema', num_children: batch.columns.length };
  return [root, ...batch.columns.map((column, c) => elementOf(column, batch.names[c]!))];
}

function elementOf(column: Column, name: string): SchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' } as const;
  switch (column.type) {
    case 'i32':
      return { ...optional, type: 'INT32' };
    case 'i64':
      return { ...optional, type: 'INT64' };
    case 'f64':
      return { ...optional, type: 'DOUBLE' };
    case 'bool':
      return { ...optional, type: 'BOOLEAN' };
    case 'utf8':
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'date':
      return { ...optional, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp': {
      const unit = column.unit === 'us' ? 'MICROS' : 'MILLIS';
      const utc = column.zone !== null;
      return {
        ...optional,
        type: 'INT64',
        // The converted type implies UTC-adjusted instants: only zoned columns may carry it.
        ...(utc ? { converted_type: unit === 'MICROS' ? 'TIMESTAMP_MICROS' : 'TIMESTAMP_MILLIS' } : {}),
        logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: utc, unit },
      };
    }
  }
}

/** The pending batches' columns as hyparquet-writer column sources, `rows` rows each. */
function columnSources(batches: readonly Batch[], rows: number): ColumnSource[] {
  const first = batches[0]!;
  return first.columns.map((_, c): ColumnSource => {
    const parts = batches.map((b) => b.columns[c]!);
    const hasNull = parts.some((p, i) => p.valid !== undefined && hasZero(p.valid, batches[i]!.rows));
    return { name: first.names[c]!, data: columnData(parts, batches, rows, hasNull) };
  });
}

function hasZero(valid: Uint8Array, rows: number): boolean {
  for (let i = 0; i < rows; i++) if (valid[i] === 0) return true;
  return false;
}

function columnData(parts: readonly Column[], batches: readonly Batch[], rows: number, hasNull: boolean) {
  const kind = parts[0]!;
  if (!hasNull && (kind.type === 'i32' || kind.type === 'f64' || kind.type === 'i64' || kind.type === 'date')) {
    const out = new (kind.values.constructor as new (n: number) => Int32Array)(rows);
    let at = 0;
    parts.forEach((part, i) => {
      const n = batches[i]!.rows;
      out.set((part as typeof kind).values.subarray(0, n) as unknown as Int32Array, at);
      at += n;
    });
    return out;
  }
  const out = new Array<unknown>(rows);
  let at = 0;
  parts.forEach((part, i) => {
    const n = batches[i]!.rows;
    const valid = part.valid;
    for (let r = 0; r < n; r++, at++) {
      if (valid !== undefined && valid[r] === 0) out[at] = null;
      else if (part.type === 'utf8') out[at] = part.bytes.subarray(part.starts[r], part.ends[r]);
      else if (part.type === 'bool') out[at] = part.values[r] === 1;
      else if (part.type === 'timestamp') out[at] = BigInt(Math.trunc(part.values[r]!));
      else out[at] = part.values[r];
    }
  });
  return out as ColumnSource['data'];
}
