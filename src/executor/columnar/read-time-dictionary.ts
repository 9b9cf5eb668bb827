/**
 * String columns coded as they are read (the CSV reader's, when its rows go straight into a cached partition): per
 * column position, a table of distinct strings that the thread keeps across the splits it reads (first-seen order
 * over all of them), and per batch its rows' codes (0 for a null row), coded from the read buffer before the reader
 * reuses it. The cache stores them without a second pass over the strings (that pass was 25-30 % of the CSV load's
 * worker time): mapped into the dataset's shared dictionary, once per thread rather than once per split
 * (`shared-dictionary-codes.ts`), or else recoded to the split's own first-seen dictionary, exactly the one the
 * cache's own coding (`dictionary-encode.ts`) computes from the rows. The reader lists the split's distinct strings
 * as it goes, so the cache refuses the same columns, and only the split's strings go into its dataset's shared
 * dictionary (the thread's table also holds those of files it read for other datasets). To any other reader such a
 * column is an ordinary dictionary-read column.
 */
import type { Column, Utf8Column } from './batch.js';
import { dictionaryColumn } from './dictionary-column.js';
import { INLINE_BYTES } from './kernels/inline-key-words.js';
import { ShortKeyCodes } from './short-key-codes.js';

/** Rows between checks of a column's distinct count while it is coded (here and in `dictionary-encode.ts`). */
export const CHECK_ROWS = 4096;
/**
 * After this many rows, a column whose rows so far are nearly all distinct (more than 15 in 16: a unique id) is
 * refused at once instead of after a quarter of the block, which had doubled the load of tables with such columns.
 * A column of 1e5 ids in 625 k rows (db-benchmark's id3) is 73 % distinct at that point, and is coded.
 */
export const PREFIX_ROWS = 65536;

/**
 * Above this many strings a thread's table starts over for its next reader (strings of other files and columns
 * would otherwise pile up in it).
 */
const KEPT_STRINGS_MAX = 1 << 18;

/**
 * A thread's table of one column position, kept across the splits it reads: a column of 1e5 ids (db-benchmark's
 * id3) is coded into it once per thread rather than once per split, and its codes map to the shared dictionary's
 * once (`shared-dictionary-codes.ts`), not once per split. `id` changes whenever the table starts over, so a map
 * of its codes made before is not used after. `stamps[c] === stamp` says the split being read met string c (its
 * distinct list, `met`); a byte, not an int32, so that the stamps of 1e5 strings stay in the cache beside the
 * table's. The stamps are the split's only while it is read: its block may be written after the thread's next
 * reader took the table, so nothing after the read looks at them.
 */
interface ThreadTable {
  readonly table: ShortKeyCodes;
  id: number;
  stamps: Uint8Array;
  stamp: number;
}

/** Tables of readers that are done, per thread and column position (a reader takes one, or makes one). */
const spareTables: ThreadTable[][] = [];
let nextTableId = 1;

/**
 * One column's coding while a split is read: its strings (of at most 12 bytes, `INLINE_BYTES`) coded into the
 * thread's table of the column (the strings of the splits the thread read before come first), each batch's rows
 * coded in order, and the split's distinct strings and prefix refusal counted as `dictionary-encode.ts` would.
 *
 * @example
 * const dictionary = new ReadDictionary(c);
 * const column = dictionary.codeBatch(buf, starts, ends, valid, rows); // null: a string too long to code
 * dictionary.release(); // at the end of the split
 */
export class ReadDictionary {
  private readonly kept: ThreadTable;
  /** The column's position in its file (which spare table it takes and gives back). */
  private readonly position: number;
  /** Rows of the column in the batches coded so far. */
  rows = 0;
  /** Distinct strings of the split so far (the table also holds earlier splits'). */
  size = 0;
  /** Whether the split's rows were nearly all distinct at a check (`prefixRefused`). */
  private refused = false;
  /**
   * The split's distinct strings (the table's codes) in first-seen order, `size` of them: the strings its block
   * may add to a shared dictionary, and its own dictionary's order. Kept by the split, not read back from the
   * table's stamps, which the thread's next reader takes over (the block may be written after that).
   */
  private met = new Int32Array(256);
  /** The thread table's strings before the split's (`fresh`). */
  private readonly keptBefore: number;

  constructor(position: number) {
    this.position = position;
    this.kept = spareTables[position]?.pop() ?? {
      table: new ShortKeyCodes(),
      id: nextTableId++,
      stamps: new Uint8Array(0),
      stamp: 0,
    };
    // Stamps 1 … 255 in turn; 0 is never a split's.
    if (this.kept.stamp === 255) {
      this.kept.stamps.fill(0);
      this.kept.stamp = 0;
    }
    this.kept.stamp++;
    if (this.kept.table.size > KEPT_STRINGS_MAX) {
      this.kept.table.restart();
      this.kept.id = nextTableId++;
    }
    this.keptBefore = this.kept.table.size;
  }

  /**
   * Strings the split added to its thread's table: those the thread had not met in the splits it read before. The
   * others the thread most likely mapped to the shared dictionary already (the same dataset's earlier splits), and
   * a split whose strings the shared dictionary holds is coded however many they are (`dictionary-encode.ts`).
   */
  get fresh(): number {
    return this.kept.table.size - this.keptBefore;
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
    const { table } = this.kept;
    if (table.codeRows(bytes, starts, ends, valid, 0, rows, width, codes, 0) >= 0) return null;
    this.countDistinct(codes, valid);
    const { bytes: strings, offsets, size } = table;
    const column = dictionaryColumn(strings, offsets, size, codes, valid);
    readCodes.set(column, {
      dictionary: this,
      firstRow: this.rows,
      codes,
      size,
      bytes: strings,
      offsets,
      tableId: this.kept.id,
      met: this.met,
      distinct: this.size,
      refused: this.refused,
    });
    this.rows += rows;
    return column;
  }

  /**
   * Counts the split's distinct strings among a batch's codes, and checks them as `dictionary-encode.ts` checks
   * codes in first-seen order: at every `CHECK_ROWS`-th row (not null) from `PREFIX_ROWS` on, more than 15 in 16
   * rows so far distinct refuses the column.
   */
  private countDistinct(codes: Int32Array, valid: Uint8Array | undefined): void {
    const kept = this.kept;
    if (kept.stamps.length < kept.table.size) {
      const grown = new Uint8Array(Math.max(kept.table.size, kept.stamps.length * 2));
      grown.set(kept.stamps);
      kept.stamps = grown;
    }
    const stamps = kept.stamps;
    const stamp = kept.stamp;
    let distinct = this.size;
    // Room for every row's string being new (a grown array is a new one: batches coded before keep theirs).
    if (this.met.length < distinct + codes.length) {
      const grown = new Int32Array(Math.max(distinct + codes.length, this.met.length * 2));
      grown.set(this.met.subarray(0, distinct));
      this.met = grown;
    }
    const met = this.met;
    const rows = codes.length;
    for (let i = 0; i < rows;) {
      // Rows [i, next): up to the next row whose count of rows seen (from the split's first) is a check's.
      const next = Math.min(rows, i + CHECK_ROWS - ((this.rows + i) % CHECK_ROWS));
      for (; i < next; i++) {
        if (valid !== undefined && valid[i] === 0) continue;
        const code = codes[i]!;
        if (stamps[code] !== stamp) {
          stamps[code] = stamp;
          met[distinct++] = code;
        }
      }
      const seen = this.rows + next;
      const checked = seen % CHECK_ROWS === 0 && seen >= PREFIX_ROWS && (valid === undefined || valid[next - 1] !== 0);
      if (checked && distinct > seen - (seen >>> 4)) this.refused = true;
    }
    this.size = distinct;
  }

  /** Hands the table on to the thread's next reader (the columns coded keep viewing its strings). */
  release(): void {
    (spareTables[this.position] ??= []).push(this.kept);
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
  /** The thread table's id then, and the split's distinct strings (`met[0, distinct)`) and refusal after its rows. */
  readonly tableId: number;
  readonly met: Int32Array;
  readonly distinct: number;
  readonly refused: boolean;
}

const readCodes = new WeakMap<Column, ReadCodes>();

/**
 * A read-coded column's dictionary (`size` strings: its thread's table, the split's strings among them) and its
 * parts' codes; `met` lists the split's `distinct` strings (codes of the table) in first-seen order, and `refused`
 * says it was nearly all distinct at a check.
 */
export interface ReadCodedParts {
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  readonly codes: readonly Int32Array[];
  readonly tableId: number;
  readonly met: Int32Array;
  readonly distinct: number;
  readonly refused: boolean;
}

/**
 * The dictionary and codes of `parts` when they are all the rows one reader coded with one dictionary, from its
 * first row on, in order; else null.
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
  const { size, bytes, offsets, tableId, met, distinct, refused } = last;
  return {
    size,
    bytes: bytes.subarray(0, offsets[size]),
    offsets: offsets.subarray(0, size + 1),
    codes,
    tableId,
    met: met.subarray(0, distinct),
    distinct,
    refused,
  };
}
