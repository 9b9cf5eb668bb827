/**
 * The row order of a stable multi-key sort: numbers numerically with NaN above every number and equal to NaN (as
 * Spark, DuckDB and Polars order them: last ascending, first among the values descending), strings by UTF-16 code
 * units, booleans false before true.
 */
import type { Column } from '../batches/batch.js';
import { bucketRowsByInteger, sortRange } from './bucket-rows.js';
import { compareUtf8 } from './utf8-strings.js';

/**
 * Row indices `0 … rows - 1` ordered by `keys` (each with its direction); ties keep input order. With `limit`,
 * only the first `limit` of that order.
 *
 * @example
 * const order = sortedRowOrder([{ column: counts, ascending: false }, { column: words, ascending: true }], rows);
 */
export function sortedRowOrder(keys: readonly SortColumn[], rows: number, limit = rows): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const comparators = keyComparators(keys);
  const compare = rowComparator(comparators);
  if (limit < rows / 8) return topRows(rows, limit, compare);
  // Rows already in order (a window's, put in window order by the top-rows step before it) cost one comparison a
  // row; other inputs most often show an inversion within their first rows.
  if (inOrder(rows, compare)) return order;
  const lead = keys[0];
  const buckets =
    lead === undefined || rows < 64
      ? null
      : bucketRowsByInteger(lead.column, rows, lead.ascending, lead.nullsFirst ?? lead.ascending);
  if (buckets !== null) {
    if (comparators.length === 1) return buckets.order;
    const compareRest = (a: number, b: number): number => {
      for (let k = 1; k < comparators.length; k++) {
        const c = comparators[k]!(a, b);
        if (c !== 0) return c;
      }
      return a - b;
    };
    const { order: bucketed, bucketStarts } = buckets;
    for (let b = 0; b < buckets.buckets; b++) sortRange(bucketed, bucketStarts[b]!, bucketStarts[b + 1]!, compareRest);
    return bucketed;
  }
  // Sorting a plain array of indices beats a TypedArray comparator call in V8.
  const indices = Array.from(order);
  indices.sort(compare);
  for (let i = 0; i < rows; i++) order[i] = indices[i]!;
  return order;
}

/** True when no row sorts before the row ahead of it (the stable sort would leave them where they are). */
function inOrder(rows: number, compare: (a: number, b: number) => number): boolean {
  for (let row = 1; row < rows; row++) if (compare(row - 1, row) > 0) return false;
  return true;
}

/** One key of a sort: its column, its direction, and where its nulls go. */
export interface SortColumn {
  readonly column: Column;
  readonly ascending: boolean;
  readonly nullsFirst?: boolean;
}

/** Per key, a comparator of two rows on that key alone (nulls placed as the key says). */
function keyComparators(keys: readonly SortColumn[]): ((a: number, b: number) => number)[] {
  return keys.map(({ column, ascending, nullsFirst }) => {
    const compareValues = valueComparator(column, ascending);
    const valid = column.valid;
    if (valid === undefined) return compareValues;
    // Nulls first for ascending keys and last for descending ones unless told (Spark's defaults).
    const nullSign = (nullsFirst ?? ascending) ? -1 : 1;
    return (a: number, b: number) => {
      const va = valid[a]!;
      const vb = valid[b]!;
      if (va === 1 && vb === 1) return compareValues(a, b);
      if (va === vb) return 0;
      return va === 0 ? nullSign : -nullSign;
    };
  });
}

/**
 * The order of `sortedRowOrder` as a comparator of two row indices: by each key in turn, ties by input order (so
 * it is never 0 for two different rows).
 *
 * @example
 * const compare = sortComparator([{ column: v3, ascending: false }]);
 */
export function sortComparator(keys: readonly SortColumn[]): (a: number, b: number) => number {
  return rowComparator(keyComparators(keys));
}

function rowComparator(comparators: readonly ((a: number, b: number) => number)[]): (a: number, b: number) => number {
  return (a: number, b: number): number => {
    for (let k = 0; k < comparators.length; k++) {
      const c = comparators[k]!(a, b);
      if (c !== 0) return c;
    }
    return a - b; // ties keep input order: a stable sort
  };
}

/** Compares two rows' values of `column` (never null) in the key's direction; NaN is the largest value. */
function valueComparator(column: Column, ascending: boolean): (a: number, b: number) => number {
  const sign = ascending ? 1 : -1;
  if (column.type === 'utf8') {
    const { bytes, starts, ends } = column;
    return (a: number, b: number) => sign * compareUtf8(bytes, starts[a]!, ends[a]!, bytes, starts[b]!, ends[b]!);
  }
  const values = column.values as ArrayLike<number>;
  return (a: number, b: number) => {
    const x = values[a]!;
    const y = values[b]!;
    if (x === y) return 0;
    if (x !== x) return y !== y ? 0 : sign;
    if (y !== y) return -sign;
    return x < y ? -sign : sign;
  };
}

/**
 * The first `limit` rows in `compare` order, without sorting the rest: a max-heap of the best `limit` seen so far
 * (O(rows · log limit)), then the heap sorted.
 */
function topRows(rows: number, limit: number, compare: (a: number, b: number) => number): Int32Array {
  const heap: number[] = [];
  const siftDown = (from: number) => {
    let i = from;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let worst = i;
      if (l < heap.length && compare(heap[l]!, heap[worst]!) > 0) worst = l;
      if (r < heap.length && compare(heap[r]!, heap[worst]!) > 0) worst = r;
      if (worst === i) return;
      [heap[i], heap[worst]] = [heap[worst]!, heap[i]!];
      i = worst;
    }
  };
  for (let row = 0; row < rows && limit > 0; row++) {
    if (heap.length < limit) {
      heap.push(row);
      for (let i = heap.length - 1; i > 0;) {
        const parent = (i - 1) >> 1;
        if (compare(heap[i]!, heap[parent]!) <= 0) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (compare(row, heap[0]!) < 0) {
      heap[0] = row;
      siftDown(0);
    }
  }
  return Int32Array.from(heap.sort(compare));
}
