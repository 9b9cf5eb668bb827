/**
 * Groups of int32-valued number keys that span a small range, by subtraction: a row's group is its key less the
 * lowest key, so no table is probed or grown and no key is compared. For the top rows per window partition
 * (db-benchmark q8: 625 k rows a map task over 100 k id6 values), where the groups need not be numbered in order
 * of appearance and a group that no row has costs only its empty slot.
 */
import { rangeOf } from './number-key-table.js';

/**
 * A range this wide always qualifies (256 KiB of int32 per-group state); wider ones must not span more keys than
 * there are rows, so the per-group arrays never outgrow the per-row ones.
 */
const DENSE_SPAN_ALWAYS = 1 << 16;

/** Scratch for `rangeOf`. */
const lowHigh = new Int32Array(2);

/**
 * Writes `values[row] - lowest` to `groupOf[row]` for rows `0 … rows - 1` and returns the number of groups (the
 * span of the keys), when every key is an int32 (`-0` is 0) and the span is allowed; else returns -1 and writes
 * nothing. Group g holds the key `lowest + g`; groups no row has are empty.
 *
 * @example
 * const groups = denseIntGroups(id6.values, rows, groupOf); // -1: hash them instead
 */
export function denseIntGroups(values: Int32Array | Float64Array, rows: number, groupOf: Int32Array): number {
  if (rows === 0) return 0;
  if (!rangeOf(values, 0, rows, lowHigh)) return -1;
  const low = lowHigh[0]!;
  const span = lowHigh[1]! - low + 1;
  if (span > Math.max(DENSE_SPAN_ALWAYS, rows)) return -1;
  for (let row = 0; row < rows; row++) groupOf[row] = values[row]! - low;
  return span;
}
