/** Sort key arguments of `orderBy` and `Window.orderBy`: a column name (ascending) or `col(x).desc()` and friends. */
import { PlanError } from '../../common/errors.js';
import { describeValue } from '../../common/describe-value.js';
import type { SortKey } from '../../protocol/columnar.js';

/**
 * The wire sort keys of `keys`; throws `PlanError` naming `where` for anything else.
 *
 * @example
 * toSortKeys(['city', col('temp').desc()], 'orderBy()');
 */
export function toSortKeys(keys: readonly (string | SortKey)[], where: string): SortKey[] {
  return keys.map((k): SortKey => {
    if (typeof k === 'string' && k !== '') return { name: k, ascending: true };
    if (typeof k === 'object' && k !== null && typeof k.name === 'string')
      return k.nullsFirst === undefined
        ? { name: k.name, ascending: k.ascending }
        : { name: k.name, ascending: k.ascending, nullsFirst: k.nullsFirst };
    throw new PlanError(
      'ERR_PLAN_INVALID_ARGUMENT',
      `${where}: expected a column name or col(name).desc(), found ${describeValue(k)}`,
    );
  });
}
