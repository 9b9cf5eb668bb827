/**
 * The guard that a join's key columns compare on both sides. Join planning widens keys of different number types to
 * one type before the shuffle (`protocol/join-key-types.ts`), and refuses other differences before any task runs,
 * from the types a probe of each side found. A side whose partitions differ in type (JS rows are typed per
 * partition) may still bring a key the probe did not see: where a task sees values of both, it fails here, naming
 * the key, both types and the cast that fixes it. Deterministic (ERR_COLUMNAR_TYPE): the job fails at its first
 * attempt.
 */
import type { JoinSpec } from '../../../protocol/columnar.js';
import { joinKeyMismatchMessage } from '../../../protocol/join-key-types.js';
import type { Batch, Column } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { tupleKindOf } from '../kernels/tuple-key.js';

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
    throw new ColumnarError(
      'ERR_COLUMNAR_TYPE',
      joinKeyMismatchMessage(spec.leftKeys[k]!, leftColumn.type, spec.rightKeys[k]!, rightColumn.type),
    );
  }
}

function holdsAValue(column: Column, rows: number): boolean {
  const valid = column.valid;
  if (valid === undefined) return rows > 0;
  for (let r = 0; r < rows; r++) if (valid[r] !== 0) return true;
  return false;
}
