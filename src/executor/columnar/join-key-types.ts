/**
 * The check that a join's key columns compare on both sides. The join indexes and the shuffle compare keys by their
 * encoding (kernels/tuple-key.ts): int32, float64, dates and timestamps as numbers, int64 as 64-bit integers,
 * strings, booleans. Keys of different encodings never matched: `a.join(b, 'k')` of an int32 `k` and an int64 `k`
 * returned no rows, without an error. Spark and DuckDB widen numbers before comparing; until the join does, it fails
 * here, naming the key, both types and the cast that fixes it. Deterministic (ERR_COLUMNAR_TYPE): the job fails at
 * its first attempt. WARNING: it is checked where a task sees values of both sides; int64 keys and numbers hash to
 * different shuffle partitions, so a shuffled join of a few rows over many partitions, where no task holds keys of
 * both sides, still answers no rows (checking before the shuffle needs the schemas at plan time).
 */
import type { JoinSpec } from '../../protocol/columnar.js';
import { CAST_TYPE_NAMES } from '../../protocol/columnar-reshape.js';
import type { Batch, Column } from './batch.js';
import { ColumnarError } from './error.js';
import { tupleKindOf } from './kernels/tuple-key.js';

/**
 * Checks the key columns of one probe batch against the build side's, for the keys `verified` does not mark yet;
 * marks those it compared. A key column with no value in a batch (no rows, or all null) is skipped: it matches
 * nothing whatever its type, and a column of nulls only may carry a placeholder type (fromColumns types a
 * partition's all-null column float64). Throws when two compared columns are encoded differently, so that no two
 * of their values can match.
 *
 * @example
 * const verified = new Uint8Array(spec.leftKeys.length);
 * checkJoinKeyTypes(spec, leftBatch, rightBatch, verified);
 */
export function checkJoinKeyTypes(spec: JoinSpec, left: Batch, right: Batch, verified: Uint8Array): void {
  for (let k = 0; k < spec.leftKeys.length; k++) {
    if (verified[k] === 1) continue;
    const leftAt = left.names.indexOf(spec.leftKeys[k]!);
    const rightAt = right.names.indexOf(spec.rightKeys[k]!);
    if (leftAt < 0 || rightAt < 0) continue;
    const leftColumn = left.columns[leftAt]!;
    const rightColumn = right.columns[rightAt]!;
    if (!holdsAValue(leftColumn, left.rows) || !holdsAValue(rightColumn, right.rows)) continue;
    verified[k] = 1;
    if (tupleKindOf(leftColumn) === tupleKindOf(rightColumn)) continue;
    const leftType = CAST_TYPE_NAMES[leftColumn.type];
    const rightType = CAST_TYPE_NAMES[rightColumn.type];
    const [side, key, to] = castFor(leftType, rightType, spec.leftKeys[k]!, spec.rightKeys[k]!);
    throw new ColumnarError(
      'ERR_COLUMNAR_TYPE',
      `join(): key column '${spec.leftKeys[k]}' is ${leftType} on the left and ${rightType} on the right; keys ` +
        `of different types never match. Cast the ${side} side's key first: ` +
        `${side}.withColumn('${key}', col('${key}').cast('${to}'))`,
    );
  }
}

function holdsAValue(column: Column, rows: number): boolean {
  const valid = column.valid;
  if (valid === undefined) return rows > 0;
  for (let r = 0; r < rows; r++) if (valid[r] !== 0) return true;
  return false;
}

/** Which side's key to cast, and to what: an integer side to the wider number, else the right side to the left's. */
function castFor(left: string, right: string, leftKey: string, rightKey: string): [string, string, string] {
  const rank = (type: string) => ['int32', 'int64', 'float64'].indexOf(type);
  if (rank(left) >= 0 && rank(right) >= 0) {
    return rank(left) < rank(right) ? ['left', leftKey, right] : ['right', rightKey, left];
  }
  return ['right', rightKey, left];
}
