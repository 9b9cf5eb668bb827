/**
 * Argument checks of scalar functions: each names the function, the argument (a column's name, or its position)
 * and the expected versus found type, so `upper(n)` over numbers fails with a message the user can act on.
 */
import type { ColumnExpr, LiteralValue } from '../../../protocol/columnar.js';
import type { Column, Utf8Column } from '../batches/batch.js';
import { castColumn } from '../expressions/cast.js';
import { ColumnarError } from '../error.js';

/** Column types as users name them in messages. */
const TYPE_NAMES: Readonly<Record<Column['type'], string>> = {
  utf8: 'string',
  f64: 'float64',
  i32: 'int32',
  i64: 'int64',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
};

/** `column 'x'` for a column reference, else `argument 2` (1-based). */
export function argLabel(expr: ColumnExpr | undefined, index: number): string {
  return expr?.kind === 'col' ? `column '${expr.name}'` : `argument ${index + 1}`;
}

/** A `ColumnarError` `ERR_COLUMNAR_TYPE`: `fn(): expected <expected> for column 'x', found a <type> column`. */
export function wrongType(fn: string, expr: ColumnExpr | undefined, index: number, expected: string, found: Column) {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${fn}(): expected ${expected} for ${argLabel(expr, index)}, found a ${TYPE_NAMES[found.type]} column`,
  );
}

/** The argument as strings. */
export function stringArg(fn: string, column: Column, expr: ColumnExpr | undefined, index: number): Utf8Column {
  if (column.type === 'utf8') return column;
  throw wrongType(fn, expr, index, 'a string', column);
}

/** The argument as a number column (int32, int64 or float64). */
export function numericArg(fn: string, column: Column, expr: ColumnExpr | undefined, index: number): Column {
  if (column.type === 'f64' || column.type === 'i32' || column.type === 'i64') return column;
  throw wrongType(fn, expr, index, 'a number', column);
}

/** The argument as a date or timestamp column; strings are read as timestamps (as Spark's implicit cast). */
export function temporalArg(fn: string, column: Column, expr: ColumnExpr | undefined, index: number, rows: number) {
  if (column.type === 'date' || column.type === 'timestamp') return column;
  if (column.type === 'utf8') return castColumn(column, 'timestamp', rows) as Extract<Column, { type: 'timestamp' }>;
  throw wrongType(fn, expr, index, 'a date, timestamp or string', column);
}

/** Parameter `index` of a call, checked to be of `type` (the API checked it; a hand-made plan may not have). */
export function param<T extends 'number' | 'string'>(
  fn: string,
  params: readonly LiteralValue[],
  index: number,
  type: T,
): T extends 'number' ? number : string {
  const value = params[index];
  if (typeof value !== type) {
    throw new ColumnarError('ERR_COLUMNAR_TYPE', `${fn}(): parameter ${index + 1} should be a ${type}`);
  }
  return value as T extends 'number' ? number : string;
}
