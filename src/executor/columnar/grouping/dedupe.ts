/**
 * `distinct` / `dropDuplicates`: keeps the first row of each distinct key tuple across a partition's batches, by
 * the tuple encoding of grouping (numbers by value, strings by bytes, nulls equal to nulls) in one typed-array
 * table; the kept rows are gathered per batch, so strings stay views.
 */
import type { Batch } from '../batches/batch.js';
import { columnOf, gatherBatch } from '../batches/batch.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';
import { encodeTupleKey } from '../kernels/tuple-key.js';

/**
 * The batches without rows whose key tuple an earlier row had (`keys` empty: every column).
 *
 * @example
 * for (const batch of dedupe(batches, ['user'])) yield batch;
 */
export function* dedupe(batches: Iterable<Batch>, keys: readonly string[]): Generator<Batch> {
  const table = new ByteKeyTable(1 << 12);
  let scratch = new Uint8Array(256);
  for (const batch of batches) {
    const columns = (keys.length === 0 ? batch.names : keys).map((k) => columnOf(batch, k, 'dropDuplicates()'));
    const kept = new Int32Array(batch.rows);
    let count = 0;
    for (let r = 0; r < batch.rows; r++) {
      let length = encodeTupleKey(columns, r, scratch);
      while (length < 0) {
        scratch = new Uint8Array(scratch.length * 4);
        length = encodeTupleKey(columns, r, scratch);
      }
      const before = table.size;
      table.findOrInsert(scratch, 0, length, hashBytes(scratch, 0, length));
      if (table.size > before) kept[count++] = r;
    }
    // A batch left with no rows still carries the columns (kept by the evaluation when no batch has rows).
    yield count === batch.rows ? batch : gatherBatch(batch, kept, count);
  }
}
