/**
 * How the directory of pairs (`dense-pair-groups.ts`) reads one key column: an int32 key as it is, a dictionary-read
 * string key as its dictionary code's code in a table of the strings met (`StringCodes`).
 */
import type { Utf8Column } from '../batches/batch.js';
import type { DictionaryView } from '../batches/dictionary-column.js';
import { ByteKeyTable } from './byte-key-table.js';
import { hashBytes } from './hash-bytes.js';

/**
 * One key column as the directory reads it: row i's key is `values[i]`, or for a dictionary-read string column
 * `codes[values[i]]` (its string's code in `StringCodes`); null where `valid[i]` is 0.
 */
export interface Side {
  readonly values: ArrayLike<number>;
  readonly codes: Int32Array | undefined;
  readonly valid: Uint8Array | undefined;
}

/**
 * A dictionary-read string key column's strings, coded in the order the dictionaries list them. Each dictionary met
 * is mapped whole, once (`dense-pair-groups.ts` takes only dictionaries of at most 4,096 strings), so the directory's loop reads a row's
 * code by two array lookups and never stops for a string it has not seen.
 */
export class StringCodes {
  readonly table = new ByteKeyTable(1024);
  /** The last dictionary mapped (a cached partition's key column is met again for each of its slices). */
  private offsets: Int32Array | null = null;
  private codes = new Int32Array(0);

  /** `column`, read from the dictionary `view`, as the directory reads it. */
  side(column: Utf8Column, view: DictionaryView): Side {
    if (view.offsets !== this.offsets) {
      const { offsets, size } = view;
      const bytes = column.bytes;
      this.codes = new Int32Array(size);
      for (let c = 0; c < size; c++) {
        const s = offsets[c]!;
        const e = offsets[c + 1]!;
        this.codes[c] = this.table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
      }
      this.offsets = offsets;
    }
    return { values: view.codes, codes: this.codes, valid: column.valid };
  }

  /** The strings of `codes` as a column (null where `valid` says). */
  column(codes: Int32Array, valid: Uint8Array | undefined): Utf8Column {
    const n = codes.length;
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    for (let g = 0; g < n; g++) {
      if (valid !== undefined && valid[g] === 0) continue;
      starts[g] = this.table.keyStarts[codes[g]!]!;
      ends[g] = this.table.keyEnds[codes[g]!]!;
    }
    return { type: 'utf8', bytes: this.table.arena, starts, ends, valid };
  }
}
