/**
 * The reduce side of `intersect`, `subtract`, `intersectAll` and `exceptAll`: both sides' rows, hash-partitioned by
 * every column but the side column, meet in one task. A first pass counts each distinct tuple's left and right rows
 * (tuples encoded as grouping encodes them: numbers by value, strings by bytes, nulls equal to nulls) and numbers
 * each left row among its tuple's left rows; a second pass keeps the left rows the operation wants. Both passes
 * need every row of the partition, so the task holds them (as a `sort` or a window does).
 */
import type { SetOperation } from '../../../protocol/columnar.js';
import { columnOf, gatherBatch, type Batch } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';
import { encodeTupleKey } from '../kernels/tuple-key.js';
import { ColumnarError } from '../error.js';
import { grownInt32 } from '../aggregates/state-arrays.js';

/**
 * The left rows that `how` keeps, in their input order, without the `side` column (0: left, 1: right).
 *
 * @example
 * for (const batch of setOperation(batches, 'intersect', '__side')) yield batch;
 */
export function* setOperation(batches: Iterable<Batch>, how: SetOperation, side: string): Generator<Batch> {
  const all = concatBatches([...batches]);
  if (all === null) return;
  const sideColumn = columnOf(all, side, 'set operation');
  if (sideColumn.type !== 'i32') {
    throw new ColumnarError(
      'ERR_COLUMNAR_TYPE',
      `set operation: expected an int32 side column, found ${sideColumn.type}`,
    );
  }
  const sides = sideColumn.values;
  const keep = all.names.map((_, i) => i).filter((i) => all.names[i] !== side);
  const data: Batch = {
    rows: all.rows,
    names: keep.map((i) => all.names[i]!),
    columns: keep.map((i) => all.columns[i]!),
  };
  const table = new ByteKeyTable(1 << 12);
  let scratch = new Uint8Array(256);
  let lefts: Int32Array = new Int32Array(1024);
  let rights: Int32Array = new Int32Array(1024);
  // Per row: its tuple's group, and for a left row its ordinal among that tuple's left rows (0, 1, 2 …).
  const groupOf = new Int32Array(all.rows);
  const ordinal = new Int32Array(all.rows);
  for (let r = 0; r < all.rows; r++) {
    let length = encodeTupleKey(data.columns, r, scratch);
    while (length < 0) {
      scratch = new Uint8Array(scratch.length * 4);
      length = encodeTupleKey(data.columns, r, scratch);
    }
    const g = table.findOrInsert(scratch, 0, length, hashBytes(scratch, 0, length));
    lefts = grownInt32(lefts, g + 1);
    rights = grownInt32(rights, g + 1);
    groupOf[r] = g;
    if (sides[r] === 0) ordinal[r] = lefts[g]!++;
    else rights[g]! += 1;
  }
  const kept = new Int32Array(all.rows);
  let count = 0;
  for (let r = 0; r < all.rows; r++) {
    if (sides[r] !== 0) continue;
    const n = ordinal[r]!;
    const inRight = rights[groupOf[r]!]!;
    if (keeps(how, n, inRight)) kept[count++] = r;
  }
  // No rows kept still yields the columns (an empty answer keeps its schema).
  yield count === data.rows ? data : gatherBatch(data, kept, count);
}

/** Whether the left row numbered `n` among its tuple's left rows is kept, the tuple having `inRight` right rows. */
function keeps(how: SetOperation, n: number, inRight: number): boolean {
  switch (how) {
    case 'intersect':
      return n === 0 && inRight > 0;
    case 'except':
      return n === 0 && inRight === 0;
    case 'intersect-all':
      return n < inRight;
    case 'except-all':
      return n >= inRight;
  }
}
