/**
 * `agg({ column: 'function' })`, Spark's dictionary form of `agg`: each entry one aggregate of a column by the
 * function's SQL name, named as Spark names it (`sum(x)`, `avg(y)`; `mean` is named `avg`, as there).
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import { Aggregate, count, max, mean, min, sum } from './dataset-aggregates.js';
import { countDistinct, first, last, median, stddev, stddevPop, variance, varPop } from './dataset-statistics.js';

/** The aggregates by the names `agg({ … })` takes, each over a column. */
const BY_NAME: Readonly<Record<string, (column: string) => Aggregate>> = {
  sum,
  avg: (c) => mean(c).as(`avg(${c})`),
  mean: (c) => mean(c).as(`avg(${c})`),
  min,
  max,
  count,
  count_distinct: countDistinct,
  median,
  stddev,
  stddev_samp: stddev,
  std: stddev,
  variance,
  var_samp: variance,
  stddev_pop: stddevPop,
  var_pop: varPop,
  first: (c) => first(c),
  last: (c) => last(c),
};

/**
 * True when `args` is the dictionary form: one plain object, not an `Aggregate`.
 *
 * @example
 * if (isAggregateObject(args)) aggregates = aggregatesOfObject(args[0]);
 */
export function isAggregateObject(args: readonly unknown[]): args is [Readonly<Record<string, string>>] {
  const [only] = args;
  return args.length === 1 && typeof only === 'object' && only !== null && !(only instanceof Aggregate);
}

/**
 * The aggregates of `{ column: 'function' }`, in the object's order.
 *
 * @example
 * aggregatesOfObject({ x: 'sum', y: 'avg' }); // [sum('x'), mean('y').as('avg(y)')]
 */
export function aggregatesOfObject(byColumn: Readonly<Record<string, string>>): Aggregate[] {
  return Object.entries(byColumn).map(([column, fn]) => {
    const name = typeof fn === 'string' ? fn.toLowerCase() : '';
    const build = Object.hasOwn(BY_NAME, name) ? BY_NAME[name] : undefined;
    if (build === undefined) {
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `agg(): expected the name of an aggregate function for column '${column}' (${Object.keys(BY_NAME).join(', ')}), ` +
          `found ${describeValue(fn)}`,
      );
    }
    return build(column);
  });
}
