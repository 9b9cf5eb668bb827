/**
 * Math and string functions of the `Dataset` API, by Spark's names: each builds a `call` expression that workers
 * evaluate a whole column at a time (null rows stay null). Constant parameters (a scale, a pattern) are checked
 * here, so a bad one fails when the plan is built, not in a task.
 */
import type { LiteralValue, ScalarFunction } from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { optionNames, refuseUnknownOptions } from '../../common/check-options.js';
import { ColumnExpression, operand, type Operand } from './dataset-expressions.js';

/** @internal A `call` of `fn` over `args` (literals wrapped) with constant `params`. */
export function call(
  fn: ScalarFunction,
  args: readonly Operand[],
  params: readonly LiteralValue[] = [],
): ColumnExpression {
  return new ColumnExpression({ kind: 'call', fn, args: args.map((a) => operand(a, `${fn}()`).expr), params });
}

function invalid(fn: string, expected: string, found: unknown): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${fn}(): expected ${expected}, found ${describeValue(found)}`);
}

function integerParam(fn: string, what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw invalid(fn, `${what} as an integer`, value);
  return value;
}

function stringParam(fn: string, what: string, value: unknown): string {
  if (typeof value !== 'string') throw invalid(fn, `${what} as a string`, value);
  return value;
}

/** The regular expression, or a `PlanError` quoting JS's complaint. */
function regexpParam(fn: string, pattern: unknown): RegExp {
  const source = stringParam(fn, 'a regular expression', pattern);
  try {
    return new RegExp(source);
  } catch (error: unknown) {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${fn}(): ${(error as Error).message}`);
  }
}

/** Absolute value (integers keep their type; the smallest int32 / int64 wraps to itself, as Spark's). @example abs(col('delta')) */
export function abs(arg: Operand): ColumnExpression {
  return call('abs', [arg]);
}

/**
 * Rounded to `scale` decimal places (negative: to tens, hundreds …) with Spark's HALF_UP: ties go away from zero,
 * judged on the value's shortest decimal form (`round(2.675, 2)` is 2.68, `round(-2.5)` is -3).
 *
 * @example
 * ds.select(round(col('price'), 2))
 */
export function round(arg: Operand, scale = 0): ColumnExpression {
  return call('round', [arg], [integerParam('round', 'the scale', scale)]);
}

/** Largest integer ≤ the value (float64 for float64 input; Spark gives a long). @example floor(col('x')) */
export function floor(arg: Operand): ColumnExpression {
  return call('floor', [arg]);
}

/** Smallest integer ≥ the value (float64 for float64 input; Spark gives a long). @example ceil(col('x')) */
export function ceil(arg: Operand): ColumnExpression {
  return call('ceil', [arg]);
}

/** Square root (NaN below 0, as Spark). @example sqrt(col('variance')) */
export function sqrt(arg: Operand): ColumnExpression {
  return call('sqrt', [arg]);
}

/**
 * Natural logarithm, `log(x)`; or, as Spark's `log(base, x)`, the logarithm in `base`. Null where x ≤ 0 (Spark).
 *
 * @example
 * ds.select(log(col('bytes')), log(10, col('bytes')).as('digits'))
 */
export function log(baseOrArg: number | Operand, arg?: Operand): ColumnExpression {
  if (arg === undefined) return call('log', [baseOrArg], [null]);
  if (typeof baseOrArg !== 'number') throw invalid('log', 'a number as the base of log(base, x)', baseOrArg);
  return call('log', [arg], [baseOrArg]);
}

/** `x` to the power `y` (`Math.pow`, float64). @example pow(col('x'), 2) */
export function pow(x: Operand, y: Operand): ColumnExpression {
  return call('pow', [x, y]);
}

/**
 * `toLowerCase()` of a string column, Unicode-aware (ASCII values lowered byte-wise, others through JS).
 *
 * @example
 * ds.select(lower(col('word')).as('word'))
 */
export function lower(arg: ColumnExpression): ColumnExpression {
  return new ColumnExpression({ kind: 'lower', arg: operand(arg, 'lower()').expr });
}

/** Options of `length()`. */
export interface LengthOptions {
  /** What to count. @default 'utf16' */
  unit?: 'utf16' | 'code-points';
}

const LENGTH_OPTIONS = optionNames<LengthOptions>({ unit: true });

/**
 * The length of a string column in UTF-16 code units, as JS `.length` (an emoji counts 2); with
 * `{ unit: 'code-points' }`, in Unicode code points (as `[...s].length`). An int32 column.
 *
 * @example
 * ds.filter(length(col('word')).ge(4))
 */
export function length(arg: ColumnExpression, options: LengthOptions = {}): ColumnExpression {
  refuseUnknownOptions('length()', options, LENGTH_OPTIONS);
  const unit = options.unit ?? 'utf16';
  if (unit !== 'utf16' && unit !== 'code-points') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `length(): unit must be 'utf16' or 'code-points', found ${describeValue(unit)}`,
    );
  }
  return new ColumnExpression({ kind: 'length', arg: operand(arg, 'length()').expr, unit });
}

/**
 * One row per token of a string column: with no separator, the maximal runs of non-whitespace (JS `\s`, so
 * `s.split(/\s+/)` without empty strings); with a separator, exactly `s.split(separator)`. Use it as a whole
 * column of `select` or `withColumn`; the other columns repeat for each token.
 *
 * @example
 * kc.readText('books/').select(splitToRows(col('value')).as('word'))
 */
export function splitToRows(arg: ColumnExpression, separator?: string): ColumnExpression {
  if (separator !== undefined && (typeof separator !== 'string' || separator === '')) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `splitToRows(): separator must be a non-empty string, found ${describeValue(separator)}`,
    );
  }
  return new ColumnExpression({
    kind: 'split-to-rows',
    arg: operand(arg, 'splitToRows()').expr,
    separator: separator ?? null,
  });
}

/** `toUpperCase()` of a string column (Unicode-aware, as `lower`). @example upper(col('country')) */
export function upper(arg: Operand): ColumnExpression {
  return call('upper', [arg]);
}

function trimming(fn: 'trim' | 'ltrim' | 'rtrim', arg: Operand, chars?: string): ColumnExpression {
  if (chars !== undefined && (typeof chars !== 'string' || chars === '')) {
    throw invalid(fn, 'the characters to trim as a non-empty string', chars);
  }
  return call(fn, [arg], [chars ?? null]);
}

/**
 * The string without leading and trailing spaces (only ' ', as Spark's `trim`; pass `chars` to strip those
 * characters instead).
 *
 * @example
 * trim(col('name')); trim(col('code'), '0')
 */
export function trim(arg: Operand, chars?: string): ColumnExpression {
  return trimming('trim', arg, chars);
}
/** `trim` of the start only. @example ltrim(col('name')) */
export function ltrim(arg: Operand, chars?: string): ColumnExpression {
  return trimming('ltrim', arg, chars);
}
/** `trim` of the end only. @example rtrim(col('name')) */
export function rtrim(arg: Operand, chars?: string): ColumnExpression {
  return trimming('rtrim', arg, chars);
}

/**
 * Spark's `substring(str, pos, len)`: `len` characters (code points) from 1-based `pos`; `pos` 0 acts as 1, a
 * negative `pos` counts from the end; without `len`, the rest of the string. Same as `col.substr(pos, len)`.
 *
 * @example
 * substring(col('s'), 1, 3); // 'Spark' → 'Spa';  substring(col('s'), -3) → 'ark'
 */
export function substring(arg: Operand, pos: number, len?: number): ColumnExpression {
  return operand(arg, 'substring()').substr(pos, len);
}

/** The strings joined (other types cast to strings); null where any is null (Spark). @example concat(col('a'), lit('-'), col('b')) */
export function concat(...args: Operand[]): ColumnExpression {
  if (args.length === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'concat(): expected at least one column');
  return call('concat', args);
}

/** True where `arg` contains `other` (byte-wise), as `col.contains(other)`. @example contains(col('url'), 'https') */
export function contains(arg: Operand, other: Operand): ColumnExpression {
  return operand(arg, 'contains()').contains(other);
}
/** True where `arg` starts with `other`, as `col.startsWith(other)`. @example startsWith(col('path'), '/api') */
export function startsWith(arg: Operand, other: Operand): ColumnExpression {
  return operand(arg, 'startsWith()').startsWith(other);
}
/** True where `arg` ends with `other`, as `col.endsWith(other)`. @example endsWith(col('file'), '.csv') */
export function endsWith(arg: Operand, other: Operand): ColumnExpression {
  return operand(arg, 'endsWith()').endsWith(other);
}

/**
 * SQL `LIKE`, as `col.like(pattern, escape)`: `_` is one character, `%` any run; `escape` (default `\`) makes the
 * next `_`, `%` or itself literal.
 *
 * @example
 * like(col('code'), 'A\\_%'); // codes starting with 'A_'
 */
export function like(arg: Operand, pattern: string, escape?: string): ColumnExpression {
  return operand(arg, 'like()').like(pattern, escape);
}

/**
 * Spark's `regexp_extract`: group `group` (0 = the whole match) of the first match of `pattern` (JavaScript
 * RegExp syntax), or '' when nothing matches.
 *
 * @example
 * regexpExtract(col('line'), '(\\d+) ms', 1)
 */
export function regexpExtract(arg: Operand, pattern: string, group = 1): ColumnExpression {
  const regexp = regexpParam('regexpExtract', pattern);
  const index = integerParam('regexpExtract', 'the group index', group);
  // A match of the empty alternative has one entry per group of the pattern.
  const groups = new RegExp(`${regexp.source}|`).exec('')!.length - 1;
  if (index < 0 || index > groups) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `regexpExtract(): the pattern has ${groups} group(s), so the group index must be 0 to ${groups}, found ${index}`,
    );
  }
  return call('regexpExtract', [arg], [pattern, index]);
}

/**
 * Spark's `regexp_replace`: every match of `pattern` (JavaScript RegExp syntax) replaced by `replacement`
 * (`$1` names a group).
 *
 * @example
 * regexpReplace(col('phone'), '[^0-9]', '')
 */
export function regexpReplace(arg: Operand, pattern: string, replacement: string): ColumnExpression {
  regexpParam('regexpReplace', pattern);
  return call('regexpReplace', [arg], [pattern, stringParam('regexpReplace', 'the replacement', replacement)]);
}

/**
 * Spark's `split_part(str, delimiter, part)`: the `part`-th piece (1-based; negative counts from the end) of the
 * string split on the literal `delimiter`, '' when there is no such piece. (Spark's `split` returns an array, which
 * columnar datasets do not have: see `split`.)
 *
 * @example
 * splitPart(col('path'), '/', -1); // 'a/b/c.txt' → 'c.txt'
 */
export function splitPart(arg: Operand, delimiter: string, part: number): ColumnExpression {
  const index = integerParam('splitPart', 'the part number', part);
  if (index === 0) throw invalid('splitPart', 'a part number other than 0 (1 is the first, -1 the last)', part);
  return call('splitPart', [arg], [stringParam('splitPart', 'the delimiter', delimiter), index]);
}

/**
 * Refused: Spark's `split` returns an array column, and columnar datasets have no array type. Use
 * `splitPart(col, delimiter, n)` for the n-th piece, or `splitToRows(col, separator)` for one row per piece.
 *
 * @example
 * split(col('csv'), ','); // throws PlanError ERR_PLAN_INVALID_ARGUMENT
 */
export function split(_arg: Operand, _pattern?: string): never {
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    'split(): returns an array in Spark, and columnar datasets have no array type: use splitPart(col, delimiter, n) ' +
      'for the n-th piece, or select(splitToRows(col, separator)) for one row per piece',
  );
}
