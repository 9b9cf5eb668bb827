/**
 * The hash each row's grouping key gets in `HashAggregator`'s tables, computed row by row without a table: what a
 * map task that stops grouping (`HashAggregator.passThrough`, adaptive partial aggregation) sends its rows by.
 * They must equal the tables' hashes exactly, or a key would reach two reduce partitions, one from a task that
 * grouped and one from a task that passed rows through: one string key is `hashBytes` of its bytes, one number key
 * `hashNumber` of its value, several string and number keys the combination `coded-tuple-keys.ts` makes of the
 * columns' value hashes; a null key hashes as 0 (the group the tables reserve for it).
 */
import type { Column } from '../batch.js';
import { allNull } from '../batch.js';
import { dictionaryOf } from '../dictionary-column.js';
import { codedKindOf, TUPLE_HASH_SEED, tupleHashStep } from './coded-tuple-keys.js';
import { hashBytes, hashNumber, mix32 } from './hash-bytes.js';

/** The key modes whose hashes this file reproduces (the aggregator's `tuple` mode of bool/int64 keys is not one). */
export type HashedKeyMode = 'utf8' | 'number' | 'coded';

/**
 * The hashes of rows [0, rows) of the key columns, as the aggregator's tables in `mode` would give them.
 *
 * @example
 * const hashes = groupKeyHashes('coded', [id1, id4], batch.rows);
 */
export function groupKeyHashes(mode: HashedKeyMode, columns: readonly Column[], rows: number): Int32Array {
  if (mode !== 'coded') return valueHashes(columns[0]!, rows);
  const hashes = new Int32Array(rows).fill(TUPLE_HASH_SEED);
  for (const column of columns) {
    // A column of only nulls, whatever its type, codes as null (as `CodedTupleKeys.assign` does).
    const values =
      codedKindOf(column) === null && allNull(column, rows) ? new Int32Array(rows) : valueHashes(column, rows);
    for (let i = 0; i < rows; i++) hashes[i] = tupleHashStep(hashes[i]!, values[i]!);
  }
  for (let i = 0; i < rows; i++) hashes[i] = mix32(hashes[i]!);
  return hashes;
}

/** Each row's value hash of one string or number column (null: 0). */
function valueHashes(column: Column, rows: number): Int32Array {
  const hashes = new Int32Array(rows);
  const valid = column.valid;
  if (column.type === 'utf8') {
    const view = dictionaryOf(column);
    // A dictionary-read column (db-benchmark's ids): each dictionary string hashed once, each row looked up.
    if (view !== undefined && view.size <= rows) {
      const { codes, offsets } = view;
      const bytes = column.bytes;
      const codeHashes = new Int32Array(view.size);
      for (let c = 0; c < view.size; c++) codeHashes[c] = hashBytes(bytes, offsets[c]!, offsets[c + 1]!);
      for (let i = 0; i < rows; i++) if (valid === undefined || valid[i] === 1) hashes[i] = codeHashes[codes[i]!]!;
      return hashes;
    }
    const { bytes, starts, ends } = column;
    for (let i = 0; i < rows; i++) {
      if (valid === undefined || valid[i] === 1) hashes[i] = hashBytes(bytes, starts[i]!, ends[i]!);
    }
    return hashes;
  }
  const values = (column as { values: ArrayLike<number> }).values;
  for (let i = 0; i < rows; i++) if (valid === undefined || valid[i] === 1) hashes[i] = hashNumber(values[i]!);
  return hashes;
}
