/**
 * String columns coded as they are read (the CSV reader's, when its rows go straight into a cached partition): per
 * column, a dictionary of its distinct strings in first-seen order, grown across the batches of one split, and per
 * batch its rows' codes (0 for a null row), coded from the read buffer before the reader reuses it. Those are
 * exactly the dictionary and codes the cache's own coding (`dictionary-encode.ts`) computes from the rows, so the
 * cache stores them as they are, instead of the reader copying every string out of its buffer and the cache then
 * scanning and hashing them again (that second pass was 25-30 % of the CSV load's worker time). To any other reader
 * such a column is an ordinary dictionary-read column.
 */
import type { Column, Utf8Column } from '../batches/batch.js';
import { dictionaryColumn } from '../batches/dictionary-column.js';
import { INLINE_BYTES } from '../kernels/inline-key-words.js';
import { ShortKeyCodes } from './short-key-codes.js';

/**
 * Tables of readers that are done, per thread and column position: their grown slots spare the next split's
 * dictionary of the same column its rehashes (a column of 1e5 ids grows its table to 4 MB in a dozen of them).
 */
const spareTables: ShortKeyCodes[][] = [];

/**
 * One column's dictionary while a split is read: its strings (of at most 12 bytes, `INLINE_BYTES`) in first-seen
 * order, each batch's rows coded in order.
 *
 * @example
 * const dictionary = new ReadDictionary(c);
 * const column = dictionary.codeBatch(buf, starts, ends, valid, rows); // null: a string too long to code
 * dictionary.release(); // at the end of the split
 */
export class ReadDictionary {
  private readonly table: ShortKeyCodes;
  /** The column's position in its file (which spare table it takes and gives back). */
  private readonly position: number;
  /** Rows of the column in the batches coded so far. */
  rows = 0;

  constructor(position: number) {
    this.position = position;
    this.table = spareTables[position]?.pop() ?? new ShortKeyCodes();
    this.table.restart();
  }

  /** Distinct strings so far. */
  get size(): number {
    return this.table.size;
  }

  /**
   * The next `rows` rows of the column (row i is `bytes[starts[i], ends[i])`, null where `valid[i]` is 0) as a
   * dictionary-read column, marked so the cache can take its codes (`readCodedParts`); null when one is longer than
   * 12 bytes (the dictionary is then of no further use: the column is read plain from here on).
   */
  codeBatch(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    valid: Uint8Array | undefined,
    rows: number,
  ): Utf8Column | null {
    let width = 0;
    for (let r = 0; r < rows && width === 0; r++)
      if (valid === undefined || valid[r] !== 0) width = ends[r]! - starts[r]!;
    if (width > INLINE_BYTES) return null;
    const codes = new Int32Array(rows);
    const table = this.table;
    if (table.codeRows(bytes, starts, ends, valid, 0, rows, width, codes, 0) >= 0) return null;
    const { bytes: strings, offsets, size } = table;
    const column = dictionaryColumn(strings, offsets, size, codes, valid);
    readCodes.set(column, { dictionary: this, firstRow: this.rows, codes, size, bytes: strings, offsets });
    this.rows += rows;
    return column;
  }

  /** Hands the table on to the thread's next reader (the columns coded keep their strings: `restart`). */
  release(): void {
    (spareTables[this.position] ??= []).push(this.table);
  }
}

/** Where a batch's read-coded column lies in its reader's rows. */
interface ReadCodes {
  readonly dictionary: ReadDictionary;
  /** Its first row among the rows its dictionary coded (0: the split's first). */
  readonly firstRow: number;
  readonly codes: Int32Array;
  /** Dictionary strings after its rows (its codes are below), and the table's arrays then (string c at
   * `bytes[offsets[c], offsets[c + 1])`; a table grows and restarts into new arrays, so these stay as they are). */
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

const readCodes = new WeakMap<Column, ReadCodes>();

/** A read-coded column's dictionary (`size` strings, in first-seen order of its rows) and its parts' codes. */
export interface ReadCodedParts {
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  readonly codes: readonly Int32Array[];
}

/**
 * The dictionary and codes of `parts` when they are all the rows one reader coded with one dictionary, from its
 * first row on, in order (so the dictionary's first strings are exactly theirs, in first-seen order); else null.
 *
 * @example
 * const read = readCodedParts(parts); // null: code the strings as any other column's
 */
export function readCodedParts(
  parts: readonly { readonly column: Column; readonly rows: number }[],
): ReadCodedParts | null {
  let dictionary: ReadDictionary | null = null;
  let next = 0;
  let last: ReadCodes | null = null;
  const codes: Int32Array[] = [];
  for (const { column, rows } of parts) {
    const read = readCodes.get(column);
    if (read === undefined || read.firstRow !== next || read.codes.length !== rows) return null;
    if (dictionary !== null && read.dictionary !== dictionary) return null;
    dictionary = read.dictionary;
    next += rows;
    last = read;
    codes.push(read.codes);
  }
  if (last === null) return null;
  const { size, bytes, offsets } = last;
  return { size, bytes: bytes.subarray(0, offsets[size]), offsets: offsets.subarray(0, size + 1), codes };
}
