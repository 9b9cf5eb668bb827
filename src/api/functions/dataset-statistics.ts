/**
 * Statistical aggregates of `groupBy().agg()` and `ds.agg()`, by Spark's names: `countDistinct`, `median`,
 * `quantile` (exact), `stddev` / `variance` (sample) and `stddevPop` / `varPop`, `first`, `last`, `corr`. All are
 * exact across partitions (map tasks keep partial states, the reduce task merges them) and skip nulls.
 */
import type { AggregateFunction } from '../../protocol/columnar.js';
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import {
  Aggregate,
  aggregateColumnName as columnName,
  aggregateInputs as inputs,
  type AggregateColumn,
} from './dataset-aggregates.js';

function over(fn: AggregateFunction, column: AggregateColumn): Aggregate {
  const name = columnName(fn, column);
  return new Aggregate({ fn, column: name, name: `${fn}(${name})` }, inputs(column));
}

/**
 * The number of distinct non-null values per group (exact); with several columns, of distinct tuples, skipping
 * rows where any of them is null (Spark's `count(DISTINCT a, b)`). An int32 column, 0 for a group of only nulls.
 *
 * @example
 * ds.groupBy('day').agg(countDistinct('user'))
 */
export function countDistinct(column: AggregateColumn, ...others: AggregateColumn[]): Aggregate {
  const first = columnName('countDistinct', column);
  const rest = others.map((c) => columnName('countDistinct', c));
  return new Aggregate(
    {
      fn: 'countDistinct',
      column: first,
      others: rest,
      name: `countDistinct(${[first, ...rest].join(', ')})`,
    },
    inputs(column, ...others),
  );
}

/**
 * The exact median per group: `quantile(column, 0.5)`, interpolating between the two middle values of an even
 * count (as Spark's `median`, DuckDB's and Polars'). WARNING: exact quantiles ship every value of a group to its
 * reduce task.
 *
 * @example
 * ds.groupBy('route').agg(median('latencyMs'))
 */
export function median(column: AggregateColumn): Aggregate {
  return over('median', column);
}

/**
 * The exact quantile `q` (0 … 1) per group, as Spark's `percentile(col, q)`: the value at position q × (n − 1) of
 * the sorted values, interpolated linearly between its neighbours. Float64; null for a group of only nulls.
 *
 * @example
 * ds.groupBy('route').agg(quantile('latencyMs', 0.99).as('p99'))
 */
export function quantile(column: AggregateColumn, q: number): Aggregate {
  if (typeof q !== 'number' || !(q >= 0 && q <= 1)) {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `quantile(): expected q between 0 and 1, found ${describeValue(q)}`,
    );
  }
  const name = columnName('quantile', column);
  return new Aggregate({ fn: 'quantile', column: name, quantile: q, name: `quantile(${name}, ${q})` }, inputs(column));
}

/** Spark's name for `quantile`. @example agg(percentile('x', 0.9)) */
export function percentile(column: AggregateColumn, q: number): Aggregate {
  return quantile(column, q);
}

/** Sample standard deviation (n − 1), as Spark's `stddev`; null for fewer than two values. @example agg(stddev('x')) */
export function stddev(column: AggregateColumn): Aggregate {
  return over('stddev', column);
}
/** Sample variance (n − 1), as Spark's `variance`; null for fewer than two values. @example agg(variance('x')) */
export function variance(column: AggregateColumn): Aggregate {
  return over('variance', column);
}
/** Population standard deviation (n). @example agg(stddevPop('x')) */
export function stddevPop(column: AggregateColumn): Aggregate {
  return over('stddevPop', column);
}
/** Population variance (n). @example agg(varPop('x')) */
export function varPop(column: AggregateColumn): Aggregate {
  return over('varPop', column);
}

/**
 * Pearson correlation of two numeric columns per group, over rows where both are non-null; null when either is
 * constant (Spark 3).
 *
 * @example
 * ds.groupBy('city').agg(corr('temp', 'sales'))
 */
export function corr(x: AggregateColumn, y: AggregateColumn): Aggregate {
  const a = columnName('corr', x);
  const b = columnName('corr', y);
  return new Aggregate({ fn: 'corr', column: a, others: [b], name: `corr(${a}, ${b})` }, inputs(x, y));
}

function firstOrLast(fn: 'first' | 'last', column: AggregateColumn, ignoreNulls: boolean): Aggregate {
  if (typeof ignoreNulls !== 'boolean') {
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${fn}(): ignoreNulls must be a boolean, found ${describeValue(ignoreNulls)}`,
    );
  }
  const name = columnName(fn, column);
  return new Aggregate(
    {
      fn,
      column: name,
      ignoreNulls,
      name: ignoreNulls ? `${fn}(${name}, ignoreNulls)` : `${fn}(${name})`,
    },
    inputs(column),
  );
}

/**
 * The value of the group's first row, in partition order then row order (deterministic for a given plan and
 * input; as in Spark it depends on partitioning). A null counts unless `ignoreNulls` (Spark's default: false).
 * Any column type, kept.
 *
 * @example
 * ds.orderBy('at').groupBy('user').agg(first('page', true))
 */
export function first(column: AggregateColumn, ignoreNulls = false): Aggregate {
  return firstOrLast('first', column, ignoreNulls);
}

/** The value of the group's last row (see `first`). @example agg(last('status', true)) */
export function last(column: AggregateColumn, ignoreNulls = false): Aggregate {
  return firstOrLast('last', column, ignoreNulls);
}
