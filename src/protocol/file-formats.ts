/**
 * How a worker reads a split of a CSV or JSON-lines file into columns: plain data resolved once on the driver
 * (options checked, schema given or inferred), shipped in the task's source spec.
 */
import type { DataTypeName } from './columnar.js';
import type { BatchTypeName } from './columnar-reshape.js';

/** One column of a file's schema, in file order. */
export interface FileColumn {
  readonly name: string;
  readonly type: DataTypeName;
  /** Timestamps only: the unit of the values (Parquet keeps ms or µs; CSV and JSON read ms). @default 'ms' */
  readonly unit?: 'ms' | 'us';
  /** Timestamps only: the zone of an instant (`'UTC'` for Parquet's isAdjustedToUTC), or null for a local time. */
  readonly zone?: string | null;
}

/**
 * A value of a Hive-style partition folder (`key=value/`) as its column holds it: numbers for int32, float64 and
 * date (days), bigints for int64, strings; null for `__HIVE_DEFAULT_PARTITION__`.
 */
export type PartitionValue = number | bigint | string | null;

/** A column every row of one file holds the same value of: a Hive partition folder above the file. */
export interface PartitionColumn {
  readonly name: string;
  readonly type: DataTypeName;
  readonly value: PartitionValue;
}

/**
 * Statistics of one column over a group of rows, in the column's own terms (dates as days, timestamps as ms,
 * strings as JS strings, int64 as bigints): absent bounds are null. Used to skip row groups no row of which can
 * pass a filter.
 */
export interface ColumnStats {
  readonly min: number | bigint | string | boolean | null;
  readonly max: number | bigint | string | boolean | null;
  /** Null values in the group, when the writer counted them. */
  readonly nulls: number | null;
}

/** One row group of a Parquet file, as its footer describes it. */
export interface ParquetRowGroup {
  /** Index of the row group in its file. */
  readonly index: number;
  readonly rows: number;
  /** Compressed bytes of its column chunks. */
  readonly bytes: number;
  /** Per file column (in `ParquetSplit.columns` order), or null where the writer kept none. */
  readonly stats: readonly (ColumnStats | null)[];
}

/**
 * A column of a Parquet file that a dataset cannot hold (nested, fixed-length binary, time of day): kept out of the
 * split's `columns`, so a query that never reads it reads the file (as Spark's and Polars' readers, which decode
 * only the columns asked for); a query that reads it fails, naming the file, the column and `parquetType`.
 */
export interface UnreadableColumn {
  readonly name: string;
  /** The column's Parquet type as the footer states it, e.g. `LIST`, `FIXED_LEN_BYTE_ARRAY (UUID)`. */
  readonly parquetType: string;
}

/** Consecutive row groups of one Parquet file: one task of `kc.read.parquet`. */
export interface ParquetSplit {
  readonly path: string;
  /** The file's columns, in file order, as the dataset types them. */
  readonly columns: readonly FileColumn[];
  /** The file's columns a dataset cannot hold (not in `columns`). @default [] */
  readonly unreadable?: readonly UnreadableColumn[];
  readonly rowGroups: readonly ParquetRowGroup[];
}

/**
 * What to do with a record that does not fit the schema (Spark's `mode`): `PERMISSIVE` makes the values that do
 * not fit null (a short record is padded with nulls, a long one cut), `DROPMALFORMED` drops the record,
 * `FAILFAST` fails the task with an error naming the file, line and column.
 */
export type MalformedMode = 'PERMISSIVE' | 'DROPMALFORMED' | 'FAILFAST';

/**
 * Told of each malformed record a reader kept (`PERMISSIVE`: its values that did not fit made null) or dropped
 * (`DROPMALFORMED`), for the task's metrics.
 */
export type OnMalformedRecord = (handled: 'nulled' | 'dropped') => void;

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
  /**
   * The longest line (with `multiLine`, record) in bytes without its terminator; a longer one is an `InputError`.
   * @default DEFAULT_LINE_BYTES_MAX
   */
  readonly lineBytesMax?: number;
  /**
   * Set when the types were inferred: the file whose first 4 MiB they came from. A value that a column's inferred
   * type cannot hold then fails the read in every mode (`ERR_INPUT_SCHEMA_MISMATCH`, executor/columnar/
   * executor/columnar/sources/inferred-type-miss.ts): the sample missed it, and nulling or dropping it would lose good
   * data silently.
   */
  readonly inferredFrom?: string;
}

/** A JSON-lines read, resolved: one JSON object per line, its fields picked by name. */
export interface JsonReadSpec {
  readonly columns: readonly FileColumn[];
  readonly mode: MalformedMode;
  /** As `CsvReadSpec.lineBytesMax`. */
  readonly lineBytesMax?: number;
  /** As `CsvReadSpec.inferredFrom`. */
  readonly inferredFrom?: string;
}

/** How a task writes its partition of a dataset (`ds.write`): one file per partition. */
export type FileWriteSpec =
  | { readonly kind: 'csv'; readonly header: boolean; readonly delimiter: number; readonly quote: number }
  | { readonly kind: 'jsonl' }
  | { readonly kind: 'arrow' }
  /** `rowGroupRows`: rows per row group (smaller groups let filters skip more, larger ones compress better). */
  | { readonly kind: 'parquet'; readonly rowGroupRows: number };

/** Column names and types of a dataset's rows, in order (`ds.write` settles one before publishing its files). */
export interface WriteSchema {
  readonly names: readonly string[];
  readonly types: readonly BatchTypeName[];
}

/**
 * What a write task saw of its partition's columns, for the driver to settle the dataset's one schema: partitions
 * of one dataset can hold different types (rows turned into columns per partition by `rdd.toDataset()`, Arrow
 * files of different schemas), and a file format with a schema must hold the same one in every file.
 */
export interface WrittenSchema extends WriteSchema {
  /**
   * Per column, the type the written file holds; null when the partition's batches did not fit the first one's
   * types (the file stops there, and the driver writes the partition again in the settled types). Types of
   * `types` are those of the values: `'null'` for a column whose every value is null.
   */
  readonly fileTypes: readonly BatchTypeName[] | null;
  /** How the partition's own batches differ beyond settling (other columns, types of no common type), or null. */
  readonly conflict: string | null;
}
