/**
 * The hash join of two cached datasets without a shuffle (`strategy: 'co-located-hash'`, chosen by join planning
 * when both sides are cached and neither is small enough to broadcast). Each of the join's `partitions` tasks reads
 * every cached block of both sides as zero-copy views, reads only the key columns, and keeps the rows whose key
 * falls in its own share (`co-located-split.ts`: a key range for one int key, else a key hash, as a shuffle would
 * split them), without writing and re-reading every column of both sides. The build side's picked rows are gathered
 * from every block straight into one batch for the key index; the probe side's picked rows are never copied: the answer's probe columns are
 * gathered straight from the cached blocks.
 *
 * Every row lands in exactly one task, null keys included, so a preserved side's unmatched rows are answered once.
 */
import type { JoinSpec } from '../../../protocol/columnar.js';
import { columnOf, sliceBatch, type Batch } from '../batches/batch.js';
import { coLocatedSplit, type CoLocatedSplit } from './co-located-split.js';
import { concatBatches, gatherConcat } from '../batches/concat-batches.js';
import { ColumnarError } from '../error.js';
import { widenedBatches } from './join-key-casts.js';
import { joinBuilt, pickColumn, schemaOnly, type ProbePart } from './hash-join.js';

/**
 * The joined batches of task `partition`: the rows of `left` and `right` (every block of each side) whose key falls
 * in that task's share.
 *
 * @example
 * for (const batch of coLocatedHashJoin(spec, 0, leftBlocks, rightBlocks)) yield batch;
 */
export function* coLocatedHashJoin(
  spec: JoinSpec,
  partition: number,
  leftBatches: Iterable<Batch>,
  rightBatches: Iterable<Batch>,
): Generator<Batch> {
  // Keys of different number types widened alike before they are split and indexed.
  const left = widenedBatches(leftBatches, spec.leftKeys, spec.keyTypes);
  const right = widenedBatches(rightBatches, spec.rightKeys, spec.keyTypes);
  const partitions = spec.partitions;
  if (partitions === undefined || !(partition >= 0 && partition < partitions)) {
    throw new ColumnarError(
      'ERR_COLUMNAR_UNSUPPORTED',
      `join(): a co-located join task expected a partition below its partition count, found ${partition} of ${String(partitions)}`,
    );
  }
  const buildLeft = spec.build === 'left';
  const buildKeys = buildLeft ? spec.leftKeys : spec.rightKeys;
  const probeKeys = buildLeft ? spec.rightKeys : spec.leftKeys;
  const buildBatches = [...(buildLeft ? left : right)];
  const split = coLocatedSplit(buildBatches, buildKeys, partitions);
  const picked = [...pickedParts(buildBatches, buildKeys, split, partition)].filter((p) => p.count > 0);
  // No build row in this task's share: the build side's columns with no rows (not the first block itself, whose
  // rows would be joined, and answered unmatched, in every such task too).
  const build = pickedBatch(picked) ?? sliceBatch(schemaOnly(buildBatches), 0, 0);
  yield* joinBuilt(spec, build, pickedParts(buildLeft ? right : left, probeKeys, split, partition));
}

/**
 * The picked rows of every part as one batch (null for no part). Each column is gathered from every block straight
 * into one (`gatherConcat`), not gathered per block and then copied again into one; a column that cannot be (a
 * dictionary-read or nullable one) is gathered per block and concatenated.
 */
function pickedBatch(parts: readonly ProbePart[]): Batch | null {
  const first = parts[0];
  if (first === undefined) return null;
  const rows = parts.map((p) => p.rows!);
  const counts = parts.map((p) => p.count);
  const total = counts.reduce((sum, n) => sum + n, 0);
  const columns = first.batch.names.map((name) => {
    const columnParts = parts.map((p) => columnOf(p.batch, name, 'join()'));
    const straight = gatherConcat(columnParts, rows, counts, total);
    if (straight !== null) return straight;
    const gathered = columnParts.map((c, i) => ({
      rows: counts[i]!,
      names: [name],
      columns: [pickColumn(c, rows[i]!, counts[i]!)],
    }));
    return concatBatches(gathered)!.columns[0]!;
  });
  return { rows: total, names: first.batch.names, columns };
}

/** Each batch with its rows that `split` gives task `partition` (ascending; none of a batch of no rows). */
function* pickedParts(
  batches: Iterable<Batch>,
  keys: readonly string[],
  split: CoLocatedSplit,
  partition: number,
): Generator<ProbePart> {
  for (const batch of batches) {
    if (batch.rows === 0) {
      yield { batch, rows: new Int32Array(0), count: 0 };
      continue;
    }
    const { rows, count } = split.pick(batch, keys, partition);
    yield { batch, rows: rows.subarray(0, count), count };
  }
}
