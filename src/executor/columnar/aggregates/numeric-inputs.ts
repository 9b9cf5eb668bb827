/**
 * The numeric input columns an aggregate reads, an int64 column converted to float64 once per column. A
 * `GroupAggregate` is handed a batch a chunk of rows at a time (64 K rows, `grouping/chunked-aggregation.ts`), and
 * converting the whole column for each chunk cost the square of the batch's rows: a cached partition of 10 M int64
 * rows is one batch of 153 chunks, so 153 conversions of 10 M values where one does.
 */
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

/** The numbers of a numeric input column, and their validity (undefined: no nulls). */
export interface NumericInput {
  readonly values: Float64Array | Int32Array;
  readonly valid: Uint8Array | undefined;
}

/**
 * Int64 columns converted so far in this thread (every `NumericInputs`): read by tests, which check that a column
 * is converted once however many chunks of it are added.
 */
export const int64Conversions = { count: 0 };

/**
 * The numeric inputs of one aggregate. Per input name it keeps the last column it met and its numbers, so the
 * chunks of one batch share one conversion; a new batch's column replaces them (no batch is held past the next).
 *
 * @example
 * const inputs = new NumericInputs('stddev');
 * const { values, valid } = inputs.of(batch, 'x');
 */
export class NumericInputs {
  private readonly fn: string;
  private readonly last = new Map<string, { readonly column: Column; readonly input: NumericInput }>();

  /** `fn` names the aggregate in errors. */
  constructor(fn: string) {
    this.fn = fn;
  }

  /** Column `name` of `batch` as numbers (an int64 column converted, once for as long as it is the one met). */
  of(batch: Batch, name: string): NumericInput {
    const column = columnOf(batch, name, 'agg()');
    switch (column.type) {
      case 'f64':
      case 'i32':
        return { values: column.values, valid: column.valid };
      case 'i64': {
        const last = this.last.get(name);
        if (last !== undefined && last.column === column) return last.input;
        int64Conversions.count++;
        const values = new Float64Array(batch.rows);
        const int64s = column.values;
        for (let i = 0; i < batch.rows; i++) values[i] = Number(int64s[i]!);
        const input = { values, valid: column.valid };
        this.last.set(name, { column, input });
        return input;
      }
      default:
        throw new ColumnarError(
          'ERR_COLUMNAR_TYPE',
          `${this.fn}(): expected a numeric column '${name}' to aggregate, found a ${CAST_TYPE_NAMES[column.type]} column`,
        );
    }
  }
}
