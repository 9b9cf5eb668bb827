/**
 * Radix partitioning of rows by the top bits of their hashes: a counting sort into `2^bits` parts, stable (a part
 * keeps its rows in input order). Grouping a part at a time keeps a part's hash table in a core's cache, where one
 * table of ten million groups (db-benchmark's q10) makes every row a trip to memory; the scatter that gets there
 * writes to only `2^bits` places at once, which stay in cache too (DuckDB's radix-partitioned aggregate, and the
 * "partition, then aggregate" of Balkesen et al. on main-memory hash joins).
 *
 * The top bits choose the part and the tables use the low bits for their slots, so a part's hashes still spread
 * over its table's slots.
 */

import type { Batch, Column } from '../batches/batch.js';
import { columnOf, gatherColumn } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import { dictionaryOf } from '../batches/dictionary-column.js';

/** At most this many parts: the scatter's write positions (4 KiB of cursors, a cache line per part) stay cached. */
export const RADIX_BITS_MAX = 10;

/** Where each row goes in part order, and where each part starts. */
export interface RadixParts {
  /** Row `i` is row `positions[i]` in part order. */
  readonly positions: Int32Array;
  /** Part `p` is rows `starts[p] … starts[p + 1] - 1` in part order; `2^bits + 1` entries. */
  readonly starts: Int32Array;
}

/** The part of a hash: its top `bits` bits (0 when `bits` is 0). */
export function partOf(hash: number, bits: number): number {
  // `>>> 32` shifts by 0 in JS: no bits is part 0, not the hash itself.
  return bits === 0 ? 0 : hash >>> (32 - bits);
}

/**
 * The stable part order, by the top `bits` bits of their hashes, of the rows whose hashes are `hashes` (chunk after
 * chunk, the rows of one input).
 *
 * @example
 * const { positions, starts } = radixParts([hashes], 8);
 * scatterInt32(codes, positions, rows, codesInPartOrder);
 */
export function radixParts(hashes: readonly Int32Array[], bits: number): RadixParts {
  const parts = 1 << bits;
  const starts = new Int32Array(parts + 1);
  let rows = 0;
  for (const chunk of hashes) {
    for (let i = 0; i < chunk.length; i++) starts[partOf(chunk[i]!, bits) + 1]!++;
    rows += chunk.length;
  }
  for (let p = 0; p < parts; p++) starts[p + 1]! += starts[p]!;
  const cursors = starts.slice(0, parts);
  const positions = new Int32Array(rows);
  let at = 0;
  for (const chunk of hashes) {
    for (let i = 0; i < chunk.length; i++) positions[at + i] = cursors[partOf(chunk[i]!, bits)]!++;
    at += chunk.length;
  }
  return { positions, starts };
}

/** Writes `source[i]` to `target[positions[i]]` for rows `0 … rows - 1`. */
export function scatterInt32(source: Int32Array, positions: Int32Array, rows: number, target: Int32Array): void {
  for (let i = 0; i < rows; i++) target[positions[i]!] = source[i]!;
}

/** The rows in part order: `order[positions[i]] = i` (what gathers the other columns into part order). */
export function partOrder(positions: Int32Array, rows: number): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[positions[i]!] = i;
  return order;
}

/**
 * The bits that split `rows` rows into parts of about `rowsPerPart` (none when they fit in one), at most
 * `RADIX_BITS_MAX`.
 */
export function radixBitsFor(rows: number, rowsPerPart: number): number {
  let bits = 0;
  while (bits < RADIX_BITS_MAX && rows / (1 << bits) > rowsPerPart) bits++;
  return bits;
}

/**
 * The rows of `batches` (back to back, one schema) in part order (`positions` as `radixParts` gives them): numbers
 * and their validity scattered batch by batch, which reads each batch in order and writes to one place per part, with
 * no concatenated copy of the batches first; when a column is anything else (strings) or its batches differ in
 * element type, the batches are concatenated and that column gathered.
 */
export function scatterBatches(batches: readonly Batch[], positions: Int32Array): Batch {
  const first = batches[0]!;
  const rows = positions.length;
  let order: Int32Array | null = null;
  let all: Batch | null = null;
  const columns = first.names.map((name, c): Column => {
    const template = first.columns[c]!;
    const parts = batches.map((batch) => columnOf(batch, name, 'agg()'));
    if (!scattersAsNumbers(parts)) {
      all ??= concatBatches(batches)!;
      return gatherColumn(all.columns[c]!, (order ??= partOrder(positions, rows)), rows);
    }
    const anyNull = parts.some((column) => column.valid !== undefined);
    const valid = anyNull ? new Uint8Array(rows) : undefined;
    const Values = (template as { values: NumberArray }).values.constructor as new (n: number) => NumberArray;
    const values = new Values(rows);
    let at = 0;
    batches.forEach((batch, b) => {
      const column = parts[b] as { values: NumberArray; valid?: Uint8Array };
      const to = positions.subarray(at, at + batch.rows);
      scatterValues(column.values, to, batch.rows, values);
      if (valid !== undefined) {
        if (column.valid === undefined) fillAt(valid, to, batch.rows);
        else scatterBytes(column.valid, to, batch.rows, valid);
      }
      at += batch.rows;
    });
    return { ...template, values, valid } as Column;
  });
  return { rows, names: first.names, columns };
}

/** True when every part is a number column (not int64, not dictionary-read) of one element type. */
function scattersAsNumbers(parts: readonly Column[]): boolean {
  const first = parts[0]!;
  if (first.type === 'utf8' || first.type === 'i64' || dictionaryOf(first) !== undefined) return false;
  const type = (first as { values: ArrayLike<number> }).values.constructor;
  return parts.every(
    (column) => column.type === first.type && (column as { values: ArrayLike<number> }).values.constructor === type,
  );
}

/**
 * `target[positions[i]] = source[i]` for rows `0 … rows - 1` (typed arrays of one element type): a loop of its own
 * for each of float64, int32 and bytes, so each stays monomorphic.
 */
function scatterValues(source: NumberArray, positions: Int32Array, rows: number, target: NumberArray): void {
  if (source instanceof Float64Array) scatterFloat64(source, positions, rows, target as Float64Array);
  else if (source instanceof Int32Array) scatterInt32(source, positions, rows, target as Int32Array);
  else if (source instanceof Uint8Array) scatterBytes(source, positions, rows, target as Uint8Array);
  else for (let i = 0; i < rows; i++) target[positions[i]!] = source[i]!;
}

/** The typed arrays of number columns' values. */
type NumberArray = Float64Array | Int32Array | Uint8Array | Float32Array | Int16Array | Uint16Array | Int8Array;

function scatterFloat64(source: Float64Array, positions: Int32Array, rows: number, target: Float64Array): void {
  for (let i = 0; i < rows; i++) target[positions[i]!] = source[i]!;
}

/** `target[positions[i]] = 1` for rows `0 … rows - 1` (a part without nulls in a column with some). */
function fillAt(target: Uint8Array, positions: Int32Array, rows: number): void {
  for (let i = 0; i < rows; i++) target[positions[i]!] = 1;
}

function scatterBytes(source: Uint8Array, positions: Int32Array, rows: number, target: Uint8Array): void {
  for (let i = 0; i < rows; i++) target[positions[i]!] = source[i]!;
}
