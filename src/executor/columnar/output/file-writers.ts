/**
 * Writes a partition's batches as one file for `ds.write`: CSV (RFC 4180: a field is quoted when it holds the
 * delimiter, a quote, a line break, or is the empty string, which thereby differs from null, written as nothing),
 * JSON lines (bigints as JSON numbers, or strings past 2^53, dates as `YYYY-MM-DD`, timestamps as ISO 8601 in UTC), an Arrow IPC file,
 * or Parquet (`parquet-writer.ts`).
 * Strings are copied as bytes, never decoded, on the CSV path. Bytes go out through one buffer flushed at 1 MiB.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from 'node:fs';

import type { RecordBatch, Schema } from 'apache-arrow';
import { arrow } from '../../../storage/arrow/arrow-module.js';
import { OutputError } from '../../../common/errors.js';
import { formatDate } from '../../../io/parsing/temporal-text.js';
import type { FileWriteSpec } from '../../../protocol/file-formats.js';
import { blockToRecordBatch } from '../../../storage/arrow/block-to-arrow.js';
import type { Batch, Column } from '../batches/batch.js';
import { batchToBlock } from '../batches/batch-to-block.js';
import { decodeUtf8 } from '../kernels/utf8-strings.js';
import { writeParquetFile } from './parquet-writer.js';

const FLUSH_BYTES = 1 << 20;

/** What a written file holds. */
export interface WrittenPart {
  readonly rows: number;
  readonly bytes: number;
}

/**
 * A part file as the user will see it: its published path (not the staging file a task writes) and the dataset's
 * partition it holds, named by errors about its contents.
 */
export interface ShownFile {
  readonly path: string;
  readonly partition: number;
}

/**
 * Writes `batches` to `path` (created, fsynced) in `format`; an error about what the batches hold names `shown`.
 *
 * @example
 * writePartFile('/out/.staging/_temporary/attempt-0-0/part-00000.csv', batches, { kind: 'jsonl' }, shown);
 */
export function writePartFile(
  path: string,
  batches: Iterable<Batch>,
  format: FileWriteSpec,
  shown: ShownFile = { path, partition: 0 },
): WrittenPart {
  if (format.kind === 'parquet') {
    // No batch, no schema, no file: an empty directory in its place, which the committer publishes as nothing.
    const written = writeParquetFile(path, batches, format.rowGroupRows, shown);
    if (written === null) mkdirSync(path);
    return written ?? { rows: 0, bytes: 0 };
  }
  if (format.kind === 'arrow') return writeArrowFile(path, batches, shown);
  const out = new ByteSink(path);
  let rows = 0;
  try {
    let first = true;
    for (const batch of batches) {
      if (format.kind === 'csv' && first && format.header) writeCsvHeader(out, batch.names, format);
      first = false;
      rows += batch.rows;
      if (format.kind === 'csv') writeCsvRows(out, batch, format);
      else writeJsonRows(out, batch);
    }
    return { rows, bytes: out.finish() };
  } finally {
    out.close();
  }
}

/**
 * Writes `batches` to `path` as one Arrow IPC file. A partition of no batch at all (an RDD partition of no rows
 * turned into columns: no schema known) writes no file, as Parquet's: an empty directory in its place, which the
 * committer publishes as nothing. A file of 0 bytes there was no Arrow file, which readArrow and pyarrow refuse.
 */
function writeArrowFile(path: string, batches: Iterable<Batch>, shown: ShownFile): WrittenPart {
  const recordBatches = [];
  let schemaOnly: Batch | null = null;
  let rows = 0;
  for (const batch of batches) {
    rows += batch.rows;
    if (batch.rows > 0) recordBatches.push(blockToRecordBatch(batchToBlock(batch)));
    else if (batch.names.length > 0) schemaOnly = batch;
  }
  if (recordBatches.length === 0 && schemaOnly === null) {
    mkdirSync(path);
    return { rows: 0, bytes: 0 };
  }
  const { RecordBatchFileWriter, Table } = arrow();
  const out = new ByteSink(path);
  try {
    if (recordBatches.length === 0) {
      // No rows: a file of the schema and no record batch (as pyarrow writes an empty table), read back with it.
      const schema = blockToRecordBatch(batchToBlock(schemaOnly!)).schema;
      out.write(RecordBatchFileWriter.writeAll(new Table(schema)).toUint8Array(true));
    } else {
      out.write(RecordBatchFileWriter.writeAll(withOneSchema(recordBatches, shown)).toUint8Array(true));
    }
    return { rows, bytes: out.finish() };
  } finally {
    out.close();
  }
}

/**
 * The batches of one Arrow file under one schema: each field nullable when it is in any batch. WARNING: apache-arrow's
 * `writeAll` ends the file, without a word, at the first batch whose schema differs from the first one's, and a
 * batch's field is nullable only when that batch holds a null: a partition made of several batches (`coalesce`)
 * lost every batch after a change. Batches whose column types differ cannot share a file: `OutputError`. Reached
 * by what the settled write schema does not tell apart: timestamps of two units or zones in one partition (a union
 * of a millisecond and a microsecond source, coalesced), which write-schema.ts counts as one type.
 */
function withOneSchema(batches: readonly RecordBatch[], shown: ShownFile): RecordBatch[] {
  const { RecordBatch, Schema } = arrow();
  const first = batches[0]!.schema;
  const describe = (schema: Schema): string => schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
  for (const batch of batches) {
    const fields = batch.schema.fields;
    const same =
      fields.length === first.fields.length &&
      fields.every((f, i) => f.name === first.fields[i]!.name && String(f.type) === String(first.fields[i]!.type));
    if (!same) {
      throw new OutputError(
        'ERR_OUTPUT_FAILED',
        `cannot write ${shown.path} (partition ${shown.partition}): an Arrow file holds one schema, but the ` +
          `partition's batches have [${describe(first)}] and [${describe(batch.schema)}]: expected every batch to ` +
          "have the first one's columns and types; cast the columns to one type before writing",
      );
    }
  }
  const fields = first.fields.map((f, i) => f.clone({ nullable: batches.some((b) => b.schema.fields[i]!.nullable) }));
  const schema = new Schema(fields, first.metadata);
  return batches.map((batch) => new RecordBatch(schema, batch.data));
}

/** Appends bytes to a file through a buffer. */
class ByteSink {
  private readonly fd: number;
  private readonly path: string;
  private buf = Buffer.allocUnsafe(FLUSH_BYTES * 2);
  private used = 0;
  private written = 0;
  private closed = false;

  constructor(path: string) {
    this.path = path;
    try {
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw new OutputError('ERR_OUTPUT_FAILED', `cannot create ${path}: ${String(error)}`, { cause: error });
    }
  }

  ensure(bytes: number): void {
    if (this.used + bytes <= this.buf.length) return;
    this.flush();
    if (bytes > this.buf.length) this.buf = Buffer.allocUnsafe(bytes);
  }

  byte(b: number): void {
    if (this.used === this.buf.length) this.flush();
    this.buf[this.used++] = b;
  }

  write(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.used);
    this.used += bytes.length;
    if (this.used >= FLUSH_BYTES) this.flush();
  }

  text(s: string): void {
    this.ensure(s.length * 3);
    this.used += this.buf.write(s, this.used, 'utf8');
    if (this.used >= FLUSH_BYTES) this.flush();
  }

  flush(): void {
    let at = 0;
    while (at < this.used) at += writeSync(this.fd, this.buf, at, this.used - at);
    this.written += this.used;
    this.used = 0;
  }

  finish(): number {
    this.flush();
    fsyncSync(this.fd);
    return this.written;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}

function writeCsvHeader(out: ByteSink, names: readonly string[], format: { delimiter: number; quote: number }) {
  names.forEach((name, c) => {
    if (c > 0) out.byte(format.delimiter);
    const bytes = Buffer.from(name, 'utf8');
    writeCsvBytes(out, bytes, 0, bytes.length, format);
  });
  out.byte(0x0a);
}

function writeCsvBytes(
  out: ByteSink,
  bytes: Uint8Array,
  s: number,
  e: number,
  format: { delimiter: number; quote: number },
) {
  const { delimiter, quote } = format;
  let needs = s === e;
  for (let i = s; i < e && !needs; i++) {
    const b = bytes[i]!;
    needs = b === delimiter || b === quote || b === 0x0a || b === 0x0d;
  }
  if (!needs) return out.write(bytes.subarray(s, e));
  out.byte(quote);
  for (let i = s; i < e; i++) {
    const b = bytes[i]!;
    if (b === quote) out.byte(quote);
    out.byte(b);
  }
  out.byte(quote);
}

function writeCsvRows(out: ByteSink, batch: Batch, format: { delimiter: number; quote: number }): void {
  const { columns, rows } = batch;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out.byte(format.delimiter);
      const column = columns[c]!;
      if (column.valid !== undefined && column.valid[r] === 0) continue;
      if (column.type === 'utf8') writeCsvBytes(out, column.bytes, column.starts[r]!, column.ends[r]!, format);
      else out.text(valueText(column, r));
    }
    out.byte(0x0a);
  }
}

/** A non-string value as CSV / JSON text. */
function valueText(column: Exclude<Column, { type: 'utf8' }>, row: number): string {
  switch (column.type) {
    case 'bool':
      return column.values[row] === 1 ? 'true' : 'false';
    case 'date':
      return formatDate(column.values[row]!);
    case 'timestamp': {
      const ms = column.unit === 'us' ? Math.floor(column.values[row]! / 1000) : column.values[row]!;
      return new Date(ms).toISOString();
    }
    case 'f64': {
      const v = column.values[row]!;
      return Object.is(v, -0) ? '-0' : String(v);
    }
    default:
      return String(column.values[row]!);
  }
}

function writeJsonRows(out: ByteSink, batch: Batch): void {
  const { columns, rows, names } = batch;
  const keys = names.map((name) => `${JSON.stringify(name)}:`);
  for (let r = 0; r < rows; r++) {
    out.byte(0x7b);
    for (let c = 0; c < columns.length; c++) {
      if (c > 0) out.byte(0x2c);
      out.text(keys[c]!);
      const column = columns[c]!;
      if (column.valid !== undefined && column.valid[r] === 0) out.text('null');
      else if (column.type === 'utf8')
        out.text(JSON.stringify(decodeUtf8(column.bytes, column.starts[r]!, column.ends[r]!)));
      else if (column.type === 'f64' && !Number.isFinite(column.values[r]!)) out.text('null');
      else if (column.type === 'date' || column.type === 'timestamp') out.text(JSON.stringify(valueText(column, r)));
      else if (column.type === 'i64' && !Number.isSafeInteger(Number(column.values[r]!))) {
        // JSON parsers read numbers as float64: an int64 past 2^53 goes as a string, which readJson's int64 takes.
        out.text(`"${column.values[r]!}"`);
      } else out.text(valueText(column, r));
    }
    out.text('}\n');
  }
}
