/**
 * Which task of a co-located join (`co-located-join.ts`) each row of either side goes to. Rows whose keys can match
 * must go to the same task, and every row to exactly one (a preserved side's unmatched rows are answered once).
 *
 * - By key range, when the build side has one int32 or date key column (db-benchmark's q5, id3): each task takes a
 *   slice of the build keys' span, `[low + t × width, low + (t + 1) × width)`, and a probe key goes by its value.
 *   Picking a row costs a subtraction and a division instead of hashing its key, and each task's build keys span a
 *   slice only, so its key directory (`join-key-index.ts`) is that much smaller.
 * - By key hash otherwise (`shuffle/key-hashes.ts`), or when the build keys crowd into one range (then hashing spreads
 * them).
 *
 * Keys match as their tuple encoding says (`kernels/tuple-key.ts`): numbers of any column type by value, an int64 by
 * its 8 bytes read as a float64 (what the encoding compares), strings and booleans never with a number. Null keys,
 * NaN and probe keys a range split cannot match go to task 0.
 */
import type { Batch } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { partitionOfHash } from '../kernels/hash-bytes.js';
import { keyHashes } from '../shuffle/key-hashes.js';

/**
 * The rows of task `partition` in a batch: `rows[0 … count)` ascending (a view of a fresh array the caller may
 * overwrite).
 */
export interface PickedRows {
  readonly rows: Int32Array;
  readonly count: number;
}

/** A split of rows between a co-located join's tasks. */
export interface CoLocatedSplit {
  /** 'range' when split by key range (see above), 'hash' by key hash. */
  readonly kind: 'range' | 'hash';
  /** The rows of `batch` that go to task `partition`, its key columns being `keys`. */
  pick(batch: Batch, keys: readonly string[], partition: number): PickedRows;
}

/**
 * A task may hold at most this many times its fair share of the build rows under a range split; past it, the keys
 * crowd into a few ranges (a skewed or clustered key), and the split goes by hash instead: the tasks run side by
 * side, so the join takes as long as its largest share, and the hash split's evenness is worth more than what the
 * range split saves (its picking and smaller directories save less than a quarter of a task's time).
 */
const RANGE_SHARE_MAX = 1.25;

/**
 * The split of a join over `partitions` tasks whose build side is `build` (every batch of it) keyed by `keys`. Every
 * task computes the same split from the same batches.
 *
 * @example
 * const split = coLocatedSplit(buildBatches, ['id3'], 2);
 * const { rows, count } = split.pick(batch, ['id3'], 0);
 */
export function coLocatedSplit(build: readonly Batch[], keys: readonly string[], partitions: number): CoLocatedSplit {
  return rangeSplit(build, keys, partitions) ?? hashSplit(partitions);
}

function hashSplit(partitions: number): CoLocatedSplit {
  return {
    kind: 'hash',
    pick(batch, keys, partition) {
      const hashes = keyHashes(batch, keys);
      let count = 0;
      for (let r = 0; r < batch.rows; r++) {
        if (partitionOfHash(hashes[r]!, partitions) === partition) hashes[count++] = r;
      }
      return { rows: hashes, count };
    },
  };
}

/**
 * The build keys' span and shares are read from every `SAMPLE_STRIDE`-th row: any bounds split correctly (keys
 * outside them go to the first or last task), so a sample only has to make the shares about even, and saves a
 * task passes over every build key (each task would make them all).
 */
const SAMPLE_STRIDE = 8;

/** The range split of one int32 or date build key (see above), or null when it does not apply or would crowd. */
function rangeSplit(build: readonly Batch[], keys: readonly string[], partitions: number): CoLocatedSplit | null {
  if (keys.length !== 1) return null;
  const columns: { readonly values: Int32Array; readonly valid: Uint8Array | undefined; readonly rows: number }[] = [];
  let low = 0x7fffffff;
  let high = -0x80000000;
  for (const batch of build) {
    if (batch.rows === 0) continue;
    const column = columnOf(batch, keys[0]!, 'join()');
    if (column.type !== 'i32' && column.type !== 'date') return null;
    const { values, valid } = column;
    columns.push({ values, valid, rows: batch.rows });
    for (let r = 0; r < batch.rows; r += SAMPLE_STRIDE) {
      if (valid !== undefined && valid[r] === 0) continue;
      const v = values[r]!;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  if (low > high) return null;
  // Task t takes keys in [low + t × width, low + (t + 1) × width), the first and last tasks also those below and
  // above: picking a task's rows is then two comparisons a row, the same for an int and a float of one value.
  const width = Math.ceil((high - low + 1) / partitions);
  const from = (t: number) => (t === 0 ? -Infinity : low + t * width);
  const to = (t: number) => (t === partitions - 1 ? Infinity : low + (t + 1) * width);
  // Each task's share of the sampled non-null keys (null keys go to task 0, but enter no key index).
  const counts = new Float64Array(partitions);
  let total = 0;
  for (const { values, valid, rows } of columns) {
    for (let r = 0; r < rows; r += SAMPLE_STRIDE) {
      if (valid !== undefined && valid[r] === 0) continue;
      counts[Math.min(partitions - 1, Math.floor((values[r]! - low) / width))]!++;
      total++;
    }
  }
  if (counts.some((n) => n > (RANGE_SHARE_MAX * total) / partitions + 1)) return null;
  return {
    kind: 'range',
    pick(batch, pickKeys, partition) {
      const rows = new Int32Array(batch.rows);
      const column = columnOf(batch, pickKeys[0]!, 'join()');
      const first = partition === 0;
      if (column.type === 'i32' || column.type === 'date') {
        const count = pickInts(column.values, column.valid, batch.rows, from(partition), to(partition), first, rows);
        return { rows, count };
      }
      if (column.type === 'utf8' || column.type === 'bool') {
        // Strings and booleans never match a number: every row to task 0.
        if (first) for (let r = 0; r < batch.rows; r++) rows[r] = r;
        return { rows, count: first ? batch.rows : 0 };
      }
      // int64 by its 8 bytes read as a float64 (what the tuple encoding compares); NaN to task 0.
      const numbers =
        column.type === 'i64'
          ? new Float64Array(column.values.buffer, column.values.byteOffset, batch.rows)
          : column.values;
      const count = pickFloats(numbers, column.valid, batch.rows, from(partition), to(partition), first, rows);
      return { rows, count };
    },
  };
}

/**
 * Writes to `out` the rows among the first `rows` of int `values` in [from, to), and the null rows when `nulls`;
 * returns how many. Every row is written at the count so far and counted when picked, without a branch on whether
 * it is (half the rows of a two-task split are, at random: a branch would be mispredicted every other row).
 */
function pickInts(
  values: Int32Array,
  valid: Uint8Array | undefined,
  rows: number,
  from: number,
  to: number,
  nulls: boolean,
  out: Int32Array,
): number {
  let count = 0;
  if (valid === undefined) {
    for (let r = 0; r < rows; r++) {
      const v = values[r]!;
      out[count] = r;
      count += +(v >= from) & +(v < to);
    }
    return count;
  }
  const withNulls = nulls ? 1 : 0;
  for (let r = 0; r < rows; r++) {
    const v = values[r]!;
    out[count] = r;
    count += valid[r] === 0 ? withNulls : +(v >= from) & +(v < to);
  }
  return count;
}

/** As `pickInts` for float values, NaN going with the null rows. */
function pickFloats(
  values: Float64Array,
  valid: Uint8Array | undefined,
  rows: number,
  from: number,
  to: number,
  nulls: boolean,
  out: Int32Array,
): number {
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const v = values[r]!;
    const picked = (valid !== undefined && valid[r] === 0) || v !== v ? nulls : v >= from && v < to;
    if (picked) out[count++] = r;
  }
  return count;
}
