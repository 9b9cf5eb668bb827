/**
 * The planning of Spark's set operations of two datasets: `intersect`, `subtract` (SQL `EXCEPT`), `intersectAll`
 * and `exceptAll`. Both sides go through a union (columns by position, numbers widened, checked as `union`'s), each
 * row tagged with its side; rows are hash-partitioned by every column but the tag, so equal rows of both sides
 * meet in one task, which counts them per distinct row and keeps the left's rows the operation wants
 * (`executor/columnar/grouping/set-operation.ts`). Spark plans the distinct forms as a null-safe semi / anti join; here one
 * shuffle serves all four, and nulls equal nulls as there.
 */
import type { SetOperation } from '../../protocol/columnar.js';
import { checkPartitionCount } from '../../plan/plan-builder.js';
import type { DatasetParts } from './dataset-join.js';
import type { Dataset } from '../dataset/dataset.js';
import { shuffleStage } from './dataset-stages.js';

/**
 * The side column of a set operation's tagged union (0: left, 1: right): a name no user column is expected to have
 * (a column of that name on the left would be taken for the tag).
 */
export const SET_SIDE_COLUMN = '__kindling_set_side';

/**
 * `tagged` (the union of both sides, each row's side in `SET_SIDE_COLUMN`) as the plan of `how`. The distinct forms
 * first drop each map task's duplicate (row, side) pairs, so a row repeated on one side is shuffled once per task.
 *
 * @example
 * planSetOperation(taggedParts, 'except-all', 'exceptAll()');
 */
export function planSetOperation(
  tagged: DatasetParts,
  how: SetOperation,
  where: string,
  numPartitions?: number,
): Dataset {
  const n = checkPartitionCount(numPartitions ?? tagged.context.options.defaultParallelism, where);
  const distinct = how === 'intersect' || how === 'except';
  const shuffled = shuffleStage(
    tagged.context,
    tagged.base,
    distinct ? [...tagged.ops, { kind: 'dedupe', keys: [] }] : tagged.ops,
    { kind: 'hash-partition', keys: [], excluded: [SET_SIDE_COLUMN] },
    where.replace('()', ''),
    n,
  );
  return tagged.over(shuffled, [{ kind: 'set-operation', how, side: SET_SIDE_COLUMN }]);
}
