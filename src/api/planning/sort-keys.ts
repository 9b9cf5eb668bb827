/**
 * Sort key arguments of `orderBy` and `Window.orderBy`: a column name or `col(x)` (ascending), or `col(x).desc()`
 * and friends.
 */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { SortKey } from '../../protocol/columnar.js';
import { ColumnExpression } from '../functions/dataset-expressions.js';

/** One key as `orderBy` takes it: a name or `col(name)` sorts ascending; `col(name).desc()` … say the order. */
export type SortKeyArgument = string | SortKey | ColumnExpression;

/**
 * The wire sort keys of `keys`; throws `PlanError` naming `where` for anything else.
 *
 * A bare `col(x)` sorts ascending, as Spark's `orderBy(col("x"))`. WARNING: a `ColumnExpression` has a `name` but
 * no `ascending`, so it is recognised before the `SortKey` case, and a key whose `ascending` is not a boolean is
 * refused: read as a `SortKey`, its missing `ascending` would sort it descending without a word.
 *
 * @example
 * toSortKeys(['city', col('temp').desc(), col('day')], 'orderBy()');
 */
export function toSortKeys(keys: readonly SortKeyArgument[], where: string): SortKey[] {
  return keys.map((k): SortKey => {
    if (typeof k === 'string' && k !== '') return { name: k, ascending: true };
    if (k instanceof ColumnExpression) {
      if (k.expr.kind === 'col') return { name: k.expr.name, ascending: true };
      throw new PlanError(
        'ERR_PLAN_INVALID_ARGUMENT',
        `${where}: expected a column name or col(name), found the expression ${k.name}: ` +
          `add it as a column first (withColumn('${k.name}', …)) and sort by that name`,
      );
    }
    if (typeof k === 'object' && k !== null && typeof k.name === 'string' && typeof k.ascending === 'boolean')
      return k.nullsFirst === undefined
        ? { name: k.name, ascending: k.ascending }
        : { name: k.name, ascending: k.ascending, nullsFirst: k.nullsFirst };
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}: expected a column name, col(name) or col(name).desc(), found ${describeValue(k)}`,
    );
  });
}
