/**
 * A string-typed column whose rows' sizes are known but whose bytes are made only when first needed, so a writer
 * that knows where each row goes (a shuffle chunk being filled, `shuffle/shuffle-chunks.ts`) can have them written
 * there directly. A median's map-side lists are such a column: its values were scattered into group order and then
 * copied again into the shuffle block; written into the block instead, each value is written once.
 */
import type { Column, Utf8Column } from './batch.js';

/** The maker of a deferred column's bytes. */
export interface DeferredBytes {
  /**
   * Writes the bytes of rows `rows[0]`, `rows[1]` … back to back into `data` (exactly their total length), and
   * returns true; or writes nothing and returns false when it cannot do so for less than making every row's bytes
   * (then the caller copies them from the column's `bytes`).
   */
  writeRows(rows: Int32Array, data: Uint8Array): boolean;
  /** Every row's bytes, where the column's `starts` and `ends` say; called at most once per column. */
  make(): Uint8Array;
}

const deferred = new WeakMap<Column, DeferredBytes>();

/**
 * A `utf8` column of rows `starts[i] … ends[i]` whose `bytes` are made by `maker` on first read (and kept).
 *
 * @example
 * const lists = deferredBytesColumn(starts, ends, { writeRows: (rows, data) => false, make: () => bytes });
 */
export function deferredBytesColumn(starts: Int32Array, ends: Int32Array, maker: DeferredBytes): Utf8Column {
  let bytes: Uint8Array | null = null;
  const column: Utf8Column = {
    type: 'utf8',
    get bytes(): Uint8Array {
      return (bytes ??= maker.make());
    },
    starts,
    ends,
  };
  deferred.set(column, maker);
  return column;
}

/** The maker of `column`'s bytes when they are deferred (a writer may have them written where it wants them). */
export function deferredBytesOf(column: Column): DeferredBytes | undefined {
  return deferred.get(column);
}
