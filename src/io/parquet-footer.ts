/**
 * A Parquet file's footer, read synchronously (the driver plans splits from it; a task reads it again for the
 * column chunks' offsets): magic bytes and lengths checked first, so a truncated or foreign file is an `InputError`
 * `ERR_INPUT_CORRUPT` that names the file and says what was expected, not a thrift decoding error. Parsing is
 * hyparquet's (`parquetMetadata`), with value parsers that keep dates as days and timestamps as numbers.
 */
import { closeSync, fstatSync, readSync } from 'node:fs';

import type { FileMetaData, SchemaElement } from 'hyparquet';
import { parquetReader } from './parquet-modules.js';
import type { ParquetParsers } from 'hyparquet/src/types.js';

import { InputError } from '../common/errors.js';
import type { DataTypeName } from '../protocol/columnar.js';
import type { ColumnStats, FileColumn, ParquetRowGroup, UnreadableColumn } from '../protocol/file-formats.js';
import { openInput } from './files/input-fs-error.js';
import { decimalScale, widenDecimalBound } from './parquet-decimal.js';

const MAGIC = 0x31524150; // 'PAR1' little-endian
/** Bytes read from the end of the file at first: most footers fit, the rest take a second read. */
const TAIL_BYTES = 256 * 1024;

/**
 * Value parsers for hyparquet: dates stay days, timestamps become numbers in their own unit (nanoseconds are cut
 * to microseconds), strings stay UTF-8 bytes (copied once into a batch, never decoded). Statistics use
 * `STATS_PARSERS` instead, which decode strings and put timestamps in milliseconds (the unit of literals).
 */
export const VALUE_PARSERS: Partial<ParquetParsers> = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us),
  timestampFromNanoseconds: (ns: bigint) => Number(ns / 1000n),
  stringFromBytes: (bytes: Uint8Array) => bytes,
  jsonFromBytes: (bytes: Uint8Array) => bytes,
} as unknown as Partial<ParquetParsers>;

const STATS_PARSERS: Partial<ParquetParsers> = {
  dateFromDays: (days: number) => days,
  timestampFromMilliseconds: (ms: bigint) => Number(ms),
  timestampFromMicroseconds: (us: bigint) => Number(us) / 1000,
  timestampFromNanoseconds: (ns: bigint) => Number(ns) / 1e6,
} as unknown as Partial<ParquetParsers>;

/** A file's footer and size. */
export interface ParquetFooter {
  readonly metadata: FileMetaData;
  readonly fileBytes: number;
}

/**
 * The footer of the Parquet file at `path`. `forStats` parses statistics for pruning (see `STATS_PARSERS`).
 *
 * @example
 * const { metadata } = readParquetFooter('/data/part-00000.parquet', true);
 */
export function readParquetFooter(path: string, forStats: boolean): ParquetFooter {
  const fd = openInput(path);
  try {
    const fileBytes = fstatSync(fd).size;
    if (fileBytes < 12) {
      throw corrupt(path, `expected at least 12 bytes (PAR1, footer length, PAR1), found ${fileBytes}`);
    }
    const head = readAt(fd, 0, 4);
    const tail = readAt(fd, Math.max(0, fileBytes - TAIL_BYTES), Math.min(TAIL_BYTES, fileBytes));
    const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
    if (head.readUInt32LE(0) !== MAGIC || view.getUint32(tail.length - 4, true) !== MAGIC) {
      const found = head.readUInt32LE(0) !== MAGIC ? head : tail.subarray(tail.length - 4);
      throw corrupt(
        path,
        `expected the magic bytes PAR1 at its start and end, found ${JSON.stringify(found.toString('latin1'))} ` +
          `at its ${head.readUInt32LE(0) !== MAGIC ? 'start' : 'end'} (not a Parquet file, or truncated)`,
      );
    }
    const footerBytes = view.getUint32(tail.length - 8, true);
    if (footerBytes + 12 > fileBytes) {
      throw corrupt(path, `its footer claims ${footerBytes} bytes, but the file has only ${fileBytes}`);
    }
    const bytes = footerBytes + 8 <= tail.length ? tail : readAt(fd, fileBytes - footerBytes - 8, footerBytes + 8);
    let metadata: FileMetaData;
    try {
      metadata = parquetReader().hyparquet.parquetMetadata(bytes, {
        parsers: forStats ? STATS_PARSERS : VALUE_PARSERS,
      });
    } catch (error) {
      throw corrupt(path, `its footer cannot be decoded: ${(error as Error).message}`, error);
    }
    return { metadata, fileBytes };
  } finally {
    closeSync(fd);
  }
}

/**
 * Up to `length` bytes at `position` (fewer only where the file ends).
 *
 * @example
 * const chunk = readAt(fd, 4, 1024);
 */
export function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let at = 0;
  while (at < length) {
    const n = readSync(fd, buffer, at, length - at, position + at);
    if (n === 0) break;
    at += n;
  }
  return buffer.subarray(0, at);
}

/**
 * `InputError` `ERR_INPUT_CORRUPT` for the file at `path`.
 *
 * @example
 * throw corrupt(path, 'row group 3, column "x": invalid page header');
 */
export function corrupt(path: string, problem: string, cause?: unknown): InputError {
  return new InputError('ERR_INPUT_CORRUPT', `${path}: not a readable Parquet file: ${problem}`, { cause });
}

/** A top-level column of a Parquet file, as a dataset types it. */
export interface ParquetColumn extends FileColumn {
  /** Index of its leaf among the row group's column chunks. */
  readonly chunk: number;
  /** A DECIMAL column (read as float64): its statistics are widened (see `widenDecimalBound`). */
  readonly decimal?: true;
}

/** A file's top-level columns: those a dataset holds, and those it cannot (see `UnreadableColumn`). */
export interface ParquetColumns {
  readonly readable: ParquetColumn[];
  readonly unreadable: UnreadableColumn[];
}

/**
 * The file's columns as dataset columns, and apart those kindling cannot hold (nested: lists, maps, structs;
 * fixed-length binary; time of day), each with its Parquet type for the error of a query that reads it. Unsigned
 * 64-bit integers are read as int64, as DuckDB's UBIGINT and Polars' UInt64 hold them exactly: a value past int64
 * fails the read that meets it (see the executor's Parquet source).
 *
 * @example
 * parquetColumns(metadata).readable; // [{ name: 'id', type: 'int64', chunk: 0 }, …]
 */
export function parquetColumns(metadata: FileMetaData): ParquetColumns {
  const schema = metadata.schema;
  const readable: ParquetColumn[] = [];
  const unreadable: UnreadableColumn[] = [];
  let chunk = 0;
  for (let i = 1; i < schema.length;) {
    const element = schema[i]!;
    const { end, leaves } = subtree(schema, i);
    const typed = end > i + 1 || element.repetition_type === 'REPEATED' ? nestedType(element) : columnType(element);
    if (typeof typed === 'string') unreadable.push({ name: element.name, parquetType: typed });
    else readable.push({ ...typed, chunk, ...(decimalScale(element) === null ? {} : { decimal: true as const }) });
    chunk += leaves;
    i = end;
  }
  return { readable, unreadable };
}

/** Where the subtree of the schema element at `at` ends (flattened depth first) and how many leaf chunks it has. */
function subtree(schema: readonly SchemaElement[], at: number): { end: number; leaves: number } {
  const children = schema[at]?.num_children ?? 0;
  if (children === 0) return { end: at + 1, leaves: 1 };
  let end = at + 1;
  let leaves = 0;
  for (let c = 0; c < children && end < schema.length; c++) {
    const child = subtree(schema, end);
    end = child.end;
    leaves += child.leaves;
  }
  return { end, leaves };
}

function nestedType(element: SchemaElement): string {
  if ((element.num_children ?? 0) === 0) return `repeated ${element.type ?? 'value'}`;
  return element.logical_type?.type ?? element.converted_type ?? 'group (struct)';
}

/** The column's dataset type, or its Parquet type as text where a dataset cannot hold it. */
function columnType(element: SchemaElement): FileColumn | string {
  const { name, type, converted_type: converted, logical_type: logical } = element;
  const of = (t: DataTypeName): FileColumn => ({ name, type: t });
  if (logical?.type === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') {
    const unit =
      logical?.type === 'TIMESTAMP'
        ? logical.unit === 'MILLIS'
          ? 'ms'
          : 'us'
        : converted === 'TIMESTAMP_MILLIS'
          ? 'ms'
          : 'us';
    const utc = logical?.type === 'TIMESTAMP' ? logical.isAdjustedToUTC : true;
    return { name, type: 'timestamp', unit, zone: utc ? 'UTC' : null };
  }
  if (type === 'INT96') return { name, type: 'timestamp', unit: 'us', zone: null };
  if (logical?.type === 'DATE' || converted === 'DATE') return of('date');
  if (converted === 'DECIMAL' || logical?.type === 'DECIMAL' || logical?.type === 'FLOAT16') return of('float64');
  if (logical?.type === 'TIME' || converted === 'TIME_MILLIS' || converted === 'TIME_MICROS') return `${type} (TIME)`;
  const unsigned = (converted?.startsWith('UINT_') ?? false) || (logical?.type === 'INTEGER' && !logical.isSigned);
  switch (type) {
    case 'BOOLEAN':
      return of('bool');
    case 'INT32':
      return of(
        unsigned && (converted === 'UINT_32' || (logical?.type === 'INTEGER' && logical.bitWidth === 32))
          ? 'int64'
          : 'int32',
      );
    case 'INT64':
      return of('int64');
    case 'FLOAT':
    case 'DOUBLE':
      return of('float64');
    case 'BYTE_ARRAY':
      if (logical === undefined || ['STRING', 'ENUM', 'JSON'].includes(logical.type)) return of('utf8');
      break;
    default:
      break;
  }
  return `${type ?? 'group'}${logical === undefined ? '' : ` (${logical.type})`}${converted === undefined || converted === logical?.type ? '' : ` (${converted})`}`;
}

/**
 * `InputError` `ERR_INPUT_SCHEMA_MISMATCH` for a query that reads `column`, which no dataset type holds; `all`
 * when it is read because the query reads every column (no `select` narrows them before the rows leave the stage).
 *
 * @example
 * throw unreadableColumn('/data/a.parquet', { name: 'tags', parquetType: 'LIST' }, true);
 */
export function unreadableColumn(path: string, column: UnreadableColumn, all: boolean): InputError {
  return new InputError(
    'ERR_INPUT_SCHEMA_MISMATCH',
    `${path}: column '${column.name}' has Parquet type ${column.parquetType}, which columnar datasets cannot hold ` +
      '(expected booleans, integers, floats, decimals, strings, dates or timestamps), and the query reads ' +
      (all ? "every column: select the ones it needs first (ds.select('a', 'b'))" : 'it'),
  );
}

/**
 * The footer's row groups with each column's statistics (read with `forStats` parsers), for pruning.
 *
 * @example
 * const groups = parquetRowGroups(metadata, columns);
 */
export function parquetRowGroups(metadata: FileMetaData, columns: readonly ParquetColumn[]): ParquetRowGroup[] {
  return metadata.row_groups.map((group, index): ParquetRowGroup => {
    let bytes = 0;
    for (const chunk of group.columns) bytes += Number(chunk.meta_data?.total_compressed_size ?? 0n);
    const stats = columns.map((column): ColumnStats | null => {
      const s = group.columns[column.chunk]?.meta_data?.statistics;
      if (s === undefined) return null;
      // min_value / max_value order by the logical type; the deprecated min / max only for numbers and booleans.
      const numeric = column.type !== 'utf8';
      const min = s.min_value ?? (numeric ? s.min : undefined);
      const max = s.max_value ?? (numeric ? s.max : undefined);
      const bound = (value: unknown, side: 'min' | 'max') => {
        const v = statValue(value);
        return column.decimal === true && typeof v === 'number' ? widenDecimalBound(v, side) : v;
      };
      return {
        min: bound(min, 'min'),
        max: bound(max, 'max'),
        nulls: s.null_count === undefined ? null : Number(s.null_count),
      };
    });
    return { index, rows: Number(group.num_rows), bytes, stats };
  });
}

function statValue(value: unknown): ColumnStats['min'] {
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string') return value;
  if (typeof value === 'boolean') return value;
  return null;
}
