/**
 * How `HashAggregator` holds its grouping keys, chosen from the first batch's key columns, and how a table's keys
 * come back as columns of the types the user grouped by.
 */
import type { Column } from './batch.js';
import { ColumnarError } from './error.js';
import { codedKindOf } from './kernels/coded-tuple-keys.js';

/**
 * `utf8`: one string key in a byte-key table; `number`: one numeric key by value; `coded`: several string and
 * number keys coded column by column; `tuple`: any other keys as a byte encoding of the tuple; `counted-utf8`:
 * whitespace tokens counted by the fused word count (no group ids); `identity`: every row its own group, no table
 * (the aggregator behind a pass-through).
 */
export type GroupKeyMode = 'utf8' | 'number' | 'tuple' | 'coded' | 'counted-utf8' | 'identity';

/**
 * The key mode for rows whose key columns are `columns`.
 *
 * @example
 * chooseKeyMode([id1Column]); // 'utf8'
 */
export function chooseKeyMode(columns: readonly Column[]): 'utf8' | 'number' | 'tuple' | 'coded' {
  if (columns.length !== 1)
    return columns.length > 1 && columns.every((c) => codedKindOf(c) !== null) ? 'coded' : 'tuple';
  const type = columns[0]!.type;
  return type === 'utf8' ? 'utf8' : type === 'f64' || type === 'i32' ? 'number' : 'tuple';
}

/** An int32 column as float64 (the type a number key comes back in from a table). */
export function toFloat64(column: Extract<Column, { type: 'i32' }>, rows: number): Column {
  return { type: 'f64', values: Float64Array.from(column.values.subarray(0, rows)), valid: column.valid };
}

/**
 * A decoded key column in the type of the first batch's key column: dates and timestamps come back as float64
 * numbers from the tables. Int32 keys stay float64 (as they always have).
 */
export function retype(column: Column, template: Column | undefined): Column {
  if (column.type !== 'f64') return column;
  if (template?.type === 'date') return { type: 'date', values: Int32Array.from(column.values), valid: column.valid };
  if (template?.type === 'timestamp') return { ...template, values: column.values, valid: column.valid };
  return column;
}

/** The error of a key column whose type differs from the one the aggregation's key mode was chosen for. */
export function keyTypeChange(key: string, expected: string, found: string): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `groupBy(): key column '${key}' changed type between batches: expected ${expected}, found ${found}`,
  );
}
