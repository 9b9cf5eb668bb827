/**
 * The map side of a parallel `orderBy` (as the RDD `sortByKey`): the scheduler's range sampler asks each map task
 * for a reservoir sample of its sort keys, picks bounds from them (`plan/range-bounds.ts`), and the map tasks then
 * send each row to the range its key falls in. Keys travel as order-preserving byte strings (latin1 JS strings, so
 * the sampler's `compareValues` orders them as bytes): see `kernels/sort-key-bytes.ts`.
 */
import type { SortKey } from '../../../protocol/columnar.js';
import { deriveSeed, Rng } from '../../../common/rng.js';
import { columnOf, type Batch } from '../batches/batch.js';
import { compareBytes, encodeSortKey, SortKeyScratch, type SortKeyColumn } from '../kernels/sort-key-bytes.js';

function keyColumns(batch: Batch, keys: readonly SortKey[]): SortKeyColumn[] {
  return keys.map((key) => ({ ...key, column: columnOf(batch, key.name, 'orderBy()') }));
}

/**
 * Up to `size` sort keys drawn uniformly (a reservoir seeded by (seed, partition), as the RDD sampler) and the row
 * count: the `sample-keys` partition action of a range-partitioned columnar stage.
 *
 * @example
 * sampleSortKeys(batches, [{ name: 'x', ascending: true }], 60, seed, partition);
 */
export function sampleSortKeys(
  batches: Iterable<Batch>,
  keys: readonly SortKey[],
  size: number,
  seed: number,
  partition: number,
): { keys: string[]; recordCount: number } {
  const rng = new Rng(deriveSeed(seed, partition));
  const scratch = new SortKeyScratch();
  const sampled: string[] = [];
  let recordCount = 0;
  for (const batch of batches) {
    const columns = keyColumns(batch, keys);
    for (let row = 0; row < batch.rows; row++) {
      const slot = sampled.length < size ? sampled.length : Math.floor(rng.nextFloat() * (recordCount + 1));
      if (slot < size) sampled[slot] = latin1(encodeSortKey(columns, row, scratch));
      recordCount++;
    }
  }
  return { keys: sampled, recordCount };
}

/**
 * The reduce partition of every row: the number of `bounds` below its key (a key equal to a bound goes with it).
 *
 * @example
 * const partitionOf = rangePartitionOf(batch, keys, bounds);
 */
export function rangePartitionOf(batch: Batch, keys: readonly SortKey[], bounds: readonly unknown[]): Int32Array {
  const out = new Int32Array(batch.rows);
  if (bounds.length === 0 || batch.rows === 0) return out;
  const cuts = bounds.map((b) => Buffer.from(b as string, 'latin1'));
  const columns = keyColumns(batch, keys);
  const scratch = new SortKeyScratch();
  for (let row = 0; row < batch.rows; row++) {
    const key = encodeSortKey(columns, row, scratch);
    let low = 0;
    let high = cuts.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareBytes(cuts[middle]!, key) < 0) low = middle + 1;
      else high = middle;
    }
    out[row] = low;
  }
  return out;
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('latin1');
}
