/**
 * Evaluates a column expression over a batch into one column, a whole column per operator (no per-row dispatch),
 * with SQL null semantics: a null operand makes a null result (arithmetic, comparisons, functions), `and`/`or` are
 * three-valued (`false and null` is false, `true or null` is true), and `isNull` / `coalesce` / `when` look at
 * nulls themselves. Arithmetic on int32 and float64 follows JS number semantics (float64 results); int64 with
 * int64 stays int64 (wrapping as Spark's long), mixed with float64 becomes float64.
 */
import type { ColumnExpr, LiteralValue } from '../../../protocol/columnar.js';
import type { Batch, BoolColumn, Column, Utf8Column } from '../batches/batch.js';
import { allNull, columnOf, withValidity } from '../batches/batch.js';
import { binary } from './binary-ops.js';
import { castColumn } from './cast.js';
import { chooseRows } from './choose-rows.js';
import { ColumnarError } from '../error.js';
import { evaluateCall } from '../functions/call.js';
import { inList } from './in-list.js';
import { lowerUtf8, utf8Lengths } from '../kernels/utf8-strings.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

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
      const arg = evaluateExpr(expr.arg, batch);
      if (allNull(arg, rows)) return nullBools(rows);
      const bools = expectBool(arg, 'not()');
      const values = new Uint8Array(rows);
      for (let i = 0; i < rows; i++) values[i] = bools.values[i]! ^ 1;
      return { type: 'bool', values, valid: bools.valid };
    }
    case 'lower': {
      const arg = expectUtf8(evaluateExpr(expr.arg, batch), 'lower()');
      return withValidity(lowerUtf8(arg, rows), arg.valid, rows);
    }
    case 'length': {
      const arg = expectUtf8(evaluateExpr(expr.arg, batch), 'length()');
      return { type: 'i32', values: utf8Lengths(arg, rows, expr.unit === 'code-points'), valid: arg.valid };
    }
    case 'binary':
      return binary(expr.op, evaluateExpr(expr.left, batch), evaluateExpr(expr.right, batch), rows);
    case 'is-null': {
      const valid = evaluateExpr(expr.arg, batch).valid;
      const values = new Uint8Array(rows);
      const isNull = expr.negated ? 0 : 1;
      if (valid === undefined) values.fill(isNull ^ 1);
      else for (let i = 0; i < rows; i++) values[i] = valid[i] === 1 ? isNull ^ 1 : isNull;
      return { type: 'bool', values };
    }
    case 'cast':
      return castColumn(evaluateExpr(expr.arg, batch), expr.to, rows);
    case 'coalesce': {
      const args = expr.args.map((arg) => evaluateExpr(arg, batch));
      const pick = new Int32Array(rows).fill(-1);
      for (let a = args.length - 1; a >= 0; a--) {
        const valid = args[a]!.valid;
        if (valid === undefined) pick.fill(a);
        else for (let i = 0; i < rows; i++) if (valid[i] === 1) pick[i] = a;
      }
      return chooseRows(args, pick, rows, 'coalesce()');
    }
    case 'when': {
      const values = expr.branches.map((b) => evaluateExpr(b.then, batch));
      const otherwise = expr.otherwise === null ? null : evaluateExpr(expr.otherwise, batch);
      const pick = new Int32Array(rows).fill(otherwise === null ? -1 : values.length);
      for (let b = expr.branches.length - 1; b >= 0; b--) {
        const condition = evaluateExpr(expr.branches[b]!.when, batch);
        if (allNull(condition, rows)) continue;
        const { values: holds, valid } = expectBool(condition, 'when()');
        for (let i = 0; i < rows; i++) if (holds[i] === 1 && (valid === undefined || valid[i] === 1)) pick[i] = b;
      }
      return chooseRows(otherwise === null ? values : [...values, otherwise], pick, rows, 'when()');
    }
    case 'in':
      return inList(evaluateExpr(expr.arg, batch), expr.values, rows);
    case 'call':
      return evaluateCall(expr, batch, evaluateExpr);
    case 'split-to-rows':
      throw new ColumnarError(
        'ERR_COLUMNAR_UNSUPPORTED',
        'splitToRows() makes rows, not a value: use it as a whole column of select(), as in select(splitToRows(col("value")).as("word"))',
      );
  }
}

/** A column of `rows` copies of `value`; null is a float64 column of nulls (it takes any type where it meets one). */
export function literalColumn(value: LiteralValue, rows: number): Column {
  if (value === null) return { type: 'f64', values: new Float64Array(rows), valid: new Uint8Array(rows) };
  switch (typeof value) {
    case 'number':
      return { type: 'f64', values: new Float64Array(rows).fill(value) };
    case 'bigint':
      return { type: 'i64', values: new BigInt64Array(rows).fill(value) };
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

/** A boolean column of `rows` nulls. */
export function nullBools(rows: number): BoolColumn {
  return { type: 'bool', values: new Uint8Array(rows), valid: new Uint8Array(rows) };
}

/** The column as booleans; throws `ERR_COLUMNAR_TYPE` naming `where` otherwise. */
export function expectBool(column: Column, where: string): BoolColumn {
  if (column.type === 'bool') return column;
  throw new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${where}: expected a boolean column, found a ${CAST_TYPE_NAMES[column.type]} column`,
  );
}

/** The column as strings; throws `ERR_COLUMNAR_TYPE` naming `where` otherwise. */
export function expectUtf8(column: Column, where: string): Utf8Column {
  if (column.type === 'utf8') return column;
  throw new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${where}: expected a string column, found a ${CAST_TYPE_NAMES[column.type]} column`,
  );
}
