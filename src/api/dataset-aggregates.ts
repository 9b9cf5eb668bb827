/**
 * Aggregate builders of `groupBy().agg()`: `count`, `sum`, `mean`, `min`, `max`. Map tasks keep partial states per
 * key in typed-array hash tables; reduce tasks merge them and finalize (`mean` = sum / count).
 */
import type { AggregateFunction, AggregateSpec } from '../protocol/columnar.js';
import { PlanError } from '../common/errors.js';
import { describeValue } from '../common/describe-value.js';
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
  /** @internal */
  constructor(spec: AggregateSpec) {
    this.spec = spec;
  }
  /** The same aggregate with output column `name`. */
  as(name: string): Aggregate {
    if (typeof name !== 'string' || name === '') {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `as(): expected a non-empty column name, found ${describeValue(name)}`,
      );
    }
    return new Aggregate({ ...this.spec, name });
  }
  /**
   * This aggregate over a window (`count`, `sum`, `mean`, `min`, `max`): running over an ordered window, whole
   * partition otherwise (see `aggregateOver`).
   * @example ds.withColumn('running', sum('amount').over(Window.partitionBy('account').orderBy('day')))
   */
  over(window: WindowSpec): WindowExpression {
    return aggregateOver(this.spec, window);
  }
}

/** What an aggregate is over: a column's name, or `col(name)` (as Spark's functions take a name or a Column). */
export type AggregateColumn = string | ColumnExpression;

/**
 * The name of the column an aggregate `fn` is over. Any other expression is refused: aggregates read a column of the
 * input, so a computed value is added first with `withColumn`.
 */
export function aggregateColumnName(fn: string, column: unknown): string {
  if (typeof column === 'string' && column !== '') return column;
  if (column instanceof ColumnExpression && column.expr.kind === 'col') return column.expr.name;
  const hint =
    column instanceof ColumnExpression ? ': add it as a column first with withColumn(), then aggregate that' : '';
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${fn}(): expected a column name or col(name), found ${column instanceof ColumnExpression ? column.name : describeValue(column)}${hint}`,
  );
}

function over(fn: AggregateFunction, column: AggregateColumn): Aggregate {
  const name = aggregateColumnName(fn, column);
  return new Aggregate({ fn, column: name, name: `${fn}(${name})` });
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
