/**
 * Group ids of a dictionary-read string key column (`dictionary-column.ts`): each dictionary string is looked up in
 * a byte-key table (the one-key group-by's groups, or a key column's codes in `coded-tuple-keys.ts`) the first time
 * a row names it, and every row after that costs one array lookup of its code. Groups are created in the order their first rows come, as the row-by-row lookup creates them, so
 * the result is the same table either way.
 */
import type { Utf8Column } from './batch.js';
import type { DictionaryView } from './dictionary-column.js';
import type { ByteKeyTable } from './kernels/byte-key-table.js';
import { hashBytes } from './kernels/hash-bytes.js';

/**
 * One aggregation's code → group maps, kept for the column last seen (a cached partition's key column is met again
 * for each of its slices).
 *
 * @example
 * const groups = new DictionaryGroups();
 * const size = groups.assign(column, dictionaryOf(column)!, from, to, groupIds, table, () => nullGroup());
 */
export class DictionaryGroups {
  private offsets: Int32Array | null = null;
  private table: ByteKeyTable | null = null;
  /** Per dictionary string, its group, or -1 until a row names it. */
  private groupOfCode = new Int32Array(0);

  /**
   * Writes the group of rows `from … to - 1` of `column` to `ids[0 …]` (a null row: `nullGroup()`), adding new keys
   * to `table`; returns the table's group count.
   */
  assign(
    column: Utf8Column,
    view: DictionaryView,
    from: number,
    to: number,
    ids: Int32Array,
    table: ByteKeyTable,
    nullGroup: () => number,
  ): number {
    // A slice of a column shares its dictionary (the same offsets array), and so its map.
    if (view.offsets !== this.offsets || table !== this.table) {
      this.offsets = view.offsets;
      this.table = table;
      if (this.groupOfCode.length < view.size) this.groupOfCode = new Int32Array(view.size);
      this.groupOfCode.fill(-1, 0, view.size);
    }
    const { codes, offsets } = view;
    const { bytes, valid } = column;
    const groupOfCode = this.groupOfCode;
    for (let i = from; i < to; i++) {
      if (valid !== undefined && valid[i] === 0) {
        ids[i - from] = nullGroup();
        continue;
      }
      const code = codes[i]!;
      let g = groupOfCode[code]!;
      if (g < 0) {
        const s = offsets[code]!;
        const e = offsets[code + 1]!;
        g = groupOfCode[code] = table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
      }
      ids[i - from] = g;
    }
    return table.size;
  }
}
