/**
 * Column batches: what columnar kernels read and write. A string column is a "view" column (Arrow's Utf8View idea):
 * per row a start and an end into a byte buffer, so splitting lines into words, reading a block's Utf8 column or
 * repeating a literal never copies bytes. Every typed array holds at least `rows` entries; only the first `rows`
 * count. Nothing here is per-value JS objects or strings.
 */
import { dictionaryOf, sliceDictionaryColumn } from './dictionary-column.js';
import { ColumnarError } from '../error.js';

/**
 * What every column may carry: `valid`, one byte per row (1 = a value, 0 = null), unpacked from Arrow's validity
 * bits for cheap indexing; absent when no row is null. A null row's value slot holds anything: kernels read
 * `valid` first (SQL semantics: nulls propagate through arithmetic and comparisons, aggregates skip them).
 */
export interface Nullable {
  readonly valid?: Uint8Array | undefined;
}

/** UTF-8 strings: row `i` is `bytes[starts[i], ends[i])`. */
export interface Utf8Column extends Nullable {
  readonly type: 'utf8';
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Float64 numbers. */
export interface F64Column extends Nullable {
  readonly type: 'f64';
  readonly values: Float64Array;
}

/** Int32 numbers. */
export interface I32Column extends Nullable {
  readonly type: 'i32';
  readonly values: Int32Array;
}

/** Int64 numbers (bigints in JS rows). */
export interface I64Column extends Nullable {
  readonly type: 'i64';
  readonly values: BigInt64Array;
}

/** Booleans, one byte (0 or 1) per row, unpacked from Arrow's bits for cheap indexing. */
export interface BoolColumn extends Nullable {
  readonly type: 'bool';
  readonly values: Uint8Array;
}

/** Dates: days since 1970-01-01 (Arrow Date32). */
export interface DateColumn extends Nullable {
  readonly type: 'date';
  readonly values: Int32Array;
}

/**
 * Instants: `unit`s since the epoch, held as float64 (exact to 2^53 µs, the year 2255) so kernels do plain number
 * arithmetic; stored in blocks as Arrow's int64 Timestamp with `zone`.
 */
export interface TimestampColumn extends Nullable {
  readonly type: 'timestamp';
  readonly values: Float64Array;
  readonly unit: 'ms' | 'us';
  readonly zone: string | null;
}

/** One column of a batch. */
export type Column = Utf8Column | F64Column | I32Column | I64Column | BoolColumn | DateColumn | TimestampColumn;

/** Columns held as one typed array of values per row. */
export type FixedColumn = Exclude<Column, Utf8Column>;

/** Rows of named columns, all of the same length. */
export interface Batch {
  readonly rows: number;
  readonly names: readonly string[];
  readonly columns: readonly Column[];
}

/**
 * The column named `name`; throws `ColumnarError` `ERR_COLUMNAR_UNKNOWN_COLUMN` listing the columns there are.
 *
 * @example
 * const words = columnOf(batch, 'word', 'groupBy()');
 */
export function columnOf(batch: Batch, name: string, where: string): Column {
  const index = batch.names.indexOf(name);
  if (index < 0) {
    throw new ColumnarError(
      'ERR_COLUMNAR_UNKNOWN_COLUMN',
      `${where}: no column '${name}'; the dataset has columns ${batch.names.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  return batch.columns[index]!;
}

/**
 * Rows `indices[0 … count)` of `column`, in that order. String rows keep pointing into the same bytes (no copy).
 *
 * @example
 * const kept = gatherColumn(column, selected, selectedCount);
 */
export function gatherColumn(column: Column, indices: Int32Array, count: number): Column {
  const valid = column.valid === undefined ? undefined : gatherBytes(column.valid, indices, count);
  if (column.type === 'utf8') {
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    const { starts: s, ends: e } = column;
    for (let i = 0; i < count; i++) {
      const row = indices[i]!;
      starts[i] = s[row]!;
      ends[i] = e[row]!;
    }
    return { type: 'utf8', bytes: column.bytes, starts, ends, valid };
  }
  const from = column.values;
  const values = new (from.constructor as new (n: number) => typeof from)(count);
  if (from instanceof BigInt64Array) {
    const to = values as BigInt64Array;
    for (let i = 0; i < count; i++) to[i] = from[indices[i]!]!;
  } else {
    const to = values as Float64Array;
    const numbers = from as Float64Array;
    for (let i = 0; i < count; i++) to[i] = numbers[indices[i]!]!;
  }
  return { ...column, values, valid } as Column;
}

function gatherBytes(from: Uint8Array, indices: Int32Array, count: number): Uint8Array {
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = from[indices[i]!]!;
  return out;
}

/**
 * The same column with `valid` as its validity (dropped when null or when every row is valid).
 *
 * @example
 * const sums = withValidity({ type: 'f64', values }, seen, groups);
 */
export function withValidity<C extends Column>(column: C, valid: Uint8Array | undefined, rows: number): C {
  if (valid === undefined || allSet(valid, rows)) {
    if (column.valid === undefined) return column;
    const { valid: _dropped, ...rest } = column;
    return rest as C;
  }
  return { ...column, valid };
}

/** True when every one of the first `rows` bytes is 1. */
export function allSet(valid: Uint8Array, rows: number): boolean {
  for (let i = 0; i < rows; i++) if (valid[i] !== 1) return false;
  return true;
}

/** True when the column has no value in its first `rows` rows, or in rows `from … rows - 1` (every row null). */
export function allNull(column: Column, rows: number, from = 0): boolean {
  const valid = column.valid;
  if (valid === undefined) return rows <= from;
  for (let i = from; i < rows; i++) if (valid[i] !== 0) return false;
  return true;
}

/** Rows `indices[0 … count)` of every column of `batch`. */
export function gatherBatch(batch: Batch, indices: Int32Array, count: number): Batch {
  return { rows: count, names: batch.names, columns: batch.columns.map((c) => gatherColumn(c, indices, count)) };
}

/** `count` rows of `batch` from row `start` (the first ones by default), as views: no copy. */
export function sliceBatch(batch: Batch, count: number, start = 0): Batch {
  if (start === 0 && count >= batch.rows) return batch;
  const end = Math.min(batch.rows, start + count);
  const columns = batch.columns.map((column): Column => {
    const coded = dictionaryOf(column);
    if (coded !== undefined) return sliceDictionaryColumn(column as Utf8Column, coded, start, end);
    const valid = column.valid?.subarray(start, end);
    if (column.type === 'utf8') {
      return { ...column, starts: column.starts.subarray(start, end), ends: column.ends.subarray(start, end), valid };
    }
    return { ...column, values: column.values.subarray(start, end), valid } as Column;
  });
  return { rows: end - start, names: batch.names, columns };
}

/** Bytes the first `rows` strings of a column span in total. */
export function utf8Bytes(column: Utf8Column, rows: number): number {
  // Read once: a dictionary-read column's starts/ends are getters (`dictionary-column.ts`).
  const { starts, ends } = column;
  let total = 0;
  for (let i = 0; i < rows; i++) total += ends[i]! - starts[i]!;
  return total;
}

/**
 * Rows `indices[0 … count)` of `column`, where an index of -1 gives a null row (the unmatched side of an outer
 * join). String rows keep pointing into the same bytes.
 *
 * @example
 * const right = gatherColumnOrNull(rightColumn, rightRows, count);
 */
export function gatherColumnOrNull(column: Column, indices: Int32Array, count: number): Column {
  let hasNull = false;
  for (let i = 0; i < count && !hasNull; i++) hasNull = indices[i]! < 0;
  if (!hasNull) return gatherColumn(column, indices, count);
  const safe = new Int32Array(count);
  const valid = new Uint8Array(count);
  const source = column.valid;
  for (let i = 0; i < count; i++) {
    const row = indices[i]!;
    safe[i] = row < 0 ? 0 : row;
    valid[i] = row < 0 ? 0 : source === undefined ? 1 : source[row]!;
  }
  if (column.type === 'utf8') {
    // Null rows view an empty range; a column of no rows has no row 0 to view.
    const starts = new Int32Array(count);
    const ends = new Int32Array(count);
    const { starts: s, ends: e } = column; // once: getters on a dictionary-read column
    for (let i = 0; i < count; i++) {
      if (valid[i] === 0) continue;
      starts[i] = s[safe[i]!]!;
      ends[i] = e[safe[i]!]!;
    }
    return { type: 'utf8', bytes: column.bytes, starts, ends, valid };
  }
  const values = new (column.values.constructor as new (n: number) => FixedColumn['values'])(count);
  for (let i = 0; i < count; i++) if (valid[i] === 1) (values as Float64Array)[i] = column.values[safe[i]!] as number;
  return { ...column, values, valid } as Column;
}
