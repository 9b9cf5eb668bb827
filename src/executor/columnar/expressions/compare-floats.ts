// Comparisons of float64 columns, apart from binary-ops.ts's other kinds because NaN needs its own rule in each.
import type { BinaryOperator } from '../../../protocol/columnar.js';
import { ColumnarError } from '../error.js';

/**
 * `==` … `>=` of numbers as Spark compares doubles: NaN equals NaN and is above every other number (as `orderBy`
 * and `min`/`max` order it, and DuckDB and Polars compare), where JS makes every comparison with NaN false; -0
 * equals 0. `x !== x` is the NaN test, kept inline in these loops. Writes into `out` and returns it.
 *
 * @example
 * compareFloats('<', prices.values, limits.values, rows, new Uint8Array(rows));
 */
export function compareFloats(
  op: BinaryOperator,
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rows: number,
  out: Uint8Array,
): Uint8Array {
  switch (op) {
    case '==':
      for (let i = 0; i < rows; i++) {
        const x = a[i]!;
        const y = b[i]!;
        out[i] = x === y || (x !== x && y !== y) ? 1 : 0;
      }
      break;
    case '!=':
      compareFloats('==', a, b, rows, out);
      for (let i = 0; i < rows; i++) out[i] = out[i]! ^ 1;
      break;
    case '<':
      for (let i = 0; i < rows; i++) {
        const x = a[i]!;
        const y = b[i]!;
        out[i] = x < y || (y !== y && x === x) ? 1 : 0;
      }
      break;
    case '<=':
      for (let i = 0; i < rows; i++) {
        const y = b[i]!;
        out[i] = a[i]! <= y || y !== y ? 1 : 0;
      }
      break;
    case '>':
      for (let i = 0; i < rows; i++) {
        const x = a[i]!;
        const y = b[i]!;
        out[i] = x > y || (x !== x && y === y) ? 1 : 0;
      }
      break;
    case '>=':
      for (let i = 0; i < rows; i++) {
        const x = a[i]!;
        out[i] = x >= b[i]! || x !== x ? 1 : 0;
      }
      break;
    default:
      throw new ColumnarError('ERR_COLUMNAR_TYPE', `${op}: not a comparison`);
  }
  return out;
}
