/**
 * Aggregates over a ROWS frame of a window (`Window.partitionBy(…).orderBy(…).rowsBetween(start, end)`, Spark's
 * `rowsBetween`): per row, `count`, `sum`, `mean`, `min` or `max` of the rows from `start` to `end` rows away
 * (within its window partition; null bounds unbounded). Semantics as `groupBy`'s: nulls skipped, null for a frame
 * without a value (`count` 0), `min` / `max` of the input's type (NaN the largest number: `max` NaN when a value is NaN, `min` when all are), an int64 `sum` exact
 * (`ERR_COLUMNAR_OVERFLOW` outside the int64 range). A frame unbounded on one side reads a running state from that
 * side (one pass), a bounded one adds its rows (rows × frame width); states are JS numbers or bigints per row.
 */
import type { AggregateFunction } from '../../../protocol/columnar.js';
import type { RowsFrame } from '../../../protocol/columnar-window.js';
import type { Column } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { extremeColumn } from '../grouping/group-states.js';
import { minOfNumbers } from '../aggregates/min-of-numbers.js';
import { numbersOf } from './window-aggregate.js';
import type { WindowFrames } from './window.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `fn` of `column` (null for `count()` of rows) over each row's ROWS frame, rows in window order.
 *
 * @example
 * framedAggregate('mean', prices, frames, rows, { start: -2, end: 0 }); // a 3-row moving average
 */
export function framedAggregate(
  fn: AggregateFunction,
  column: Column | null,
  frames: WindowFrames,
  rows: number,
  frame: RowsFrame,
): Column {
  const valid = column?.valid;
  const has = (row: number) => valid === undefined || valid[row] === 1;
  const counts = combined<number>(
    (row) => (column === null || has(row) ? 1 : null),
    (a, b) => a + b,
  );
  const n = counts(frames, rows, frame);
  if (fn === 'count') return { type: 'i32', values: Int32Array.from(n, (v) => v ?? 0) };
  if (column === null) throw new ColumnarError('ERR_COLUMNAR_UNSUPPORTED', `${fn}() over a window needs a column`);
  if (column.type === 'i64') return int64Frames(fn, column.values, has, n, frames, rows, frame);
  if ((fn === 'sum' || fn === 'mean') && (column.type === 'date' || column.type === 'timestamp')) {
    throw new ColumnarError('ERR_COLUMNAR_TYPE', `${fn}() over a window: cannot add up a ${column.type} column`);
  }
  const value = numbersOf(column, fn);
  const combine =
    fn === 'min'
      ? minOfNumbers
      : fn === 'max'
        ? Math.max
        : fn === 'sum' || fn === 'mean'
          ? (a: number, b: number) => a + b
          : null;
  if (combine === null) {
    throw new ColumnarError(
      'ERR_COLUMNAR_UNSUPPORTED',
      `${fn}() cannot run over a window (count, sum, mean, min, max can)`,
    );
  }
  const states = combined<number>((row) => (has(row) ? value(row) : null), combine)(frames, rows, frame);
  const out = new Float64Array(rows);
  const present = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    const state = states[row];
    if (state === null || state === undefined) continue;
    present[row] = 1;
    out[row] = fn === 'mean' ? state / n[row]! : state;
  }
  if (fn === 'min' || fn === 'max') return extremeColumn(out, present, column);
  return { type: 'f64', values: out, valid: present };
}

/** The int64 aggregates, exact: bigint states. */
function int64Frames(
  fn: AggregateFunction,
  values: BigInt64Array,
  has: (row: number) => boolean,
  n: readonly (number | null)[],
  frames: WindowFrames,
  rows: number,
  frame: RowsFrame,
): Column {
  const combine =
    fn === 'min'
      ? (a: bigint, b: bigint) => (b < a ? b : a)
      : fn === 'max'
        ? (a: bigint, b: bigint) => (b > a ? b : a)
        : (a: bigint, b: bigint) => a + b;
  const states = combined<bigint>((row) => (has(row) ? values[row]! : null), combine)(frames, rows, frame);
  const present = new Uint8Array(rows);
  if (fn === 'mean') {
    const means = new Float64Array(rows);
    states.forEach((s, row) => {
      if (s === null || s === undefined) return;
      present[row] = 1;
      means[row] = Number(s) / n[row]!;
    });
    return { type: 'f64', values: means, valid: present };
  }
  const out = new BigInt64Array(rows);
  states.forEach((s, row) => {
    if (s === null || s === undefined) return;
    if (s < INT64_MIN || s > INT64_MAX) {
      throw new ColumnarError(
        'ERR_COLUMNAR_OVERFLOW',
        `${fn}() over a window: the sum ${s} is outside the int64 range`,
      );
    }
    present[row] = 1;
    out[row] = s;
  });
  return { type: 'i64', values: out, valid: present };
}

/**
 * Per row, `combine` of the non-null `value`s of its frame (null when none): a running state from the partition's
 * start (a frame unbounded before) or end (unbounded after), else the frame's rows added one by one.
 */
function combined<T>(value: (row: number) => T | null, combine: (a: T, b: T) => T) {
  const join = (a: T | null, b: T | null): T | null => (a === null ? b : b === null ? a : combine(a, b));
  return (frames: WindowFrames, rows: number, frame: RowsFrame): (T | null)[] => {
    const { partitionStart, partitionEnd } = frames;
    const out = new Array<T | null>(rows).fill(null);
    const fromStart = new Array<T | null>(rows);
    const fromEnd = new Array<T | null>(rows);
    for (let row = 0; row < rows; row++) {
      fromStart[row] = join(partitionStart[row] === row ? null : fromStart[row - 1]!, value(row));
    }
    for (let row = rows - 1; row >= 0; row--) {
      fromEnd[row] = join(partitionEnd[row] === row + 1 ? null : fromEnd[row + 1]!, value(row));
    }
    for (let row = 0; row < rows; row++) {
      const first = partitionStart[row]!;
      const last = partitionEnd[row]! - 1;
      const lo = frame.start === null ? first : Math.max(first, row + frame.start);
      const hi = frame.end === null ? last : Math.min(last, row + frame.end);
      if (lo > hi) continue;
      if (frame.start === null) out[row] = fromStart[hi]!;
      else if (frame.end === null) out[row] = fromEnd[lo]!;
      else {
        let state: T | null = null;
        for (let r = lo; r <= hi; r++) state = join(state, value(r));
        out[row] = state;
      }
    }
    return out;
  };
}
