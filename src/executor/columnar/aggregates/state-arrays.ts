/**
 * What the group aggregates share: reading a numeric input column, and state arrays that grow with the groups.
 */
import type { Batch } from '../batch.js';
import { columnOf } from '../batch.js';
import { ColumnarError } from '../error.js';

/**
 * The numbers of a numeric input column (int64 converted once per column), and their validity.
 *
 * @example
 * const { values, valid } = numericInput(batch, 'x', 'stddev');
 */
export function numericInput(
  batch: Batch,
  name: string,
  fn: string,
): { readonly values: Float64Array | Int32Array; readonly valid: Uint8Array | undefined } {
  const column = columnOf(batch, name, 'agg()');
  switch (column.type) {
    case 'f64':
    case 'i32':
      return { values: column.values, valid: column.valid };
    case 'i64': {
      const values = new Float64Array(batch.rows);
      for (let i = 0; i < batch.rows; i++) values[i] = Number(column.values[i]!);
      return { values, valid: column.valid };
    }
    default:
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `${fn}(): expected a numeric column '${name}' to aggregate, found a ${column.type} column`,
      );
  }
}

/** A float64 array of at least `n` entries holding `old`'s (doubling, so growth is amortized). */
export function grownFloat64(old: Float64Array, n: number): Float64Array {
  if (n <= old.length) return old;
  const next = new Float64Array(Math.max(n, old.length * 2));
  next.set(old);
  return next;
}

/** An int32 array of at least `n` entries holding `old`'s, new entries `fill`. */
export function grownInt32(old: Int32Array, n: number, fill = 0): Int32Array {
  if (n <= old.length) return old;
  const next = new Int32Array(Math.max(n, old.length * 2));
  if (fill !== 0) next.fill(fill, old.length);
  next.set(old);
  return next;
}
