/**
 * The hash each row's grouping key gets in `HashAggregator`'s tables, computed row by row without a table: what a
 * map task that stops grouping (`HashAggregator.passThrough`, adaptive partial aggregation) sends its rows by.
 * They must equal the tables' hashes exactly, or a key would reach two reduce partitions, one from a task that
 * grouped and one from a task that passed rows through: one string key is `hashBytes` of its bytes, one number key
 * `hashNumber` of its value, several string and number keys the combination `coded-tuple-keys.ts` makes of the
 * columns' value hashes; a null key hashes as 0 (the group the tables reserve for it).
 *
 * Several keys are folded into the rows' hashes column by column, each column's value hashes straight into the
 * running hash (no array of value hashes per column: q10's map side took six fresh row-sized arrays per cached
 * partition, and a pass to fold each). A dictionary-read string column is hashed once per dictionary string; a
 * `GroupKeyHasher` kept for a task keeps those hashes, and the next partition's dictionary, which begins with the
 * same strings (the cached partitions of a dataset share their dictionaries' prefixes:
 * `caching/shared-dictionary-codes.ts`), hashes only the strings past them: q10's id3 once per task, not once per
 * cached partition.
 */
import type { Column, Utf8Column } from '../batches/batch.js';
import { allNull } from '../batches/batch.js';
import { dictionaryOf, sharedPrefixSize, type DictionaryView } from '../batches/dictionary-column.js';
import { codedKindOf, TUPLE_HASH_SEED, tupleHashStep } from './coded-tuple-keys.js';
import { hashBytes, hashInt32, hashNumber, mix32 } from './hash-bytes.js';

/** The key modes whose hashes this file reproduces (the aggregator's `tuple` mode of bool/int64 keys is not one). */
export type HashedKeyMode = 'utf8' | 'number' | 'coded';

/** A dictionary's strings, and the hash of each of the first `size`. */
interface DictionaryHashes {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
  readonly size: number;
  readonly hashes: Int32Array;
}

/**
 * The hashes of rows [0, rows) of the key columns, as the aggregator's tables in `mode` would give them.
 *
 * @example
 * const hashes = groupKeyHashes('coded', [id1, id4], batch.rows);
 */
export function groupKeyHashes(mode: HashedKeyMode, columns: readonly Column[], rows: number): Int32Array {
  return new GroupKeyHasher().hashes(mode, columns, rows);
}

/**
 * `groupKeyHashes` for the batches of one task: each key column's dictionary string hashes are kept for the next
 * batch, whose dictionary shares them when it begins with the same strings (see the file's comment).
 *
 * @example
 * const hasher = new GroupKeyHasher();
 * for (const batch of batches) send(batch, hasher.hashes('coded', keyColumnsOf(batch), batch.rows));
 */
export class GroupKeyHasher {
  /** Per key column, the dictionary last hashed (or one it was a prefix of). */
  private readonly known: (DictionaryHashes | undefined)[] = [];

  /** The hashes of rows [0, rows) of the key columns, as `groupKeyHashes` gives them. */
  hashes(mode: HashedKeyMode, columns: readonly Column[], rows: number): Int32Array {
    const hashes = new Int32Array(rows);
    if (mode !== 'coded') {
      this.fold(0, columns[0]!, rows, hashes, false);
      return hashes;
    }
    hashes.fill(TUPLE_HASH_SEED);
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      // A column of only nulls, whatever its type, codes as null (as `CodedTupleKeys.assign` does): value hash 0.
      if (codedKindOf(column) === null && allNull(column, rows)) {
        for (let i = 0; i < rows; i++) hashes[i] = tupleHashStep(hashes[i]!, 0);
      } else {
        this.fold(c, column, rows, hashes, true);
      }
    }
    for (let i = 0; i < rows; i++) hashes[i] = mix32(hashes[i]!);
    return hashes;
  }

  /**
   * Each row's value hash of column `c` (a string or number column; null: 0) into `hashes`: folded into the running
   * tuple hash (`tupleHashStep`) when `step`, else written as it is (one key).
   */
  private fold(c: number, column: Column, rows: number, hashes: Int32Array, step: boolean): void {
    const valid = column.valid;
    if (column.type === 'utf8') {
      const view = dictionaryOf(column);
      const codeHashes = view === undefined ? null : this.codeHashes(c, column, view, rows);
      if (codeHashes !== null) {
        // A dictionary-read column (db-benchmark's ids): each row's hash looked up by its code.
        const codes = view!.codes;
        if (step && valid === undefined) {
          foldCodeHashes(codes, codeHashes, rows, hashes);
          return;
        }
        for (let i = 0; i < rows; i++) {
          const value = valid === undefined || valid[i] === 1 ? codeHashes[codes[i]!]! : 0;
          hashes[i] = step ? tupleHashStep(hashes[i]!, value) : value;
        }
        return;
      }
      const { bytes, starts, ends } = column;
      for (let i = 0; i < rows; i++) {
        const value = valid === undefined || valid[i] === 1 ? hashBytes(bytes, starts[i]!, ends[i]!) : 0;
        hashes[i] = step ? tupleHashStep(hashes[i]!, value) : value;
      }
      return;
    }
    const values = (column as { values: ArrayLike<number> }).values;
    if (step && valid === undefined && values instanceof Int32Array) {
      foldInt32Hashes(values, rows, hashes);
      return;
    }
    for (let i = 0; i < rows; i++) {
      const value = valid === undefined || valid[i] === 1 ? hashNumber(values[i]!) : 0;
      hashes[i] = step ? tupleHashStep(hashes[i]!, value) : value;
    }
  }

  /**
   * The hash of each string of `view`'s dictionary, those it shares with the dictionary key column `c` had before
   * taken from there; null when more strings are new than there are rows (hashing each row is then less work).
   */
  private codeHashes(c: number, column: Utf8Column, view: DictionaryView, rows: number): Int32Array | null {
    const { bytes } = column;
    const { offsets, size } = view;
    const known = this.known[c];
    const same =
      known === undefined ? 0 : sharedPrefixSize(known.bytes, known.offsets, known.size, bytes, offsets, size);
    // A prefix of the dictionary known: its hashes are there already.
    if (known !== undefined && same === size) return known.hashes;
    if (size - same > rows) return null;
    let hashes = known?.hashes ?? new Int32Array(0);
    if (hashes.length < size) {
      const grown = new Int32Array(Math.max(size, hashes.length * 2));
      grown.set(hashes.subarray(0, same));
      hashes = grown;
    }
    for (let code = same; code < size; code++) hashes[code] = hashBytes(bytes, offsets[code]!, offsets[code + 1]!);
    this.known[c] = { bytes, offsets, size, hashes };
    return hashes;
  }
}

/**
 * `fold`'s loop for a dictionary-read column without nulls into a tuple hash, a function of its own: the general
 * loop tests the row's validity and whether to step for every row, and reads codes, strings and numbers of every
 * key column through one site.
 */
function foldCodeHashes(
  codes: DictionaryView['codes'],
  codeHashes: Int32Array,
  rows: number,
  hashes: Int32Array,
): void {
  for (let i = 0; i < rows; i++) hashes[i] = tupleHashStep(hashes[i]!, codeHashes[codes[i]!]!);
}

/** `fold`'s loop for an int32 column without nulls into a tuple hash (each value's `hashInt32`). */
function foldInt32Hashes(values: Int32Array, rows: number, hashes: Int32Array): void {
  for (let i = 0; i < rows; i++) hashes[i] = tupleHashStep(hashes[i]!, hashInt32(values[i]!));
}
