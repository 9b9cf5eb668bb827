/**
 * Per-column type inference (DESIGN.md §3): a column gets a native Arrow type only when every non-null value maps to
 * it without loss; anything else falls back to `binary-v8`, so a round trip always returns values of the exact same
 * type (`1` vs `1n` vs `'1'`, `-0`, `undefined` vs `null`).
 */
import type { ColumnType } from '../../protocol/block.js';

/** What inference decided for one column. */
export interface InferredColumnType {
  readonly type: ColumnType;
  /** Values that are `null` (stored in the validity bitmap; for `null` columns every row). */
  readonly nullCount: number;
}

// One bit per JS type seen among the non-null values; a column is native only if exactly one bit is set.
const sawNumber = 1;
const sawBoolean = 2;
const sawBigint = 4;
const sawString = 8;
const sawOther = 16;

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** `String.prototype.isWellFormed` is ES2024; Node 20 has it, our `lib` setting (ES2023) does not declare it. */
const isWellFormed = (String.prototype as unknown as { isWellFormed: (this: string) => boolean }).isWellFormed;

/**
 * Chooses the column type for `values`:
 * int32 numbers (not `-0`) → `i32`; other numbers → `f64`; booleans → `bool`; bigints in int64 range → `i64`;
 * well-formed strings (no lone surrogates, which UTF-8 cannot carry) → `utf8`; only nulls → `null`; `null` mixed
 * into one of those → that type with nulls; anything else → `binary-v8`.
 *
 * @example
 * inferColumnType([1, null, 3]); // { type: 'i32', nullCount: 1 }
 * inferColumnType([1, 1.5]);     // { type: 'f64', nullCount: 0 }
 * inferColumnType([1, '1']);     // { type: 'binary-v8', nullCount: 0 }
 */
export function inferColumnType(values: readonly unknown[]): InferredColumnType {
  let seen = 0;
  let nullCount = 0;
  let allInt32 = true;
  let allWellFormed = true;
  let allInt64 = true;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    switch (typeof value) {
      case 'number':
        seen |= sawNumber;
        // `(v | 0) === v` accepts exactly the int32 values, including -0, which 1 / v tells apart.
        if (allInt32 && ((value | 0) !== value || (value === 0 && 1 / value < 0))) allInt32 = false;
        break;
      case 'string':
        seen |= sawString;
        if (allWellFormed && !isWellFormed.call(value)) allWellFormed = false;
        break;
      case 'boolean':
        seen |= sawBoolean;
        break;
      case 'bigint':
        seen |= sawBigint;
        if (allInt64 && (value < int64Min || value > int64Max)) allInt64 = false;
        break;
      default:
        if (value === null) nullCount++;
        else seen |= sawOther;
    }
  }
  return { type: chooseType(seen, allInt32, allWellFormed, allInt64), nullCount };
}

function chooseType(seen: number, allInt32: boolean, allWellFormed: boolean, allInt64: boolean): ColumnType {
  switch (seen) {
    case 0:
      return 'null';
    case sawNumber:
      return allInt32 ? 'i32' : 'f64';
    case sawBoolean:
      return 'bool';
    case sawBigint:
      return allInt64 ? 'i64' : 'binary-v8';
    case sawString:
      return allWellFormed ? 'utf8' : 'binary-v8';
    default:
      return 'binary-v8';
  }
}
