/**
 * Evaluates a column expression over a batch into one column, a whole column per operator (no per-row dispatch).
 * Arithmetic follows JS number semantics (results are float64); comparisons give booleans; strings compare by
 * UTF-16 code units as JS does.
 */
import type { BinaryOperator, ColumnExpr } from '../../protocol/columnar.js';
import type { Batch, BoolColumn, Column, Utf8Column } from './batch.js';
import { columnOf } from './batch.js';
import { ColumnarError } from './error.js';
import { compareUtf8, equalBytes } from './kernels/utf8-strings.js';
import { lowerUtf8, utf8Lengths } from './kernels/utf8-strings.js';

/**
 * The column `expr` computes over the first `batch.rows` rows. `split-to-rows` is not a column and is refused here
 * (the `select` operator handles it).
 *
 * @example
 * evaluateExpr({ kind: 'binary', op: '>', left: { kind: 'col', name: 'x' }, right: { kind: 'lit', value: 3 } }, batch);
 */
export function evaluateExpr(expr: ColumnExpr, batch: Batch): Column {
  const rows = batch.rows;
  switch (expr.kind) {
    case 'col':
      return columnOf(batch, expr.name, 'col()');
    case 'lit':
      return literalColumn(expr.value, rows);
    case 'not': {
      const arg = expectBool(evaluateExpr(expr.arg, batch), 'not()');
      const values = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) values[i] = arg.values[i]! ^ 1;
      return { type: 'bool', values };
    }
    case 'lower':
      return lowerUtf8(expectUtf8(evaluateExpr(expr.arg, batch), 'lower()'), rows);
    case 'length':
      return {
        type: 'i32',
        values: utf8Lengths(expectUtf8(evaluateExpr(expr.arg, batch), 'length()'), rows, expr.unit === 'code-points'),
      };
    case 'binary':
      return binary(expr.op, evaluateExpr(expr.left, batch), evaluateExpr(expr.right, batch), rows);
    case 'split-to-rows':
      throw new ColumnarError(
        'ERR_COLUMNAR_UNSUPPORTED',
        'splitToRows() makes rows, not a value: use it as a whole column of select(), as in select(splitToRows(col("value")).as("word"))',
      );
  }
}

function literalColumn(value: number | string | boolean, rows: number): Column {
  switch (typeof value) {
    case 'number':
      return { type: 'f64', values: new Float64Array(rows).fill(value) };
    case 'boolean':
      return { type: 'bool', values: new Uint8Array(rows).fill(value ? 1 : 0) };
    case 'string': {
      // Every row views the same bytes: a literal costs its bytes once.
      const bytes = Buffer.from(value, 'utf8');
      return {
        type: 'utf8',
        bytes,
        starts: new Int32Array(rows),
        ends: new Int32Array(rows).fill(bytes.length),
      };
    }
  }
}

function binary(op: BinaryOperator, left: Column, right: Column, rows: number): Column {
  switch (op) {
    case 'and':
    case 'or': {
      const a = expectBool(left, op).values;
      const b = expectBool(right, op).values;
      const values = new Uint8Array(rows);
      if (op === 'and') for (let i = 0; i < rows; i++) values[i] = a[i]! & b[i]!;
      else for (let i = 0; i < rows; i++) values[i] = a[i]! | b[i]!;
      return { type: 'bool', values };
    }
    case '+':
    case '-':
    case '*':
    case '/':
    case '%':
      return { type: 'f64', values: arithmetic(op, numeric(left, op), numeric(right, op), rows) };
    default:
      return { type: 'bool', values: compare(op, left, right, rows) };
  }
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

/** `==` … `>=` of two numeric, two string or two boolean columns. */
function compare(op: BinaryOperator, left: Column, right: Column, rows: number): Uint8Array {
  const out = new Uint8Array(rows);
  if (left.type === 'utf8' || right.type === 'utf8') {
    const a = expectUtf8(left, op);
    const b = expectUtf8(right, op);
    for (let i = 0; i < rows; i++) {
      const as = a.starts[i]!;
      const ae = a.ends[i]!;
      const bs = b.starts[i]!;
      const be = b.ends[i]!;
      if (op === '==' || op === '!=') {
        out[i] = equalBytes(a.bytes, as, ae, b.bytes, bs, be) === (op === '==') ? 1 : 0;
      } else out[i] = holds(op, compareUtf8(a.bytes, as, ae, b.bytes, bs, be), 0) ? 1 : 0;
    }
    return out;
  }
  if ((left.type === 'bool') !== (right.type === 'bool')) throw mismatch(op, left, right);
  const a = left.values;
  const b = right.values;
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

function numeric(column: Column, op: string): ArrayLike<number> {
  if (column.type === 'f64' || column.type === 'i32') return column.values;
  throw new ColumnarError('ERR_COLUMNAR_TYPE', `${op}: expected numeric operands, found a ${column.type} column`);
}

/** The column as booleans; throws `ERR_COLUMNAR_TYPE` naming `where` otherwise. */
export function expectBool(column: Column, where: string): BoolColumn {
  if (column.type === 'bool') return column;
  throw new ColumnarError('ERR_COLUMNAR_TYPE', `${where}: expected a boolean column, found a ${column.type} column`);
}

/** The column as strings; throws `ERR_COLUMNAR_TYPE` naming `where` otherwise. */
export function expectUtf8(column: Column, where: string): Utf8Column {
  if (column.type === 'utf8') return column;
  throw new ColumnarError('ERR_COLUMNAR_TYPE', `${where}: expected a string column, found a ${column.type} column`);
}

function mismatch(op: string, left: Column, right: Column): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${op}: cannot compare a ${left.type} column with a ${right.type} column`,
  );
}
