/**
 * Code tuples grouped part by part (`radix-partition.ts`): a reduce task's rows are first held (each row's key codes
 * and tuple hash), then split by hash into parts of about `ROWS_PER_PART` rows, and each part is grouped in a
 * `CodeTupleTable` small enough to stay in a core's cache. A group lives in one part only (its rows share a hash),
 * so the parts' groups together are the input's groups.
 *
 * Groups are numbered part by part, in first-seen order within a part; rows keep their input order within a part,
 * so a group's rows are met in input order (sums come out bit for bit as the row-order path adds them), and the
 * group ids met in part order only ever grow by one.
 */
import { CodeTupleTable, tupleHashes } from './code-tuple-table.js';
import { partOrder, radixBitsFor, radixParts, scatterInt32 } from './radix-partition.js';

/**
 * Rows per part: about as many groups at worst, and a table of 16 K groups (128 KiB of slots at load 0.5, 6 codes
 * and a hash a group besides) stays in a core's L2 cache.
 */
const ROWS_PER_PART = 1 << 14;

/** The groups of held rows (`HeldTupleRows.group`). */
export interface PartitionedGroups {
  readonly groups: number;
  /** Per row in part order, its group. */
  readonly ids: Int32Array;
  /** Per row in part order, its input row; null when the rows stayed in input order (one part). */
  readonly order: Int32Array | null;
  /** Per key column, each group's code. */
  readonly groupCodes: Int32Array[];
  /** Per group, its tuple's hash. */
  readonly hashes: Int32Array;
}

/**
 * Every row's code tuple and tuple hash, held until `group` groups them all.
 *
 * @example
 * const held = new HeldTupleRows(6);
 * held.append(chunkCodes, valueHashes, rows); // per chunk of the input
 * const { ids, order, groups } = held.group(table);
 */
export class HeldTupleRows {
  rows = 0;
  private codes: Int32Array[];
  private hashes: Int32Array;

  constructor(width: number, capacity = 1 << 16) {
    this.codes = Array.from({ length: width }, () => new Int32Array(capacity));
    this.hashes = new Int32Array(capacity);
  }

  /** Adds rows `0 … rows - 1` of a chunk: `chunkCodes[c][i]` is column c's code, `valueHashes[c][code]` its hash. */
  append(chunkCodes: readonly Int32Array[], valueHashes: readonly Int32Array[], rows: number): void {
    const at = this.rows;
    if (at + rows > this.hashes.length) this.grow(Math.max(at + rows, this.hashes.length * 2));
    this.codes.forEach((codes, c) => codes.set(chunkCodes[c]!.subarray(0, rows), at));
    tupleHashes(chunkCodes, valueHashes, rows, this.hashes.subarray(at, at + rows));
    this.rows += rows;
  }

  /** Groups the held rows in `table` (reset for each part); the rows are no longer held afterwards. */
  group(table: CodeTupleTable): PartitionedGroups {
    const rows = this.rows;
    const width = this.codes.length;
    const bits = radixBitsFor(rows, ROWS_PER_PART);
    const codes: Int32Array[] = this.codes.map((column) => column.subarray(0, rows));
    let hashes: Int32Array = this.hashes.subarray(0, rows);
    let order: Int32Array | null = null;
    let starts: Int32Array = Int32Array.of(0, rows);
    if (bits > 0) {
      const parts = radixParts(hashes, rows, bits);
      starts = parts.starts;
      // Column by column, each held column let go once scattered: one extra column at a time.
      for (let c = 0; c < width; c++) {
        const scattered = new Int32Array(rows);
        scatterInt32(codes[c]!, parts.positions, rows, scattered);
        codes[c] = scattered;
        this.codes[c] = new Int32Array(0);
      }
      const scattered = new Int32Array(rows);
      scatterInt32(hashes, parts.positions, rows, scattered);
      hashes = scattered;
      order = partOrder(parts.positions, rows);
    }
    this.codes = this.codes.map(() => new Int32Array(0));
    this.hashes = new Int32Array(0);
    this.rows = 0;
    const ids = new Int32Array(rows);
    let groups = 0;
    for (let p = 0; p + 1 < starts.length; p++) {
      const from = starts[p]!;
      const to = starts[p + 1]!;
      if (from === to) continue;
      table.reset(width);
      const partIds = ids.subarray(from, to);
      table.assignWithHashes(
        codes.map((column) => column.subarray(from, to)),
        hashes.subarray(from, to),
        to - from,
        partIds,
      );
      for (let i = 0; i < partIds.length; i++) partIds[i]! += groups;
      groups += table.size;
    }
    return { groups, ids, order, ...firstRowsOf(ids, codes, hashes, groups) };
  }

  private grow(capacity: number): void {
    this.codes = this.codes.map((column) => {
      const next = new Int32Array(capacity);
      next.set(column.subarray(0, this.rows));
      return next;
    });
    const hashes = new Int32Array(capacity);
    hashes.set(this.hashes.subarray(0, this.rows));
    this.hashes = hashes;
  }
}

/** Each group's codes and hash, from its first row (group ids met in order grow by one at a new group). */
function firstRowsOf(
  ids: Int32Array,
  codes: readonly Int32Array[],
  hashes: Int32Array,
  groups: number,
): { groupCodes: Int32Array[]; hashes: Int32Array } {
  const groupCodes = codes.map(() => new Int32Array(groups));
  const groupHashes = new Int32Array(groups);
  let next = 0;
  for (let i = 0; i < ids.length && next < groups; i++) {
    if (ids[i] !== next) continue;
    for (let c = 0; c < codes.length; c++) groupCodes[c]![next] = codes[c]![i]!;
    groupHashes[next++] = hashes[i]!;
  }
  return { groupCodes, hashes: groupHashes };
}
