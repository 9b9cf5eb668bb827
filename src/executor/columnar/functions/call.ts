/**
 * Evaluates a `call` expression (a scalar function of Spark's name) over a batch: evaluates its arguments, checks
 * their types and parameters, and runs the function's whole-column kernel. Null argument rows give null results.
 */
import type { ColumnExpr, LiteralValue } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { withValidity } from '../batches/batch.js';
import { castColumn } from '../expressions/cast.js';
import { ColumnarError } from '../error.js';
import { upperUtf8 } from '../kernels/utf8-strings.js';
import { param, stringArg, wrongType } from './args.js';
import { compileLike } from '../../../common/like-pattern.js';
import { compileFormat, TRUNC_UNITS } from '../../../io/parsing/datetime-pattern.js';
import { parseWithFormat } from './date-format.js';
import { dateField, dateTrunc } from './dates.js';
import { like } from './like.js';
import { pow, unaryMath } from './math.js';
import { regexpExtract, regexpReplace } from './regexp.js';
import { concat, matchString, splitPart, substring, trim } from './strings.js';

type CallExpr = Extract<ColumnExpr, { kind: 'call' }>;

/**
 * The column `expr` computes over `batch`; `evaluate` evaluates its arguments (passed in: `expressions/expr.ts` calls
 * this).
 *
 * @example
 * evaluateCall({ kind: 'call', fn: 'upper', args: [{ kind: 'col', name: 'w' }], params: [] }, batch, evaluateExpr);
 */
export function evaluateCall(expr: CallExpr, batch: Batch, evaluate: (e: ColumnExpr, b: Batch) => Column): Column {
  const rows = batch.rows;
  const { fn, params } = expr;
  const exprs = expr.args;
  const args = exprs.map((arg) => evaluate(arg, batch));
  const first = args[0]!;
  const str = (i: number) => stringArg(fn, args[i]!, exprs[i], i);
  switch (fn) {
    case 'abs':
    case 'floor':
    case 'ceil':
    case 'sqrt':
      return unaryMath(fn, first, exprs[0], rows, null);
    case 'round':
      return unaryMath(fn, first, exprs[0], rows, param(fn, params, 0, 'number'));
    case 'log':
      return unaryMath(fn, first, exprs[0], rows, params[0] === null ? null : param(fn, params, 0, 'number'));
    case 'pow':
      return pow(first, args[1]!, exprs, rows);
    case 'upper':
      return withValidity(upperUtf8(str(0), rows), first.valid, rows);
    case 'trim':
    case 'ltrim':
    case 'rtrim':
      return trim(str(0), rows, fn, params[0] === null ? null : param(fn, params, 0, 'string'));
    case 'substring':
      return substring(str(0), rows, param(fn, params, 0, 'number'), nullableNumber(fn, params, 1));
    case 'concat':
      return concat(args, rows);
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return matchString(fn, str(0), str(1), rows);
    case 'like': {
      const escape = params[1] === null || params[1] === undefined ? '\\' : param(fn, params, 1, 'string');
      const pattern = compileLike(param(fn, params, 0, 'string'), escape);
      if (typeof pattern === 'string') throw new ColumnarError('ERR_COLUMNAR_TYPE', `like(): ${pattern}`);
      return like(str(0), rows, pattern);
    }
    case 'regexpExtract':
      return withValidity(
        regexpExtract(str(0), rows, param(fn, params, 0, 'string'), param(fn, params, 1, 'number')),
        first.valid,
        rows,
      );
    case 'regexpReplace':
      return withValidity(
        regexpReplace(str(0), rows, param(fn, params, 0, 'string'), param(fn, params, 1, 'string')),
        first.valid,
        rows,
      );
    case 'splitPart':
      return splitPart(str(0), rows, param(fn, params, 0, 'string'), param(fn, params, 1, 'number'));
    case 'year':
    case 'month':
    case 'dayOfMonth':
    case 'hour':
      return dateField(fn, first, exprs[0], rows);
    case 'dateTrunc': {
      const unit = TRUNC_UNITS[param(fn, params, 0, 'string').toLowerCase()];
      if (unit === undefined) throw new ColumnarError('ERR_COLUMNAR_TYPE', `dateTrunc(): unknown unit ${params[0]}`);
      return dateTrunc(unit, first, exprs[0], rows);
    }
    case 'toDate':
    case 'toTimestamp':
      return toTemporal(fn, first, exprs[0], params, rows);
  }
}

function nullableNumber(fn: string, params: readonly LiteralValue[], index: number): number | null {
  return params[index] === null ? null : param(fn, params, index, 'number');
}

/** `toDate` / `toTimestamp`: strings parsed (with a format, or as `cast`), dates and timestamps converted. */
function toTemporal(
  fn: 'toDate' | 'toTimestamp',
  column: Column,
  expr: ColumnExpr | undefined,
  params: readonly LiteralValue[],
  rows: number,
): Column {
  const to = fn === 'toDate' ? 'date' : 'timestamp';
  if (column.type === 'utf8' && params[0] !== null && params[0] !== undefined) {
    const tokens = compileFormat(param(fn, params, 0, 'string'));
    if (typeof tokens === 'string') throw new ColumnarError('ERR_COLUMNAR_TYPE', `${fn}(): ${tokens}`);
    return parseWithFormat(column, rows, tokens, to);
  }
  if (column.type === 'utf8' || column.type === 'date' || column.type === 'timestamp') {
    // A timestamp to a date keeps its day (floor, also before 1970), as Spark's cast.
    if (column.type === 'timestamp' && to === 'date') {
      const values = new Int32Array(rows);
      const perDay = column.unit === 'us' ? 86_400_000_000 : 86_400_000;
      for (let i = 0; i < rows; i++) values[i] = Math.floor(column.values[i]! / perDay);
      return { type: 'date', values, valid: column.valid };
    }
    if (column.type === 'date' && to === 'timestamp') {
      const values = new Float64Array(rows);
      for (let i = 0; i < rows; i++) values[i] = column.values[i]! * 86_400_000;
      return { type: 'timestamp', values, unit: 'ms', zone: null, valid: column.valid };
    }
    return castColumn(column, to, rows);
  }
  throw wrongType(fn, expr, 0, 'a string, date or timestamp', column);
}
