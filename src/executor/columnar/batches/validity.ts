/**
 * Validity of computed columns (SQL null semantics): a result row is null when any operand row is. One byte per
 * row, 1 = a value; `undefined` stands for "no null anywhere", so columns without nulls pay nothing.
 */

/**
 * The rows valid in both `a` and `b` (undefined when both are).
 *
 * @example
 * const valid = bothValid(left.valid, right.valid, rows);
 */
export function bothValid(a: Uint8Array | undefined, b: Uint8Array | undefined, rows: number): Uint8Array | undefined {
  if (a === undefined) return b === undefined ? undefined : b.subarray(0, rows);
  if (b === undefined) return a.subarray(0, rows);
  const out = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) out[i] = a[i]! & b[i]!;
  return out;
}

/** A validity of `rows` rows, all null. */
export function noneValid(rows: number): Uint8Array {
  return new Uint8Array(rows);
}
