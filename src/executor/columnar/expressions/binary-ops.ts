/**
 * Binary operators over two columns with SQL null semantics: arithmetic and comparisons are null where either side
 * is; `and` / `or` are three-valued. Numbers compare as Spark's (NaN equals NaN and is above every number).
 * Strings compare by UTF-16 code units as JS does; dates and timestamps compare
 * as instants, and a string literal meeting one is cast to its type first (`col('day').ge('2024-01-01')`).
 */
import type { BinaryOperator } from '../../../protocol/columnar.js';
import type { Column, F64Column } from '../batches/batch.js';
import { allNull } from '../batches/batch.js';
import { castColumn } from './cast.js';
import { ColumnarError } from '../error.js';
import { compareUtf8, equalBytes } from '../kernels/utf8-strings.js';
import { compareFloats } from './compare-floats.js';
import { bothValid, noneValid } from '../batches/validity.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

/**
 * `left op right`, row by row.
 *
 * @example
 * binary('+', prices, taxes, rows);
 */
export function binary(op: BinaryOperator, left: Column, right: Column, rows: number): Column {
  switch (op) {
    case 'and':
    case 'or':
      return logic(op, left, right, rows);
    case '+':
    case '-':
    case '*':
    case '/':
    case '%': {
      if (allNull(left, rows) || allNull(right, rows)) {
        return { type: 'f64', values: new Float64Array(rows), valid: noneValid(rows) };
      }
      const valid = bothValid(left.valid, right.valid, rows);
      if (left.type === 'i64' && right.type === 'i64' && op !== '/') {
        return { type: 'i64', values: arithmetic64(op, left.values, right.values, rows), valid };
      }
      return { type: 'f64', values: arithmetic(op, numbersOf(left, op), numbersOf(right, op), rows), valid };
    }
    default: {
      if (allNull(left, rows) || allNull(right, rows)) {
        return { type: 'bool', values: new Uint8Array(rows), valid: noneValid(rows) };
      }
      const [a, b] = comparable(left, right, rows, op);
      return { type: 'bool', values: compare(op, a, b, rows), valid: bothValid(a.valid, b.valid, rows) };
    }
  }
}

/** Three-valued `and` / `or`: a known deciding side wins over a null on the other. */
function logic(op: 'and' | 'or', left: Column, right: Column, rows: number): Column {
  const a = boolOrNull(left, rows, op);
  const b = boolOrNull(right, rows, op);
  const values = new Uint8Array(rows);
  if (a.valid === undefined && b.valid === undefined) {
    if (op === 'and') for (let i = 0; i < rows; i++) values[i] = a.values[i]! & b.values[i]!;
    else for (let i = 0; i < rows; i++) values[i] = a.values[i]! | b.values[i]!;
    return { type: 'bool', values };
  }
  const valid = new Uint8Array(rows);
  // The value that decides the result on its own: false for `and`, true for `or`.
  const decides = op === 'and' ? 0 : 1;
  for (let i = 0; i < rows; i++) {
    const av = a.valid === undefined ? 1 : a.valid[i]!;
    const bv = b.valid === undefined ? 1 : b.valid[i]!;
    const x = a.values[i]!;
    const y = b.values[i]!;
    if ((av === 1 && x === decides) || (bv === 1 && y === decides)) {
      values[i] = decides;
      valid[i] = 1;
    } else if (av === 1 && bv === 1) {
      values[i] = decides ^ 1;
      valid[i] = 1;
    }
  }
  return { type: 'bool', values, valid };
}

function boolOrNull(column: Column, rows: number, op: string): { values: Uint8Array; valid?: Uint8Array | undefined } {
  if (column.type === 'bool') return column;
  if (allNull(column, rows)) return { values: new Uint8Array(rows), valid: noneValid(rows) };
  throw new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${op}: expected a boolean column, found a ${CAST_TYPE_NAMES[column.type]} column`,
  );
}

function arithmetic(op: '+' | '-' | '*' | '/' | '%', a: ArrayLike<number>, b: ArrayLike<number>, rows: number) {
  const out = new Float64Array(rows);
  switch (op) {
    case '+':
      for (let i = 0; i < rows; i++) out[i] = a[i]! + b[i]!;
      break;
    case '-':
      for (let i = 0; i < rows; i++) out[i] = a[i]! - b[i]!;
      break;
    case '*':
      for (let i = 0; i < rows; i++) out[i] = a[i]! * b[i]!;
      break;
    case '/':
      for (let i = 0; i < rows; i++) out[i] = a[i]! / b[i]!;
      break;
    case '%':
      for (let i = 0; i < rows; i++) out[i] = a[i]! % b[i]!;
      break;
  }
  return out;
}

/** int64 arithmetic, wrapping at 64 bits as Spark's long does; `% 0` gives 0 (the row is no error). */
function arithmetic64(op: '+' | '-' | '*' | '%', a: BigInt64Array, b: BigInt64Array, rows: number): BigInt64Array {
  // A BigInt64Array store wraps to 64 bits by itself.
  const out = new BigInt64Array(rows);
  for (let i = 0; i < rows; i++) {
    const x = a[i]!;
    const y = b[i]!;
    out[i] = op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : y === 0n ? 0n : x % y;
  }
  return out;
}

/** The values of a numeric column as numbers (int64 converted, exact to 2^53). */
export function numbersOf(column: Column, op: string): ArrayLike<number> {
  switch (column.type) {
    case 'f64':
    case 'i32':
      return column.values;
    case 'i64': {
      const out = new Float64Array(column.values.length);
      for (let i = 0; i < out.length; i++) out[i] = Number(column.values[i]!);
      return out;
    }
    default:
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `${op}: expected numeric operands, found a ${CAST_TYPE_NAMES[column.type]} column`,
      );
  }
}

/** Both sides in one comparable representation: strings, booleans, int64, numbers, or instants of one unit. */
function comparable(left: Column, right: Column, rows: number, op: string): [Column, Column] {
  const temporal = (c: Column) => c.type === 'date' || c.type === 'timestamp';
  let a = left;
  let b = right;
  if (temporal(a) && b.type === 'utf8') b = castColumn(b, a.type === 'date' ? 'date' : 'timestamp', rows);
  if (temporal(b) && a.type === 'utf8') a = castColumn(a, b.type === 'date' ? 'date' : 'timestamp', rows);
  if (a.type === 'timestamp' || b.type === 'timestamp') return [instants(a, op), instants(b, op)];
  if (a.type === 'utf8' || b.type === 'utf8' || a.type === 'bool' || b.type === 'bool' || a.type === 'date') {
    if (a.type !== b.type) throw mismatch(op, left, right);
    return [a, b];
  }
  if (b.type === 'date') throw mismatch(op, left, right);
  if (a.type === 'i64' && b.type === 'i64') return [a, b];
  return [asNumbers(a, op), asNumbers(b, op)];
}

/** A numeric column as int32 or float64 values (int64 converted). */
function asNumbers(column: Column, op: string): Column {
  const values = numbersOf(column, op);
  return column.type === 'i64' ? { type: 'f64', values: values as Float64Array, valid: column.valid } : column;
}

/** A date or timestamp as milliseconds since the epoch (float64). */
function instants(column: Column, op: string): F64Column {
  switch (column.type) {
    case 'date': {
      const values = new Float64Array(column.values.length);
      for (let i = 0; i < values.length; i++) values[i] = column.values[i]! * 86_400_000;
      return { type: 'f64', values, valid: column.valid };
    }
    case 'timestamp': {
      if (column.unit === 'ms') return { type: 'f64', values: column.values, valid: column.valid };
      const values = new Float64Array(column.values.length);
      for (let i = 0; i < values.length; i++) values[i] = column.values[i]! / 1000;
      return { type: 'f64', values, valid: column.valid };
    }
    default:
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `${op}: cannot compare a ${CAST_TYPE_NAMES[column.type]} column with a timestamp`,
      );
  }
}

/** `==` … `>=` of two columns of one comparable kind (see `comparable`). */
function compare(op: BinaryOperator, left: Column, right: Column, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  if (left.type === 'utf8' && right.type === 'utf8') {
    // Read once: a dictionary-read column's starts/ends/bytes are getters (`batches/dictionary-column.ts`).
    const { bytes: aBytes, starts: aStarts, ends: aEnds } = left;
    const { bytes: bBytes, starts: bStarts, ends: bEnds } = right;
    for (let i = 0; i < rows; i++) {
      const as = aStarts[i]!;
      const ae = aEnds[i]!;
      const bs = bStarts[i]!;
      const be = bEnds[i]!;
      if (op === '==' || op === '!=') {
        out[i] = equalBytes(aBytes, as, ae, bBytes, bs, be) === (op === '==') ? 1 : 0;
      } else out[i] = holds(op, compareUtf8(aBytes, as, ae, bBytes, bs, be), 0) ? 1 : 0;
    }
    return out;
  }
  const a = (left as { values: ArrayLike<number | bigint> }).values as ArrayLike<number>;
  const b = (right as { values: ArrayLike<number | bigint> }).values as ArrayLike<number>;
  if (left.type === 'f64' || right.type === 'f64') return compareFloats(op, a, b, rows, out);
  switch (op) {
    case '==':
      for (let i = 0; i < rows; i++) out[i] = a[i]! === b[i]! ? 1 : 0;
      break;
    case '!=':
      for (let i = 0; i < rows; i++) out[i] = a[i]! !== b[i]! ? 1 : 0;
      break;
    case '<':
      for (let i = 0; i < rows; i++) out[i] = a[i]! < b[i]! ? 1 : 0;
      break;
    case '<=':
      for (let i = 0; i < rows; i++) out[i] = a[i]! <= b[i]! ? 1 : 0;
      break;
    case '>':
      for (let i = 0; i < rows; i++) out[i] = a[i]! > b[i]! ? 1 : 0;
      break;
    case '>=':
      for (let i = 0; i < rows; i++) out[i] = a[i]! >= b[i]! ? 1 : 0;
      break;
    default:
      throw mismatch(op, left, right);
  }
  return out;
}

function holds(op: BinaryOperator, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function mismatch(op: string, left: Column, right: Column): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${op}: cannot compare a ${CAST_TYPE_NAMES[left.type]} column with a ${CAST_TYPE_NAMES[right.type]} column`,
  );
}
