/**
 * Aggregate builders of `groupBy().agg()`: `count`, `sum`, `mean`, `min`, `max`. Map tasks keep partial states per
 * key in typed-array hash tables; reduce tasks merge them and finalize (`mean` = sum / count).
 */
import type { AggregateFunction, AggregateSpec, ColumnarOp, NamedExpr } from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { aggregateOver, type WindowExpression, type WindowSpec } from './dataset-window.js';
import { ColumnExpression } from './dataset-expressions.js';

/**
 * One aggregate of `agg()`, named `fn(column)` (or `count`) unless renamed with `as`.
 *
 * @example
 * ds.groupBy('city').agg(count(), mean('temp').as('avg'))
 */
export class Aggregate {
  /** @internal */
  readonly spec: AggregateSpec;
  /**
   * @internal The computed columns the aggregate reads (`sum(col('a').mul(col('b')))`), each named by its text: the
   * aggregation adds them to its input first.
   */
  readonly inputs: readonly NamedExpr[];
  /** @internal */
  constructor(spec: AggregateSpec, inputs: readonly NamedExpr[] = []) {
    this.spec = spec;
    this.inputs = inputs;
  }
  /** The same aggregate with output column `name`. */
  as(name: string): Aggregate {
    if (typeof name !== 'string' || name === '') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `as(): expected a non-empty column name, found ${describeValue(name)}`,
      );
    }
    return new Aggregate({ ...this.spec, name }, this.inputs);
  }
  /**
   * This aggregate over a window (`count`, `sum`, `mean`, `min`, `max`): running over an ordered window, whole
   * partition otherwise (see `aggregateOver`).
   * @example ds.withColumn('running', sum('amount').over(Window.partitionBy('account').orderBy('day')))
   */
  over(window: WindowSpec): WindowExpression {
    if (this.inputs.length > 0) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${this.spec.fn}().over(): a window aggregate reads a column: add ${this.inputs[0]!.name} with withColumn() first`,
      );
    }
    return aggregateOver(this.spec, window);
  }
}

/**
 * What an aggregate is over: a column's name, `col(name)`, or an expression over columns (as Spark's functions take
 * a name or a Column): `sum(col('price').mul(col('qty')))`.
 */
export type AggregateColumn = string | ColumnExpression;

/**
 * The name of the column an aggregate `fn` is over: the column's, or a computed expression's text (`(a * b)`, its
 * alias ignored), under which the aggregation adds it to its input (`aggregateInputs`).
 */
export function aggregateColumnName(fn: string, column: unknown): string {
  if (typeof column === 'string' && column !== '') return column;
  if (column instanceof ColumnExpression) return column.expr.kind === 'col' ? column.expr.name : textOf(column);
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${fn}(): expected a column name, col(name) or an expression over columns, found ${describeValue(column)}`,
  );
}

/** The computed columns among `columns` (expressions other than `col(name)`), named by their text. */
export function aggregateInputs(...columns: readonly unknown[]): NamedExpr[] {
  return columns
    .filter((c): c is ColumnExpression => c instanceof ColumnExpression && c.expr.kind !== 'col')
    .map((c) => ({ name: textOf(c), expr: c.expr }));
}

/** The text of an expression, whatever its alias (`(a * b)`): the name of the column an aggregate reads. */
function textOf(column: ColumnExpression): string {
  return new ColumnExpression(column.expr).name;
}

/**
 * The computed columns `aggregates` read, each once, as operators adding them (before an aggregation's shuffle).
 *
 * @example
 * const ops = aggregateInputOps([sum(col('a').mul(2))]); // [withColumn (a * 2) = (a * 2)]
 */
export function aggregateInputOps(aggregates: readonly Aggregate[]): ColumnarOp[] {
  const inputs = aggregates.flatMap((a) => (a instanceof Aggregate ? a.inputs : []));
  const once = inputs.filter((input, i) => inputs.findIndex((other) => other.name === input.name) === i);
  return once.map((column) => ({ kind: 'with-column', column }));
}

function over(fn: AggregateFunction, column: AggregateColumn): Aggregate {
  const name = aggregateColumnName(fn, column);
  return new Aggregate({ fn, column: name, name: `${fn}(${name})` }, aggregateInputs(column));
}

/**
 * Rows per group, as an int32 column `count`; with a column, its non-null values per group (`count(x)`).
 *
 * @example
 * ds.groupBy('word').agg(count(), count('email'))
 */
export function count(column?: AggregateColumn): Aggregate {
  if (column === undefined) return new Aggregate({ fn: 'count', column: null, name: 'count' });
  return over('count', column);
}
/** Sum of a numeric column per group (float64; nulls skipped, null for a group of only nulls). @example agg(sum('bytes')) */
export function sum(column: AggregateColumn): Aggregate {
  return over('sum', column);
}
/** Arithmetic mean of a numeric column per group. @example agg(mean('latencyMs')) */
export function mean(column: AggregateColumn): Aggregate {
  return over('mean', column);
}
/**
 * Smallest value per group (NaN if any value is NaN, as `Math.min`; dates and timestamps keep their type).
 * @example agg(min('t'))
 */
export function min(column: AggregateColumn): Aggregate {
  return over('min', column);
}
/** Largest value per group (NaN if any value is NaN, as `Math.max`). @example agg(max('t')) */
export function max(column: AggregateColumn): Aggregate {
  return over('max', column);
}
