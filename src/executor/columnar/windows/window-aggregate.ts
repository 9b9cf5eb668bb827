/**
 * Running aggregates of the `window` operator: per row, the aggregate over its window partition from the first
 * row to the last of its peers (RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, Spark's default frame for an
 * ordered window; without order keys every row of a partition is a peer, so the frame is the whole partition).
 * One prefix pass per partition, then each row reads the prefix at its peer group's end. Semantics as `groupBy`'s:
 * nulls skipped, null when the frame has no value, `count` int32, `sum` / `mean` float64 (an int64 `sum` int64,
 * exact, failing with `ERR_COLUMNAR_OVERFLOW` outside the int64 range; its `mean` divides the exact sum), `min` /
 * `max` of the input's type, NaN the largest number (a `max` NaN when a value is NaN, a `min` only when all are).
 */
import type { AggregateFunction } from '../../../protocol/columnar.js';
import type { Column } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { extremeColumn } from '../grouping/group-states.js';
import { minOfNumbers } from '../aggregates/min-of-numbers.js';
import { addWords, int64Words, sumNumber, writeSum } from '../aggregates/int64-states.js';
import type { WindowFrames } from './window.js';

/**
 * The running `fn` of `column` (null for `count()` of rows) over the rows in window order.
 *
 * @example
 * runningAggregate('sum', amounts, frames, rows);
 */
export function runningAggregate(
  fn: AggregateFunction,
  column: Column | null,
  frames: WindowFrames,
  rows: number,
): Column {
  if (fn !== 'count' && fn !== 'sum' && fn !== 'mean' && fn !== 'min' && fn !== 'max') {
    throw new ColumnarError(
      'ERR_COLUMNAR_UNSUPPORTED',
      `${fn}() cannot run over a window (count, sum, mean, min, max can)`,
    );
  }
  if (column?.type === 'i64' && fn !== 'count') return runningInt64(fn, column.values, column.valid, frames, rows);
  const { partitionStart, peerEnd } = frames;
  const valid = column?.valid;
  // Prefix states: counts of values, and sums or extremes, up to and including each row, restarting per partition.
  const counts = new Int32Array(rows);
  const states = new Float64Array(rows);
  // A count reads only validity, so it counts strings and booleans too.
  const numbers = column === null || fn === 'count' ? null : numbersOf(column, fn);
  for (let row = 0; row < rows; row++) {
    const first = partitionStart[row] === row;
    const has = column === null || valid === undefined || valid[row] === 1;
    const count = (first ? 0 : counts[row - 1]!) + (has ? 1 : 0);
    counts[row] = count;
    if (numbers === null) continue;
    const before = first ? Number.NaN : states[row - 1]!;
    const before0 = first || count - (has ? 1 : 0) === 0;
    if (!has) states[row] = before;
    else if (before0) states[row] = numbers(row);
    else if (fn === 'min') states[row] = minOfNumbers(before, numbers(row));
    else if (fn === 'max') states[row] = Math.max(before, numbers(row));
    else states[row] = before + numbers(row);
  }
  const n = new Int32Array(rows);
  for (let row = 0; row < rows; row++) n[row] = counts[peerEnd[row]! - 1]!;
  if (fn === 'count') return { type: 'i32', values: n };
  const out = new Float64Array(rows);
  const present = new Uint8Array(rows);
  for (let row = 0; row < rows; row++) {
    const last = peerEnd[row]! - 1;
    present[row] = n[row]! > 0 ? 1 : 0;
    out[row] = fn === 'mean' ? states[last]! / n[row]! : states[last]!;
  }
  // A min or max keeps its input's type, as `groupBy`'s (`extremeColumn`; a frame without a value holds NaN).
  if (fn === 'min' || fn === 'max') return extremeColumn(out, present, column);
  return { type: 'f64', values: out, valid: present };
}

/**
 * `runningAggregate` of an int64 column, exact (float64 states are exact only to 2^53): sums and means as
 * `runningInt64Sum`, minima and maxima with BigInt prefix states.
 */
function runningInt64(
  fn: 'sum' | 'mean' | 'min' | 'max',
  values: BigInt64Array,
  valid: Uint8Array | undefined,
  frames: WindowFrames,
  rows: number,
): Column {
  if (fn === 'sum' || fn === 'mean') return runningInt64Sum(fn, values, valid, frames, rows);
  const { partitionStart, peerEnd } = frames;
  // Per row, the frame's extreme (null before the partition's first value).
  const states: (bigint | null)[] = new Array<bigint | null>(rows);
  for (let row = 0; row < rows; row++) {
    const first = partitionStart[row] === row;
    const before = first ? null : states[row - 1]!;
    const has = valid === undefined || valid[row] === 1;
    const v = values[row]!;
    if (!has) states[row] = before;
    else if (before === null) states[row] = v;
    else if (fn === 'min') states[row] = v < before ? v : before;
    else states[row] = v > before ? v : before;
  }
  const present = new Uint8Array(rows);
  const out = new BigInt64Array(rows);
  for (let row = 0; row < rows; row++) {
    const state = states[peerEnd[row]! - 1];
    if (state == null) continue;
    present[row] = 1;
    out[row] = state;
  }
  return { type: 'i64', values: out, valid: present };
}

/** `runningInt64`'s sum or mean: prefix sums as high and low word sums (`addWords`), exact, with no BigInt a row. */
function runningInt64Sum(
  fn: 'sum' | 'mean',
  values: BigInt64Array,
  valid: Uint8Array | undefined,
  frames: WindowFrames,
  rows: number,
): Column {
  const { partitionStart, peerEnd } = frames;
  const words = int64Words(values);
  const name = `${fn}() over a window`;
  // Row r's prefix sum at `sums[2r …]`, its count of values at `counts[r]`.
  const counts = new Int32Array(rows);
  const sums = new Float64Array(rows * 2);
  for (let row = 0; row < rows; row++) {
    if (partitionStart[row] !== row) {
      counts[row] = counts[row - 1]!;
      sums[2 * row] = sums[2 * row - 2]!;
      sums[2 * row + 1] = sums[2 * row - 1]!;
    }
    if (valid !== undefined && valid[row] === 0) continue;
    counts[row]!++;
    addWords(sums, 2 * row, words, row, name);
  }
  const present = new Uint8Array(rows);
  const means = fn === 'mean' ? new Float64Array(rows) : null;
  const out = means === null ? new BigInt64Array(rows) : null;
  const outWords = out === null ? null : int64Words(out);
  for (let row = 0; row < rows; row++) {
    const last = peerEnd[row]! - 1;
    if (counts[last] === 0) continue;
    present[row] = 1;
    if (means !== null) means[row] = sumNumber(sums, 2 * last) / counts[last]!;
    else writeSum(sums, 2 * last, outWords!, row, name);
  }
  return means !== null
    ? { type: 'f64', values: means, valid: present }
    : { type: 'i64', values: out!, valid: present };
}

/**
 * Row → number of a column an aggregate reads: numbers, dates and timestamps (int64 in float64, as `groupBy`: exact
 * to 2^53).
 */
export function numbersOf(column: Column, fn: AggregateFunction): (row: number) => number {
  switch (column.type) {
    case 'f64':
    case 'i32':
    case 'date':
    case 'timestamp': {
      const values = column.values;
      return (row) => values[row]!;
    }
    case 'i64': {
      const values = column.values;
      return (row) => Number(values[row]!);
    }
    default:
      break;
  }
  throw new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${fn}() over a window: expected a column of numbers, dates or timestamps, found ${column.type}`,
  );
}
