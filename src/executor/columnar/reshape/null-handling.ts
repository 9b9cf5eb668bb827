/**
 * `dropna` and `fillna` over a batch (Spark's `na.drop` / `na.fill`): which columns they touch is resolved against
 * the batch's own columns, since a dataset's schema is known only when it runs. Null and, in float64 columns, NaN
 * count as missing, as in Spark.
 */
import type { FillNull } from '../../../protocol/columnar-reshape.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';
import { columnOf, gatherBatch, type Batch, type Column } from '../batches/batch.js';
import { ColumnarError } from '../error.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The rows of `batch` where at least `minValues` of `columns` (every column when null) hold a value.
 *
 * @example
 * dropNulls(batch, ['price'], 'all-columns'); // rows whose price is neither null nor NaN
 */
export function dropNulls(batch: Batch, columns: readonly string[] | null, minValues: number | 'all-columns'): Batch {
  const checked = columns === null ? batch.columns : columns.map((name) => columnOf(batch, name, 'dropna()'));
  const needed = minValues === 'all-columns' ? checked.length : minValues;
  const present = new Int32Array(batch.rows);
  for (const column of checked) countValues(column, batch.rows, present);
  const keep = new Int32Array(batch.rows);
  let kept = 0;
  for (let row = 0; row < batch.rows; row++) if (present[row]! >= needed) keep[kept++] = row;
  return kept === batch.rows ? batch : gatherBatch(batch, keep, kept);
}

function countValues(column: Column, rows: number, present: Int32Array): void {
  const valid = column.valid;
  const doubles = column.type === 'f64' ? column.values : null;
  for (let row = 0; row < rows; row++) {
    if (valid !== undefined && valid[row] === 0) continue;
    if (doubles !== null && Number.isNaN(doubles[row]!)) continue;
    present[row]!++;
  }
}

/**
 * `batch` with each column's missing values replaced by the first of `fills` that names it, else by the first that
 * names no column, when the column's type takes the value.
 *
 * @example
 * fillNulls(batch, [{ column: null, value: 0, strict: false }]); // every number column's nulls (and NaN) → 0
 */
export function fillNulls(batch: Batch, fills: readonly FillNull[]): Batch {
  for (const fill of fills) {
    if (fill.column !== null) columnOf(batch, fill.column, 'fillna()');
  }
  let changed = false;
  const columns = batch.columns.map((column, c) => {
    const name = batch.names[c]!;
    const fill = fills.find((f) => f.column === name) ?? fills.find((f) => f.column === null);
    if (fill === undefined) return column;
    const filled = filledColumn(column, batch.rows, fill.value);
    if (filled === null) {
      if (fill.strict) {
        throw new ColumnarError(
          'ERR_COLUMNAR_TYPE',
          `fillna(): column '${name}' is ${CAST_TYPE_NAMES[column.type]} and cannot take ${typeof fill.value} ${String(fill.value)}; fill it with coalesce(col('${name}'), lit(…)) of its type`,
        );
      }
      return column;
    }
    changed ||= filled !== column;
    return filled;
  });
  return changed ? { ...batch, columns } : batch;
}

/** The column with its missing values set to `value`; the column itself when none is missing; null when its type does not take `value`. */
function filledColumn(column: Column, rows: number, value: FillNull['value']): Column | null {
  switch (column.type) {
    case 'f64': {
      if (typeof value !== 'number' && typeof value !== 'bigint') return null;
      const fill = Number(value);
      const { values, valid } = column;
      let out: Float64Array | null = null;
      for (let row = 0; row < rows; row++) {
        if ((valid === undefined || valid[row] !== 0) && !Number.isNaN(values[row]!)) continue;
        out ??= values.slice(0, rows);
        out[row] = fill;
      }
      return out === null ? column : { type: 'f64', values: out };
    }
    case 'i32': {
      if (typeof value !== 'number' && typeof value !== 'bigint') return null;
      const fill = typeof value === 'bigint' ? Number(value) : Math.trunc(value);
      // As cast('int32'): a value out of int32's range does not convert, so the nulls stay.
      if (!(fill >= INT32_MIN && fill <= INT32_MAX)) return column;
      return withFixedFill(column, rows, (values, row) => ((values as Int32Array)[row] = fill));
    }
    case 'i64': {
      if (typeof value !== 'number' && typeof value !== 'bigint') return null;
      if (typeof value === 'number' && !Number.isFinite(value)) return column;
      const fill = typeof value === 'bigint' ? BigInt.asIntN(64, value) : BigInt(Math.trunc(value));
      return withFixedFill(column, rows, (values, row) => ((values as BigInt64Array)[row] = fill));
    }
    case 'bool': {
      if (typeof value !== 'boolean') return null;
      const fill = value ? 1 : 0;
      return withFixedFill(column, rows, (values, row) => ((values as Uint8Array)[row] = fill));
    }
    case 'utf8':
      return typeof value === 'string' ? filledStrings(column, rows, value) : null;
    case 'date':
    case 'timestamp':
      return null;
  }
}

/** A copy of a fixed-width column's values with `set` applied to each null row, and no validity; or the column. */
function withFixedFill<C extends Exclude<Column, { type: 'utf8' }>>(
  column: C,
  rows: number,
  set: (values: C['values'], row: number) => void,
): Column {
  const valid = column.valid;
  if (valid === undefined) return column;
  const values = column.values.slice(0, rows) as C['values'];
  for (let row = 0; row < rows; row++) if (valid[row] === 0) set(values, row);
  return { ...column, values, valid: undefined } as Column;
}

/**
 * A string column of the rows' own bytes with null rows pointing at `value`'s, stored once. The rows' bytes are
 * copied out (a batch's strings may view a whole block's buffer, which need not be copied with them).
 */
function filledStrings(column: Extract<Column, { type: 'utf8' }>, rows: number, value: string): Column {
  const valid = column.valid;
  if (valid === undefined) return column;
  const fill = Buffer.from(value, 'utf8');
  const { bytes: from, starts: fromStarts, ends: fromEnds } = column;
  let total = fill.length;
  for (let row = 0; row < rows; row++) if (valid[row] !== 0) total += fromEnds[row]! - fromStarts[row]!;
  const bytes = new Uint8Array(total);
  bytes.set(fill, 0);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let at = fill.length;
  for (let row = 0; row < rows; row++) {
    if (valid[row] === 0) {
      ends[row] = fill.length;
      continue;
    }
    bytes.set(from.subarray(fromStarts[row]!, fromEnds[row]!), at);
    starts[row] = at;
    at += fromEnds[row]! - fromStarts[row]!;
    ends[row] = at;
  }
  return { type: 'utf8', bytes, starts, ends };
}
