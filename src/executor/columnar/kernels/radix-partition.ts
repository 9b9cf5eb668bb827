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
 * The stable part order of rows `0 … rows - 1` by the top `bits` bits of `hashes`.
 *
 * @example
 * const { positions, starts } = radixParts(hashes, rows, 8);
 * scatterInt32(codes, positions, rows, codesInPartOrder);
 */
export function radixParts(hashes: Int32Array, rows: number, bits: number): RadixParts {
  const parts = 1 << bits;
  const starts = new Int32Array(parts + 1);
  for (let i = 0; i < rows; i++) starts[partOf(hashes[i]!, bits) + 1]!++;
  for (let p = 0; p < parts; p++) starts[p + 1]! += starts[p]!;
  const cursors = starts.slice(0, parts);
  const positions = new Int32Array(rows);
  for (let i = 0; i < rows; i++) positions[i] = cursors[partOf(hashes[i]!, bits)]!++;
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
