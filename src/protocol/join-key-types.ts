/**
 * The types a join's key columns are compared in. Keys compare by their encoding (int32, float64, dates and
 * timestamps as numbers; int64 as 64-bit integers; strings; booleans), and equal keys must also hash alike to reach
 * the same shuffle partition, so keys of different number types are widened to one type on both sides before the
 * shuffle and the join: int32 with int64 as int64, any number with float64 as float64 (as Spark, DuckDB and Polars
 * do, and as `union` widens). WARNING: an int64 compared with a float64 compares as a float64 (Spark's and DuckDB's
 * rule), so int64 keys past 2^53 that round to the same float64 match each other's float64 partners.
 * Other differences (a string with a number, a date with a number) are a `PlanError` before the join runs.
 */
import { CAST_TYPE_NAMES, NUMERIC_TYPE_RANK, type BatchTypeName } from './columnar-reshape.js';

/** A number type keys widen to. */
export type WidenedKeyType = 'i64' | 'f64';

/**
 * The widened type of each key pair, learned before the first job that runs the join (a dataset's types are known
 * only once it runs: `api/planning/join-key-resolution.ts`), then read by the tasks of both sides: the map side casts before
 * hashing, the join before indexing. `types[k]` null: key k is compared as read.
 */
export interface JoinKeyTypes {
  resolved: boolean;
  types: (WidenedKeyType | null)[];
}

/**
 * The type both keys are compared in: null when they compare as they are (equal types), the wider number type
 * when both are numbers of different types, 'mismatch' when no value of one can equal a value of the other.
 *
 * @example
 * widenedKeyType('i32', 'f64'); // 'f64'
 */
export function widenedKeyType(left: BatchTypeName, right: BatchTypeName): WidenedKeyType | null | 'mismatch' {
  if (left === right) return null;
  const l = NUMERIC_TYPE_RANK[left];
  const r = NUMERIC_TYPE_RANK[right];
  if (l === undefined || r === undefined) return 'mismatch';
  return (l > r ? left : right) as WidenedKeyType;
}

/**
 * The message of keys that never match as they are: both columns, both types, and the cast that fixes it (an
 * integer side's key to the wider number, else the right side's key to the left's type).
 *
 * @example
 * joinKeyMismatchMessage('k', 'utf8', 'id', 'i32'); // "… Cast the right side's key first: right.withColumn('id', …"
 */
export function joinKeyMismatchMessage(
  leftKey: string,
  left: BatchTypeName,
  rightKey: string,
  right: BatchTypeName,
): string {
  const [leftName, rightName] = [CAST_TYPE_NAMES[left], CAST_TYPE_NAMES[right]];
  const l = NUMERIC_TYPE_RANK[left];
  const r = NUMERIC_TYPE_RANK[right];
  const [side, key, to] =
    l !== undefined && r !== undefined && l < r ? ['left', leftKey, rightName] : ['right', rightKey, leftName];
  const columns =
    leftKey === rightKey
      ? `key column '${leftKey}' is`
      : `key columns '${leftKey}' (left) and '${rightKey}' (right) are`;
  return (
    `join(): ${columns} ${leftName} on the left and ${rightName} on the right; keys of different types never ` +
    `match. Cast the ${side} side's key first: ${side}.withColumn('${key}', col('${key}').cast('${to}'))`
  );
}
