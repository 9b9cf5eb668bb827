/**
 * A counting sort for the leading key of a row sort when it is a column of integers over a small range (a window's
 * `partitionBy('id6')`, an `orderBy` on a day or a small id): one pass counts, one places, both over typed arrays,
 * instead of ~log2(rows) comparator calls per row. Rows equal on that key keep their input order (it is stable), so
 * only each bucket's rows are left to order by the other keys, and a bucket is small.
 */
import type { Column } from '../batches/batch.js';

/** A range of values at most this many times the row count (plus a constant) is worth its count array. */
const RANGE_PER_ROW_MAX = 2;
const RANGE_SLACK = 4096;

/** Row order by the leading key, and where each run of equal keys starts (`bucketStarts`, then `rows` at the end). */
export interface Buckets {
  readonly order: Int32Array;
  readonly bucketStarts: Int32Array;
  readonly buckets: number;
}

/**
 * Rows `0 … rows - 1` stably ordered by `column` (ascending or descending, nulls first or last as asked), with the
 * runs of equal keys; null when the column is not integers over a range at most ~2 × rows wide (then sort by
 * comparisons).
 *
 * @example
 * const b = bucketRowsByInteger(ids, rows, true, false); // b.order: rows by id; b.bucketStarts: where each id starts
 */
export function bucketRowsByInteger(
  column: Column,
  rows: number,
  ascending: boolean,
  nullsFirst: boolean,
): Buckets | null {
  if (column.type !== 'i32' && column.type !== 'date' && column.type !== 'f64') return null;
  const values = column.values;
  const valid = column.valid;
  let min = Infinity;
  let max = -Infinity;
  let nulls = 0;
  for (let i = 0; i < rows; i++) {
    if (valid !== undefined && valid[i] === 0) {
      nulls++;
      continue;
    }
    const v = values[i]!;
    // Floats and NaN (which compare otherwise) are for the comparison sort; -0 | 0 is 0, as -0 === 0 sorts.
    if ((v | 0) !== v) return null;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = nulls === rows ? 0 : max - min + 1;
  if (range > RANGE_PER_ROW_MAX * rows + RANGE_SLACK) return null;
  // Bucket b holds value min + b (ascending) or max - b (descending); the null bucket goes first or last.
  const nullBucket = nullsFirst ? 0 : range;
  const first = nullsFirst && nulls > 0 ? 1 : 0;
  const counts = new Int32Array(range + 2);
  const bucketOf = (i: number): number => {
    if (valid !== undefined && valid[i] === 0) return nullBucket;
    const v = values[i]!;
    return first + (ascending ? v - min : max - v);
  };
  for (let i = 0; i < rows; i++) counts[bucketOf(i) + 1]!++;
  for (let b = 1; b < counts.length; b++) counts[b]! += counts[b - 1]!;
  const order = new Int32Array(rows);
  const next = counts.slice(0, counts.length - 1);
  for (let i = 0; i < rows; i++) order[next[bucketOf(i)]!++] = i;
  // The non-empty buckets' starts, in order, then the end.
  const bucketStarts = new Int32Array(Math.min(rows, range + 1) + 1);
  let buckets = 0;
  for (let b = 0; b + 1 < counts.length; b++) {
    if (counts[b + 1]! > counts[b]!) bucketStarts[buckets++] = counts[b]!;
  }
  bucketStarts[buckets] = rows;
  return { order, bucketStarts, buckets };
}

/**
 * Orders `order[from, to)` by `compare` (which breaks ties by row index, so the result is stable): insertion sort
 * for a few rows, the engine's sort otherwise.
 */
export function sortRange(
  order: Int32Array,
  from: number,
  to: number,
  compare: (a: number, b: number) => number,
): void {
  const length = to - from;
  if (length < 2) return;
  if (length <= 16) {
    for (let i = from + 1; i < to; i++) {
      const row = order[i]!;
      let j = i - 1;
      while (j >= from && compare(order[j]!, row) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = row;
    }
    return;
  }
  const slice = Array.from(order.subarray(from, to));
  slice.sort(compare);
  for (let i = 0; i < length; i++) order[from + i] = slice[i]!;
}
