/**
 * A join side's key columns widened to the types join planning resolved (`protocol/join-key-types.ts`), before its
 * rows are hashed to shuffle partitions and before the join indexes or probes them: an int32 key joined with an
 * int64 one becomes int64, a number joined with a float64 one float64, so equal values hash and compare alike.
 * Only widens: a batch whose key is already as wide or wider (a partition the planning probe did not see) stays as
 * it is, and the join's type guard (`join-key-types.ts`) names it if no value of it can match.
 */
import { NUMERIC_TYPE_RANK } from '../../../protocol/columnar-reshape.js';
import type { JoinKeyTypes } from '../../../protocol/join-key-types.js';
import type { Batch, Column } from '../batches/batch.js';
import { widenNumberColumn } from '../expressions/cast.js';

/**
 * `batch` with its key columns `keys` widened as `keyTypes` says (the batch itself when none needs it).
 *
 * @example
 * const widened = widenJoinKeys(batch, spec.leftKeys, spec.keyTypes);
 */
export function widenJoinKeys(batch: Batch, keys: readonly string[], keyTypes: JoinKeyTypes | undefined): Batch {
  if (keyTypes === undefined) return batch;
  let columns: Column[] | null = null;
  for (let k = 0; k < keys.length; k++) {
    const to = keyTypes.types[k];
    if (to === null || to === undefined) continue;
    const at = batch.names.indexOf(keys[k]!);
    const column = batch.columns[at];
    if (column === undefined) continue;
    const from = NUMERIC_TYPE_RANK[column.type];
    if (from === undefined || from >= NUMERIC_TYPE_RANK[to]!) continue;
    columns ??= [...batch.columns];
    columns[at] = widenNumberColumn(column, to, batch.rows);
  }
  return columns === null ? batch : { ...batch, columns };
}

/**
 * Every batch of `batches` with its keys widened (see `widenJoinKeys`), lazily.
 *
 * @example
 * const left = widenedBatches(leftBatches, spec.leftKeys, spec.keyTypes);
 */
export function widenedBatches(
  batches: Iterable<Batch>,
  keys: readonly string[],
  keyTypes: JoinKeyTypes | undefined,
): Iterable<Batch> {
  if (keyTypes === undefined || keyTypes.types.every((t) => t === null)) return batches;
  return (function* () {
    for (const batch of batches) yield widenJoinKeys(batch, keys, keyTypes);
  })();
}
