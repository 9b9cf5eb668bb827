/**
 * The bucketing of a spilling hash join (`spilling-hash-join.ts`): each row's bucket by a second hash of its key
 * tuple, a batch split into its buckets' rows, and a batch's size in memory (what the build side's budget counts).
 * The second hash is the shuffle's tuple hash (`shuffle/key-hashes.ts`: strings over their UTF-8 bytes) mixed with a
 * seed per level of bucketing, so the buckets do not follow the shuffle's partitions (whose rows share the hash's high
 * bits) and a bucket split again spreads over all its sub-buckets.
 */
import type { Batch, Column, Utf8Column } from '../batches/batch.js';
import { columnOf, gatherColumn, utf8Bytes } from '../batches/batch.js';
import { dictionaryOf, gatherDictionaryColumn } from '../batches/dictionary-column.js';
import { keyHashes } from '../shuffle/key-hashes.js';
import { mix32, partitionOfHash } from '../kernels/hash-bytes.js';

/**
 * The seed of bucketing level `level` (0 for the first split of a task's sides): odd multiples of the golden
 * ratio, so each level's buckets are independent of the last.
 */
export function bucketSeed(level: number): number {
  return Math.imul(2 * level + 1, 0x9e3779b1);
}

/** Where the next null-key row of a side goes: the round robin goes on from batch to batch of that side. */
export interface NullSpread {
  next: number;
}

/**
 * Each row's bucket in `0 … buckets)`. A row with a null in its key matches nothing, so any bucket takes it: such
 * rows go round robin, on from the side's last batch (`spread`), so a side of many null keys still splits evenly
 * even when it comes in batches of one null row each (a bucket file read back, split again; restarting at bucket
 * 0 for each batch piled every null row into one sub-bucket, which then could not be split under the budget).
 *
 * @example
 * const bucketOf = rowBuckets(batch, ['id'], bucketSeed(0), 16, spread);
 */
export function rowBuckets(
  batch: Batch,
  keys: readonly string[],
  seed: number,
  buckets: number,
  spread: NullSpread,
): Int32Array {
  const hashes = keyHashes(batch, keys);
  const out = new Int32Array(batch.rows);
  for (let r = 0; r < batch.rows; r++) out[r] = partitionOfHash(mix32(hashes[r]! ^ seed), buckets);
  for (const key of keys) {
    const valid = columnOf(batch, key, 'join()').valid;
    if (valid === undefined) continue;
    for (let r = 0; r < batch.rows; r++) if (valid[r] === 0) out[r] = spread.next++ % buckets;
  }
  return out;
}

/**
 * The rows of `batch` split by bucket (`bucketOf[r]` is row r's): one batch per bucket, null for a bucket with no
 * row, rows kept in order (a counting sort).
 */
export function splitByBucket(batch: Batch, bucketOf: Int32Array, buckets: number): (Batch | null)[] {
  const starts = new Int32Array(buckets + 1);
  for (let r = 0; r < batch.rows; r++) starts[bucketOf[r]! + 1]!++;
  for (let b = 0; b < buckets; b++) starts[b + 1] = starts[b + 1]! + starts[b]!;
  const order = new Int32Array(batch.rows);
  const at = starts.slice(0, buckets);
  for (let r = 0; r < batch.rows; r++) order[at[bucketOf[r]!]!++] = r;
  const out: (Batch | null)[] = [];
  for (let b = 0; b < buckets; b++) {
    const count = starts[b + 1]! - starts[b]!;
    if (count === 0) out.push(null);
    else if (count === batch.rows) out.push(batch);
    else {
      const rows = order.subarray(starts[b]!, starts[b + 1]!);
      out.push({ rows: count, names: batch.names, columns: batch.columns.map((c) => pickColumn(c, rows, count)) });
    }
  }
  return out;
}

/**
 * Rows `rows[0 … count)` of a column; a dictionary-read string column stays one (its codes gathered, not per-row
 * starts/ends of every source row). No row may be -1.
 *
 * @example
 * const keys = pickColumn(keyColumn, picked, count);
 */
export function pickColumn(column: Column, rows: Int32Array, count: number): Column {
  const coded = dictionaryOf(column);
  if (coded !== undefined) return gatherDictionaryColumn(column as Utf8Column, coded, rows, count);
  return gatherColumn(column, rows, count);
}

/**
 * Bytes the batch's rows take in memory: values, validity, and a string column's bytes plus its starts and ends.
 * An estimate for the build side's budget (views share buffers).
 */
export function batchBytes(batch: Batch): number {
  let bytes = 0;
  for (const column of batch.columns) {
    if (column.valid !== undefined) bytes += batch.rows;
    const coded = dictionaryOf(column);
    // A dictionary-read column is its codes and its dictionary (its starts/ends are not made to count it).
    if (coded !== undefined) bytes += coded.codes.BYTES_PER_ELEMENT * batch.rows + coded.offsets[coded.size]!;
    else if (column.type === 'utf8') bytes += utf8Bytes(column, batch.rows) + 8 * batch.rows;
    else bytes += column.values.BYTES_PER_ELEMENT * batch.rows;
  }
  return bytes;
}
