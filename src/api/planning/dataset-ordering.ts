/**
 * The planning of `Dataset.orderBy` and `Dataset.limit`, and what joins them: `orderBy(…).limit(n)` keeps each map
 * task's own top n before the gather, instead of sorting every row.
 */
import { PlanError } from '../../common/errors.js';
import type { ColumnarOp } from '../../protocol/columnar.js';
import { limitCount } from '../dataset/dataset-arguments.js';
import type { DatasetParts } from './dataset-join.js';
import type { Dataset } from '../dataset/dataset.js';
import { shuffleStage } from './dataset-stages.js';
import { toSortKeys, type SortKeyArgument } from './sort-keys.js';

/**
 * The result of each multi-partition `orderBy` → its input (the rows before the range shuffle), for top-n pushdown
 * by `limit`. Read when `limit` is called, so a later `persist` of the input is seen, as a private field would.
 */
const unsortedInputs = new WeakMap<Dataset, () => DatasetParts>();

/**
 * `orderBy(keys)` as plan nodes: one partition sorts in place; more are range-partitioned on sampled keys (as
 * `sortByKey`), then each partition sorts its own range. `input` reads the parts of the dataset being sorted.
 *
 * @example
 * planOrderBy(() => parts, [col('count').desc(), 'word']);
 */
export function planOrderBy(input: () => DatasetParts, keys: readonly SortKeyArgument[]): Dataset {
  if (keys.length === 0) throw new PlanError('ERR_PLAN_INVALID_ARGUMENT', 'orderBy(): expected at least one key');
  const parts = input();
  const sortKeys = toSortKeys(keys, 'orderBy()');
  const sort: ColumnarOp = { kind: 'sort', keys: sortKeys };
  const n = parts.base.numPartitions;
  if (n === 1) return parts.over(parts.base, [...parts.ops, sort]);
  const rangePartition = { kind: 'range-partition', keys: sortKeys } as const;
  const ranges = shuffleStage(parts.context, parts.base, parts.ops, rangePartition, 'orderBy', n, true);
  const sorted = parts.over(ranges, [sort]);
  unsortedInputs.set(sorted, input);
  return sorted;
}

/**
 * `limit(n)` over `dataset` (whose parts are `parts`) as plan nodes. After a multi-partition `orderBy`, each map
 * task keeps its own top n, so the gather moves n rows per task, not all; otherwise each map task keeps its first
 * n rows and the gathered partition keeps the first n of those.
 *
 * @example
 * planLimit(dataset, parts, 10);
 */
export function planLimit(dataset: Dataset, parts: DatasetParts, n: number): Dataset {
  const op: ColumnarOp = { kind: 'limit', n: limitCount(n) };
  const sort = parts.ops[0];
  const unsorted = unsortedInputs.get(dataset);
  if (unsorted !== undefined && parts.ops.length === 1 && sort?.kind === 'sort') {
    return parts.over(unsorted().gathered('orderBy', [sort, op]), [sort, op]);
  }
  if (parts.base.numPartitions === 1) return parts.over(parts.base, [...parts.ops, op]);
  return parts.over(parts.gathered('limit', [op]), [op]);
}

/**
 * Forgets the unsorted input of `dataset`, whose rows are now read from elsewhere (`persist`).
 *
 * @example
 * forgetUnsortedInput(dataset);
 */
export function forgetUnsortedInput(dataset: Dataset): void {
  unsortedInputs.delete(dataset);
}
