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

import type { Batch, Column } from '../batch.js';
import { gatherColumn } from '../batch.js';
import { dictionaryOf } from '../dictionary-column.js';

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
 * `batch`'s rows in part order (`positions` as `radixParts` gives them): numbers and their validity scattered, which
 * reads the batch in order and writes to one place per part; any other column (strings) gathered.
 */
export function scatterBatch(batch: Batch, positions: Int32Array): Batch {
  const rows = batch.rows;
  let order: Int32Array | null = null;
  const columns = batch.columns.map((column): Column => {
    if (column.type === 'utf8' || column.type === 'i64' || dictionaryOf(column) !== undefined) {
      return gatherColumn(column, (order ??= partOrder(positions, rows)), rows);
    }
    const valid = column.valid === undefined ? undefined : new Uint8Array(rows);
    if (valid !== undefined) scatterBytes(column.valid!, positions, rows, valid);
    const from = column.values;
    if (from instanceof Float64Array) {
      const values = new Float64Array(rows);
      scatterFloat64(from, positions, rows, values);
      return { ...column, values, valid } as Column;
    }
    if (from instanceof Uint8Array) {
      const values = new Uint8Array(rows);
      scatterBytes(from, positions, rows, values);
      return { ...column, values, valid } as Column;
    }
    const values = new Int32Array(rows);
    scatterInt32(from, positions, rows, values);
    return { ...column, values, valid } as Column;
  });
  return { rows, names: batch.names, columns };
}

function scatterFloat64(source: Float64Array, positions: Int32Array, rows: number, target: Float64Array): void {
  for (let i = 0; i < rows; i++) target[positions[i]!] = source[i]!;
}

function scatterBytes(source: Uint8Array, positions: Int32Array, rows: number, target: Uint8Array): void {
  for (let i = 0; i < rows; i++) target[positions[i]!] = source[i]!;
}
