/**
 * Column expression builders of the `Dataset` API: `col`, `lit`, arithmetic, comparisons, boolean logic, `lower`,
 * `length`, `splitToRows`. Each builds plain data (`ColumnExpr`) that workers evaluate a whole column at a time;
 * nothing here runs per row.
 */
import type {
  BinaryOperator,
  ColumnExpr,
  DataTypeName,
  LiteralValue,
  ScalarFunction,
  SortKey,
} from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { describeExpr } from '../../plan/columnar-explain.js';
import { compileLike } from '../../common/like-pattern.js';

/** An operand: a column expression, or a number, bigint, string, boolean or null taken as a literal. */
export type Operand = ColumnExpression | LiteralValue;

/**
 * A column expression with an output name. Immutable: every method returns a new expression.
 *
 * @example
 * col('price').mul(col('qty')).gt(100).and(col('country').eq('FR'))
 */
export class ColumnExpression {
  /** @internal The wire form. */
  readonly expr: ColumnExpr;
  /** The output column name: the alias, or the expression's text (`lower(word)`). */
  readonly name: string;

  /** @internal Made by `col`, `lit` and the builders. */
  constructor(expr: ColumnExpr, name?: string) {
    this.expr = expr;
    this.name = name ?? describeExpr(expr);
  }

  /** The same expression named `name` in the output. */
  as(name: string): ColumnExpression {
    if (typeof name !== 'string' || name === '') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `as(): expected a non-empty column name, found ${describeValue(name)}`,
      );
    }
    return new ColumnExpression(this.expr, name);
  }

  /** Same as `as` (Spark's name). @example col('n').alias('count') */
  alias(name: string): ColumnExpression {
    return this.as(name);
  }

  /** `this + other` (JS numbers). */
  add(other: Operand): ColumnExpression {
    return this.#binary('+', other);
  }
  /** `this - other`. */
  sub(other: Operand): ColumnExpression {
    return this.#binary('-', other);
  }
  /** `this * other`. */
  mul(other: Operand): ColumnExpression {
    return this.#binary('*', other);
  }
  /** `this / other` (JS division: `1 / 0` is `Infinity`). */
  div(other: Operand): ColumnExpression {
    return this.#binary('/', other);
  }
  /** `this % other` (JS remainder: sign of the dividend). */
  mod(other: Operand): ColumnExpression {
    return this.#binary('%', other);
  }
  /** `this === other` (strings by their bytes). */
  eq(other: Operand): ColumnExpression {
    return this.#binary('==', other);
  }
  /** `this !== other`. */
  ne(other: Operand): ColumnExpression {
    return this.#binary('!=', other);
  }
  /** `this < other` (strings by UTF-16 code units, as JS `<`). */
  lt(other: Operand): ColumnExpression {
    return this.#binary('<', other);
  }
  /** `this <= other`. */
  le(other: Operand): ColumnExpression {
    return this.#binary('<=', other);
  }
  /** `this > other`. */
  gt(other: Operand): ColumnExpression {
    return this.#binary('>', other);
  }
  /** `this >= other`. */
  ge(other: Operand): ColumnExpression {
    return this.#binary('>=', other);
  }
  /** `lower <= this <= upper` (SQL `BETWEEN`, bounds included). @example col('age').between(18, 65) */
  between(lower: Operand, upper: Operand): ColumnExpression {
    return this.ge(lower).and(this.le(upper));
  }
  /** `this = other` where null equals null (SQL `<=>`, Spark's `eqNullSafe`): true or false, never null. */
  eqNullSafe(other: Operand): ColumnExpression {
    const both = this.isNull().and(operand(other, 'eqNullSafe()').isNull());
    return new ColumnExpression({ kind: 'coalesce', args: [this.eq(other).expr, both.expr] });
  }
  /** Both booleans true. */
  and(other: Operand): ColumnExpression {
    return this.#binary('and', other);
  }
  /** Either boolean true. */
  or(other: Operand): ColumnExpression {
    return this.#binary('or', other);
  }
  /** The boolean negated. */
  not(): ColumnExpression {
    return new ColumnExpression({ kind: 'not', arg: this.expr });
  }
  /** True where the value is null (never null itself). @example ds.filter(col('email').isNull()) */
  isNull(): ColumnExpression {
    return new ColumnExpression({ kind: 'is-null', arg: this.expr, negated: false });
  }
  /** True where the value is not null. @example ds.filter(col('email').isNotNull()) */
  isNotNull(): ColumnExpression {
    return new ColumnExpression({ kind: 'is-null', arg: this.expr, negated: true });
  }
  /**
   * The value converted to `type`: `int32` (or `int`), `int64` (`bigint`, `long`), `float64` (`double`), `bool`
   * (`boolean`), `utf8` (`string`), `date`, `timestamp`. A value that does not convert becomes null (as Spark).
   * The result keeps this column's name.
   *
   * @example
   * ds.select(col('price').cast('double'), col('day').cast('date'))
   */
  cast(type: string): ColumnExpression {
    return new ColumnExpression({ kind: 'cast', arg: this.expr, to: dataTypeName(type) }, this.name);
  }
  /** Same as `cast` (PySpark's other name). @example col('n').astype('int') */
  astype(type: string): ColumnExpression {
    return this.cast(type);
  }
  /**
   * True where the value is one of `values` (SQL `IN`: null for a null value).
   *
   * @example
   * ds.filter(col('city').isin('Paris', 'Lyon'))
   */
  isin(...values: LiteralValue[]): ColumnExpression {
    const list = values.length === 1 && Array.isArray(values[0]) ? (values[0] as LiteralValue[]) : values;
    for (const value of list) literalArg(value, 'isin()');
    return new ColumnExpression({ kind: 'in', arg: this.expr, values: list });
  }
  /** True where this string contains `other` (byte-wise; null where either is null). @example col('url').contains('https') */
  contains(other: Operand): ColumnExpression {
    return this.#call('contains', [other], []);
  }
  /** True where this string starts with `other`. @example col('path').startsWith('/api') */
  startsWith(other: Operand): ColumnExpression {
    return this.#call('startsWith', [other], []);
  }
  /** True where this string ends with `other`. @example col('file').endsWith('.csv') */
  endsWith(other: Operand): ColumnExpression {
    return this.#call('endsWith', [other], []);
  }
  /**
   * SQL `LIKE`: `_` is one character, `%` any run; `escape` (default `\`) makes the next `_`, `%` or itself
   * literal, and may precede nothing else (as Spark).
   *
   * @example
   * col('code').like('A\\_%') // codes starting with 'A_'
   */
  like(pattern: string, escape?: string): ColumnExpression {
    if (typeof pattern !== 'string') throw invalidArgument('like()', 'a pattern string', pattern);
    if (escape !== undefined && (typeof escape !== 'string' || [...escape].length !== 1)) {
      throw invalidArgument('like()', 'one escape character', escape);
    }
    const compiled = compileLike(pattern, escape ?? '\\');
    if (typeof compiled === 'string') throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `like(): ${compiled}`);
    return this.#call('like', [], [pattern, escape ?? null]);
  }
  /**
   * Spark's `substr(pos, len)` / `substring(str, pos, len)`: `len` characters (code points) from 1-based `pos`;
   * `pos` 0 acts as 1, a negative `pos` counts from the end; without `len`, the rest of the string.
   *
   * @example
   * col('s').substr(1, 3) // 'Spark' → 'Spa'
   */
  substr(pos: number, len?: number): ColumnExpression {
    if (typeof pos !== 'number' || !Number.isSafeInteger(pos))
      throw invalidArgument('substring()', 'an integer position', pos);
    if (len !== undefined && (typeof len !== 'number' || !Number.isSafeInteger(len))) {
      throw invalidArgument('substring()', 'an integer length', len);
    }
    return this.#call('substring', [], [pos, len ?? null]);
  }
  /** Ascending sort order on this column, for `orderBy` (nulls first). */
  asc(): SortKey {
    return { name: this.name, ascending: true };
  }
  /** Descending sort order on this column, for `orderBy` (nulls last). */
  desc(): SortKey {
    return { name: this.name, ascending: false };
  }
  /** Ascending, nulls first. */
  ascNullsFirst(): SortKey {
    return { name: this.name, ascending: true, nullsFirst: true };
  }
  /** Ascending, nulls last. */
  ascNullsLast(): SortKey {
    return { name: this.name, ascending: true, nullsFirst: false };
  }
  /** Descending, nulls first. */
  descNullsFirst(): SortKey {
    return { name: this.name, ascending: false, nullsFirst: true };
  }
  /** Descending, nulls last. */
  descNullsLast(): SortKey {
    return { name: this.name, ascending: false, nullsFirst: false };
  }

  #call(fn: ScalarFunction, others: readonly Operand[], params: readonly LiteralValue[]): ColumnExpression {
    const args = [this.expr, ...others.map((o) => operand(o, `${fn}()`).expr)];
    return new ColumnExpression({ kind: 'call', fn, args, params });
  }

  #binary(op: BinaryOperator, other: Operand): ColumnExpression {
    return new ColumnExpression({ kind: 'binary', op, left: this.expr, right: operand(other, op).expr });
  }
}

function invalidArgument(where: string, expected: string, found: unknown): PlanError {
  return new PlanError('ERR_PLAN_INVALID_ARGUMENT', `${where}: expected ${expected}, found ${describeValue(found)}`);
}

/** An operand as an expression: literals wrapped with `lit`. */
export function operand(value: Operand, where: string): ColumnExpression {
  if (value instanceof ColumnExpression) return value;
  return lit(value, where);
}

/**
 * The column named `name`.
 *
 * @example
 * ds.select(col('word'), col('n').add(1).as('n1'))
 */
export function col(name: string): ColumnExpression {
  if (typeof name !== 'string' || name === '') {
    throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', `col(): expected a column name, found ${describeValue(name)}`);
  }
  return new ColumnExpression({ kind: 'col', name });
}

/**
 * A constant column: a number (float64), bigint (int64), string, boolean, or null (which takes the type of what it
 * meets, as in `coalesce(col('x'), lit(null))`).
 *
 * @example
 * ds.withColumn('one', lit(1))
 */
export function lit(value: LiteralValue, where = 'lit()'): ColumnExpression {
  return new ColumnExpression({ kind: 'lit', value: literalArg(value, where) });
}

function literalArg(value: unknown, where: string): LiteralValue {
  if (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    typeof value === 'number' ||
    (typeof value === 'bigint' && value === BigInt.asIntN(64, value))
  ) {
    return value;
  }
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where}: expected a column expression, number, int64 bigint, string, boolean or null, found ${describeValue(value)}`,
  );
}

const dataTypeNames: Readonly<Record<string, DataTypeName>> = {
  int32: 'int32',
  int: 'int32',
  integer: 'int32',
  int64: 'int64',
  bigint: 'int64',
  long: 'int64',
  float64: 'float64',
  double: 'float64',
  float: 'float64',
  bool: 'bool',
  boolean: 'bool',
  utf8: 'utf8',
  string: 'utf8',
  date: 'date',
  timestamp: 'timestamp',
};

/**
 * A type name of `cast` (ours or Spark's, any case) as ours; a `PlanError` listing them otherwise, naming `where`
 * (a reader's schema says which column).
 */
export function dataTypeName(type: unknown, where = 'cast()'): DataTypeName {
  const name = typeof type === 'string' ? dataTypeNames[type.toLowerCase()] : undefined;
  if (name !== undefined) return name;
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where}: expected a type name (${Object.keys(dataTypeNames).join(', ')}), found ${describeValue(type)}`,
  );
}
