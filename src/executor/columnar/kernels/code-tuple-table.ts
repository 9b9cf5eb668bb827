/**
 * Tuples of key codes (one int32 code per key column, from `coded-tuple-keys.ts`) → dense group ids, in first-seen
 * order. Every tuple has the same width, so a group's codes sit in one flat array (`codes[g * width + c]`) and a slot
 * holds only the tuple's hash and its group: 8 bytes a slot, where a byte-key table spent 24 on a slot and kept each
 * key's bytes, start and end besides. A probe compares codes only on a hash match, so a new tuple (db-benchmark's
 * q10 groups by six columns into ten million groups, nearly every row a new one) costs one slot read.
 *
 * While the columns' codes are few enough that their packed bits span at most `DIRECT_SPAN_MAX` entries (q2's
 * 100 × 100 ids, q6's and q9's), a directory indexed by the packed codes holds each tuple's group instead, as
 * `NumberKeyTable` does for one int32 key (DuckDB's "perfect hash" aggregate): a row costs a few shifts and one
 * lookup in an array that stays in a core's cache, and the tuple's hash is computed only for a new group.
 */
import { mix32 } from './hash-bytes.js';

const LOAD_FACTOR_MAX = 0.5;

/** The start of a tuple's hash; `tupleHashStep` folds in each column's value hash (null: 0), then `mix32`. */
export const TUPLE_HASH_SEED = 0x3c6ef372;

/** `h` with one more column's value hash folded in (see `TUPLE_HASH_SEED`). */
export function tupleHashStep(h: number, valueHash: number): number {
  return Math.imul(h ^ valueHash, 0x01000193) ^ (h >>> 15);
}

/** The directory may span at most this many tuples (4 MiB)… */
const DIRECT_SPAN_MAX = 1 << 20;
/** …and at most this many times the rows it has served, so a small task never allocates a big one… */
const DIRECT_SPAN_PER_ROW = 4;
/** …but spans this small always qualify. */
const DIRECT_SPAN_ALWAYS = 1 << 16;

/**
 * Code tuples → group ids.
 *
 * @example
 * const table = new CodeTupleTable(2);
 * table.assign([id1Codes, id2Codes], [id1Hashes, id2Hashes], [id1Count, id2Count], rows, groupIds);
 */
export class CodeTupleTable {
  /** Distinct tuples so far; group ids are `0 … size - 1` in first-seen order. */
  size = 0;
  /** Codes per tuple. */
  width: number;
  /** Per group, the tuple's hash (for hash partitioning). */
  hashes: Int32Array;
  /** Per group, its `width` codes. */
  codes: Int32Array;
  /** Two int32 per slot: the tuple's hash, its group + 1 (0: empty). Out of date while `directory` holds the groups. */
  private slots: Int32Array;
  private mask: number;
  private slotsStale = false;
  /** `directory[packed codes]` is group + 1, or 0 for a tuple not seen; null when not (or no longer) in use. */
  private directory: Int32Array | null = null;
  /** Per column, the bits its codes take in the directory's index (codes below `1 << bits`). */
  private bits: Int32Array;
  private directRefused = false;
  private rowsSeen = 0;
  /** The tuple hashes of the chunk `assignHashed` works on. */
  private chunkHashes = new Int32Array(0);

  constructor(width: number, capacity = 1024) {
    this.width = width;
    let slots = 16;
    while (slots * LOAD_FACTOR_MAX < capacity) slots *= 2;
    this.slots = new Int32Array(slots * 2);
    this.mask = slots - 1;
    this.hashes = new Int32Array(capacity);
    this.codes = new Int32Array(capacity * width);
    this.bits = new Int32Array(width);
  }

  /**
   * Empties the table for tuples of `width` codes, keeping its arrays at their grown sizes (so the next aggregation
   * on this thread neither rehashes nor allocates).
   */
  reset(width: number): void {
    this.slots.fill(0);
    this.size = 0;
    this.width = width;
    this.slotsStale = false;
    this.directory = null;
    this.bits = new Int32Array(width);
    this.directRefused = false;
    this.rowsSeen = 0;
  }

  /**
   * Writes the group of row `i`'s tuple `(columnCodes[0][i], …)` to `ids[i]` for rows `0 … rows - 1`, adding new
   * tuples. `valueHashes[c][code]` is the hash of column c's value `code`; `codeCounts[c]` bounds column c's codes.
   */
  assign(
    columnCodes: readonly Int32Array[],
    valueHashes: readonly Int32Array[],
    codeCounts: readonly number[],
    rows: number,
    ids: Int32Array,
  ): void {
    this.rowsSeen += rows;
    if (this.useDirectory(codeCounts)) this.assignDirect(columnCodes, valueHashes, rows, ids);
    else this.assignHashed(columnCodes, valueHashes, rows, ids);
  }

  private assignDirect(
    columnCodes: readonly Int32Array[],
    valueHashes: readonly Int32Array[],
    rows: number,
    ids: Int32Array,
  ): void {
    const directory = this.directory!;
    const bits = this.bits;
    const k = this.width;
    for (let i = 0; i < rows; i++) {
      let at = 0;
      for (let c = 0; c < k; c++) at = (at << bits[c]!) | columnCodes[c]![i]!;
      let entry = directory[at]!;
      if (entry === 0) entry = directory[at] = this.append(columnCodes, i, tupleHash(columnCodes, valueHashes, i)) + 1;
      ids[i] = entry - 1;
    }
    this.slotsStale = true;
  }

  private assignHashed(
    columnCodes: readonly Int32Array[],
    valueHashes: readonly Int32Array[],
    rows: number,
    ids: Int32Array,
  ): void {
    if (this.chunkHashes.length < rows) this.chunkHashes = new Int32Array(rows);
    tupleHashes(columnCodes, valueHashes, rows, this.chunkHashes);
    this.assignWithHashes(columnCodes, this.chunkHashes, rows, ids);
  }

  /**
   * `assign` for tuples whose hashes (`tupleHashes`) are known: row `i`'s tuple is `(columnCodes[0][i], …)`, its
   * hash `hashes[i]`. Always probes the slots (never the directory): the radix-partitioned grouping
   * (`radix-tuple-groups.ts`) calls it once per part, on a table `reset` for each.
   */
  assignWithHashes(columnCodes: readonly Int32Array[], hashes: Int32Array, rows: number, ids: Int32Array): void {
    if (this.slotsStale) this.rebuildSlots(this.slots.length >> 1);
    this.directRefused = true;
    const k = this.width;
    for (let i = 0; i < rows; i++) {
      const hash = hashes[i]!;
      const slots = this.slots;
      const mask = this.mask;
      let slot = hash & mask;
      let g = -1;
      for (;;) {
        const entry = slots[2 * slot + 1]!;
        if (entry === 0) break;
        if (slots[2 * slot] === hash && this.holds(entry - 1, columnCodes, i, k)) {
          g = entry - 1;
          break;
        }
        slot = (slot + 1) & mask;
      }
      if (g < 0) {
        g = this.append(columnCodes, i, hash);
        slots[2 * slot] = hash;
        slots[2 * slot + 1] = g + 1;
        if (this.size > (slots.length >> 1) * LOAD_FACTOR_MAX) this.rebuildSlots(slots.length);
      }
      ids[i] = g;
    }
  }

  /** True when group `g`'s codes are row `i`'s. */
  private holds(g: number, columnCodes: readonly Int32Array[], i: number, k: number): boolean {
    const codes = this.codes;
    const at = g * k;
    for (let c = 0; c < k; c++) if (codes[at + c] !== columnCodes[c]![i]) return false;
    return true;
  }

  /**
   * True when the directory serves codes below `codeCounts`: made (or widened, and refilled from the groups) when
   * their bits allow, refused for good once they do not.
   */
  private useDirectory(codeCounts: readonly number[]): boolean {
    if (this.directRefused) return false;
    const bits = this.bits;
    let grown = this.directory === null;
    let total = 0;
    for (let c = 0; c < this.width; c++) {
      const need = bitsFor(codeCounts[c]!);
      if (need > bits[c]!) grown = true;
      total += Math.max(need, bits[c]!);
    }
    if (!grown) return true;
    const span = 2 ** total;
    const allowed = Math.min(DIRECT_SPAN_MAX, Math.max(DIRECT_SPAN_ALWAYS, this.rowsSeen * DIRECT_SPAN_PER_ROW));
    if (span > allowed) {
      this.directRefused = true;
      this.directory = null;
      return false;
    }
    for (let c = 0; c < this.width; c++) bits[c] = Math.max(bits[c]!, bitsFor(codeCounts[c]!));
    const directory = new Int32Array(span);
    const k = this.width;
    for (let g = 0; g < this.size; g++) {
      let at = 0;
      for (let c = 0; c < k; c++) at = (at << bits[c]!) | this.codes[g * k + c]!;
      directory[at] = g + 1;
    }
    this.directory = directory;
    return true;
  }

  /** Adds row `i`'s tuple as a new group; returns its id. */
  private append(columnCodes: readonly Int32Array[], i: number, hash: number): number {
    const g = this.size++;
    const k = this.width;
    if (g === this.hashes.length) {
      const hashes = new Int32Array(g * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    if ((g + 1) * k > this.codes.length) {
      const codes = new Int32Array(Math.max(this.codes.length * 2, (g + 1) * k));
      codes.set(this.codes);
      this.codes = codes;
    }
    this.hashes[g] = hash;
    for (let c = 0; c < k; c++) this.codes[g * k + c] = columnCodes[c]![i]!;
    return g;
  }

  /** Rebuilds the slots (at least `minimum` of them) from the groups' stored hashes. */
  private rebuildSlots(minimum: number): void {
    let length = minimum;
    while (this.size > length * LOAD_FACTOR_MAX) length *= 2;
    const slots = new Int32Array(length * 2);
    const mask = length - 1;
    const hashes = this.hashes;
    for (let g = 0; g < this.size; g++) {
      const hash = hashes[g]!;
      let slot = hash & mask;
      while (slots[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = g + 1;
    }
    this.slots = slots;
    this.mask = mask;
    this.slotsStale = false;
  }
}

/** The hash of row `i`'s tuple: its columns' value hashes combined (`tupleHashStep`), then mixed. */
function tupleHash(columnCodes: readonly Int32Array[], valueHashes: readonly Int32Array[], i: number): number {
  let h = TUPLE_HASH_SEED;
  for (let c = 0; c < columnCodes.length; c++) h = tupleHashStep(h, valueHashes[c]![columnCodes[c]![i]!]!);
  return mix32(h);
}

/**
 * Writes the hash of rows `0 … rows - 1`'s tuples to `out` (as `tupleHash` hashes them); `valueHashes[c][code]` is
 * the hash of column c's value `code`. Column by column: each pass reads one column's codes and hashes, arrays the
 * loop can keep in registers, where a row by row loop looks both up again for every column of every row.
 */
export function tupleHashes(
  columnCodes: readonly Int32Array[],
  valueHashes: readonly Int32Array[],
  rows: number,
  out: Int32Array,
): void {
  out.fill(TUPLE_HASH_SEED, 0, rows);
  for (let c = 0; c < columnCodes.length; c++) {
    const codes = columnCodes[c]!;
    const hashes = valueHashes[c]!;
    for (let i = 0; i < rows; i++) out[i] = tupleHashStep(out[i]!, hashes[codes[i]!]!);
  }
  for (let i = 0; i < rows; i++) out[i] = mix32(out[i]!);
}

/** Bits that hold the codes `0 … count - 1`. */
export function bitsFor(count: number): number {
  return count <= 1 ? 0 : 32 - Math.clz32(count - 1);
}
