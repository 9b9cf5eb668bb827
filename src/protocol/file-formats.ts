/**
 * How a worker reads a split of a CSV or JSON-lines file into columns: plain data resolved once on the driver
 * (options checked, schema given or inferred), shipped in the task's source spec.
 */
import type { DataTypeName } from './columnar.js';

/** One column of a file's schema, in file order. */
export interface FileColumn {
  readonly name: string;
  readonly type: DataTypeName;
}

/**
 * What to do with a record that does not fit the schema (Spark's `mode`): `PERMISSIVE` makes the values that do
 * not fit null (a short record is padded with nulls, a long one cut), `DROPMALFORMED` drops the record,
 * `FAILFAST` fails the task with an error naming the file, line and column.
 */
export type MalformedMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/** A CSV read, resolved. */
export interface CsvReadSpec {
  readonly columns: readonly FileColumn[];
  /** The first record of every file is a header (skipped; its names were read on the driver). */
  readonly header: boolean;
  /** Single bytes. */
  readonly delimiter: number;
  readonly quote: number;
  readonly escape: number;
  /** An unquoted field with exactly this text is null; an unquoted empty field is always null. */
  readonly nullValue: string;
  readonly mode: MalformedMode;
  /** Quoted fields may hold newlines: each file is one split, read whole. */
  readonly multiLine: boolean;
}

/** A JSON-lines read, resolved: one JSON object per line, its fields picked by name. */
export interface JsonReadSpec {
  readonly columns: readonly FileColumn[];
  readonly mode: MalformedMode;
}

/** How a task writes its partition of a dataset (`ds.write`): one file per partition. */
export type FileWriteSpec =
  | { readonly kind: 'csv'; readonly header: boolean; readonly delimiter: number; readonly quote: number }
  | { readonly kind: 'jsonl' }
  | { readonly kind: 'arrow' };
