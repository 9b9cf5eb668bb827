/**
 * The loops of the directory of pairs (`dense-pair-groups.ts`) that find a chunk's rows' groups: each writes the
 * group of rows `at …` to `ids[i - from]` up to the first row whose pair lies outside the directory or has no group
 * yet (that row is returned, or `to`). Pairs without nulls of two int32 keys (q6's id4, id5) and of a
 * dictionary-read string before an int32 key (q9's id2, id4) have loops of their own, each reading one kind of
 * array; any other pair (nulls, two strings as q2's) goes through `lookUpEach`. A string's key is its dictionary
 * code's code (`StringCodes`); q9's loop reads it already placed in the directory (`placedKeys`), two range checks
 * and a multiplication fewer a row (~0.6× the time of `lookUpEach`, in-process over 5 M rows).
 */
import type { DictionaryCodes } from '../../../storage/blocks/dictionary-codes.js';
import type { Side } from './pair-string-codes.js';

/** The directory's ranges: keys `low … low + span - 1` of each column, the null key's slot `span`. */
export interface Bounds {
  readonly lowA: number;
  readonly spanA: number;
  readonly lowB: number;
  readonly spanB: number;
}

/**
 * Per dictionary code, where its string's key places a row of the first column in the directory: the slot of its
 * row's first pair, (key − low) × `stride`, or -1 when the key lies outside `low … low + span - 1`.
 *
 * @example
 * const rowsA = placedKeys(side.codes, bounds.lowA, bounds.spanA, bounds.spanB + 1);
 */
export function placedKeys(codes: Int32Array, low: number, span: number, stride: number): Int32Array {
  const placed = new Int32Array(codes.length);
  for (let c = 0; c < codes.length; c++) {
    const key = codes[c]! - low;
    placed[c] = key >= 0 && key < span ? key * stride : -1;
  }
  return placed;
}

/**
 * Rows of two int32 key columns without nulls. Differences are float64 arithmetic (two int32 keys may differ by
 * more than an int32 holds), so the range checks are exact at the int32 extremes.
 */
export function lookUp(
  a: Int32Array,
  b: Int32Array,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  bounds: Bounds,
  ids: Int32Array,
): number {
  const { lowA, spanA, lowB, spanB } = bounds;
  const stride = spanB + 1;
  for (let i = at; i < to; i++) {
    const x = a[i]! - lowA;
    const y = b[i]! - lowB;
    if (x < 0 || x >= spanA || y < 0 || y >= spanB) return i;
    const entry = directory[x * stride + y]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}

/**
 * Rows of a dictionary-read string column (its codes `a`, each code's row start `rowsA`: `placedKeys`) beside an
 * int32 column, neither with nulls.
 */
export function lookUpCodeInt(
  a: DictionaryCodes,
  b: Int32Array,
  rowsA: Int32Array,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  bounds: Bounds,
  ids: Int32Array,
): number {
  const { lowB, spanB } = bounds;
  for (let i = at; i < to; i++) {
    const row = rowsA[a[i]!]!;
    const y = b[i]! - lowB;
    if (row < 0 || y < 0 || y >= spanB) return i;
    const entry = directory[row + y]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}

/** Rows of any two sides: a null key takes the slot past its column's range, a string its code. */
export function lookUpEach(
  a: Side,
  b: Side,
  at: number,
  from: number,
  to: number,
  directory: Int32Array,
  bounds: Bounds,
  ids: Int32Array,
): number {
  const { lowA, spanA, lowB, spanB } = bounds;
  const stride = spanB + 1;
  const { values: va, codes: codesA, valid: nullsA } = a;
  const { values: vb, codes: codesB, valid: nullsB } = b;
  for (let i = at; i < to; i++) {
    let x = (codesA === undefined ? va[i]! : codesA[va[i]!]!) - lowA;
    let y = (codesB === undefined ? vb[i]! : codesB[vb[i]!]!) - lowB;
    if (nullsA !== undefined && nullsA[i] === 0) x = spanA;
    else if (x < 0 || x >= spanA) return i;
    if (nullsB !== undefined && nullsB[i] === 0) y = spanB;
    else if (y < 0 || y >= spanB) return i;
    const entry = directory[x * stride + y]!;
    if (entry === 0) return i;
    ids[i - from] = entry - 1;
  }
  return to;
}
