/**
 * Builders of typed columns for file readers: one per schema column, sized for a batch, filled row by row from
 * parsed values, with validity allocated at the first null. A row may be abandoned (`DROPMALFORMED`) by simply not
 * counting it: every write sets its validity byte, so the next row overwrites it whole.
 */
import type { FileColumn } from '../../../protocol/file-formats.js';
import type { Column } from '../batches/batch.js';

/** The typed arrays of one column under construction. */
export interface FieldColumn {
  readonly type: FileColumn['type'];
  /** int32 / date: Int32Array; float64 / timestamp (ms): Float64Array; int64: BigInt64Array; bool: Uint8Array. */
  readonly values: Int32Array | Float64Array | BigInt64Array | Uint8Array | null;
  /** utf8: byte ranges into the batch's buffer. */
  readonly starts: Int32Array | null;
  readonly ends: Int32Array | null;
  valid: Uint8Array | null;
}

/**
 * Empty builders for `columns`, `rows` rows each.
 *
 * @example
 * const builders = fieldColumns(spec.columns, lines.rows);
 */
export function fieldColumns(columns: readonly FileColumn[], rows: number): FieldColumn[] {
  return columns.map(({ type }) => {
    const values =
      type === 'int32' || type === 'date'
        ? new Int32Array(rows)
        : type === 'float64' || type === 'timestamp'
          ? new Float64Array(rows)
          : type === 'int64'
            ? new BigInt64Array(rows)
            : type === 'bool'
              ? new Uint8Array(rows)
              : null;
    const text = type === 'utf8';
    return {
      type,
      values,
      starts: text ? new Int32Array(rows) : null,
      ends: text ? new Int32Array(rows) : null,
      valid: null,
    };
  });
}

/** Marks `row` of `column` null (allocating its validity, all valid so far, at the first null). */
export function setNull(column: FieldColumn, row: number, capacity: number): void {
  column.valid ??= new Uint8Array(capacity).fill(1);
  column.valid[row] = 0;
  if (column.starts !== null) {
    column.starts[row] = 0;
    column.ends![row] = 0;
  }
}

/** Marks `row` of `column` as holding a value (its value is written by the caller). */
export function setPresent(column: FieldColumn, row: number): void {
  if (column.valid !== null) column.valid[row] = 1;
}

/**
 * The finished columns of `rows` rows; string columns view `bytes`.
 *
 * @example
 * const batch = { rows, names, columns: finishColumns(builders, rows, lineBytes) };
 */
export function finishColumns(builders: readonly FieldColumn[], rows: number, bytes: Uint8Array): Column[] {
  return builders.map((b): Column => {
    const valid = b.valid === null ? undefined : b.valid.subarray(0, rows);
    switch (b.type) {
      case 'utf8':
        return { type: 'utf8', bytes, starts: b.starts!.subarray(0, rows), ends: b.ends!.subarray(0, rows), valid };
      case 'int32':
        return { type: 'i32', values: (b.values as Int32Array).subarray(0, rows), valid };
      case 'date':
        return { type: 'date', values: (b.values as Int32Array).subarray(0, rows), valid };
      case 'float64':
        return { type: 'f64', values: (b.values as Float64Array).subarray(0, rows), valid };
      case 'timestamp':
        return {
          type: 'timestamp',
          values: (b.values as Float64Array).subarray(0, rows),
          unit: 'ms',
          zone: null,
          valid,
        };
      case 'int64':
        return { type: 'i64', values: (b.values as BigInt64Array).subarray(0, rows), valid };
      case 'bool':
        return { type: 'bool', values: (b.values as Uint8Array).subarray(0, rows), valid };
    }
  });
}
