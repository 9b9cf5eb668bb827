/**
 * The batch of no rows that tells a source's columns when the source has no rows to read: a file of 0 bytes (no
 * split at all), a CSV file of only its header, a split whose lines hold no record, a Parquet file without rows.
 * The plan knows every file source's schema, so the scan supplies it here once, for every format, instead of each
 * reader guarding its own empty case. Joins, `toArrow()` and writers then keep the columns of an empty input.
 */
import type { FileColumn } from '../../../protocol/file-formats.js';
import type { SourceSpec } from '../../../protocol/pipeline.js';
import type { Batch, Column } from '../batches/batch.js';

/** The columns of a `readText` source. */
export const TEXT_COLUMNS: readonly FileColumn[] = [{ name: 'value', type: 'utf8' }];

/**
 * The columns a source's batches have (file columns, then Hive partition columns), or null when the plan does not
 * know them (blocks carry their own; records are typed as they are read).
 *
 * @example
 * sourceColumns({ kind: 'empty', columns: [{ name: 'k', type: 'int32' }] }); // [{ name: 'k', type: 'int32' }]
 */
export function sourceColumns(source: SourceSpec): readonly FileColumn[] | null {
  switch (source.kind) {
    case 'csv-split':
      return [...source.csv.columns, ...(source.partition ?? [])];
    case 'jsonl-split':
      return [...source.json.columns, ...(source.partition ?? [])];
    case 'parquet-split':
      return [...source.parquet.columns, ...source.partition];
    case 'text-split':
      return TEXT_COLUMNS;
    case 'empty':
      return source.columns ?? null;
    default:
      return null;
  }
}

/**
 * `batches`, or one batch of no rows with `columns` when they yield no batch at all.
 *
 * @example
 * for (const batch of withSchema(readCsvBatches(split, spec, onBytes), spec.columns)) …
 */
export function* withSchema(batches: Iterable<Batch>, columns: readonly FileColumn[] | null): Generator<Batch> {
  let yielded = false;
  for (const batch of batches) {
    yielded = true;
    yield batch;
  }
  if (!yielded && columns !== null && columns.length > 0) yield schemaBatch(columns);
}

/**
 * A batch of no rows with these columns, typed as a reader of them types its batches.
 *
 * @example
 * schemaBatch([{ name: 'k', type: 'int32' }]); // { rows: 0, names: ['k'], columns: [{ type: 'i32', … }] }
 */
export function schemaBatch(columns: readonly FileColumn[]): Batch {
  return { rows: 0, names: columns.map((c) => c.name), columns: columns.map(emptyColumn) };
}

function emptyColumn(column: FileColumn): Column {
  switch (column.type) {
    case 'utf8':
      return { type: 'utf8', bytes: new Uint8Array(0), starts: new Int32Array(0), ends: new Int32Array(0) };
    case 'int32':
      return { type: 'i32', values: new Int32Array(0) };
    case 'int64':
      return { type: 'i64', values: new BigInt64Array(0) };
    case 'float64':
      return { type: 'f64', values: new Float64Array(0) };
    case 'bool':
      return { type: 'bool', values: new Uint8Array(0) };
    case 'date':
      return { type: 'date', values: new Int32Array(0) };
    case 'timestamp':
      return { type: 'timestamp', values: new Float64Array(0), unit: column.unit ?? 'ms', zone: column.zone ?? null };
  }
}
