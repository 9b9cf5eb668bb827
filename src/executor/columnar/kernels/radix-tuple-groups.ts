/**
 * Code tuples grouped part by part (`radix-partition.ts`): a reduce task's rows are first held (each row's key codes
 * and tuple hash), then split by hash into parts of about `ROWS_PER_PART` rows, and each part is grouped in a
 * `CodeTupleTable` small enough to stay in a core's cache. A group lives in one part only (its rows share a hash),
 * so the parts' groups together are the input's groups.
 *
 * Groups are numbered part by part, in first-seen order within a part; rows keep their input order within a part,
 * so a group's rows are met in input order (sums come out bit for bit as the row-order path adds them), and the
 * group ids met in part order only ever grow by one.
 *
 * While the key columns' codes fit in fewer 32-bit words than there are columns (q10's six codes take 62 bits), rows
 * are held with their codes packed (`packed-code-tuples.ts`): the scatter into parts moves the packed words and the
 * hash (3 arrays for q10, not 7), a part's table holds and compares the words, and the groups' codes are read
 * straight out of them. Equal tuples pack to equal words, so the groups, their order and their hashes are those of
 * the unpacked codes.
 */
import { CodeTupleTable, TUPLE_HASH_SEED, tupleHashStep } from './code-tuple-table.js';
import { mix32 } from './hash-bytes.js';
import {
  codeLayout,
  repackCodes,
  sameLayout,
  packedColumn,
  unpackedCodes,
  type CodeLayout,
  type PackedColumn,
} from './packed-code-tuples.js';
import { radixBitsFor, radixParts, scatterInt32 } from './radix-partition.js';

/**
 * Rows per part: about as many groups at worst, and a table of 16 K groups (128 KiB of slots at load 0.5, a
 * tuple's codes or packed words and its hash a group besides) stays in a core's L2 cache.
 */
const ROWS_PER_PART = 1 << 14;

/** The groups of held rows (`HeldTupleRows.group`). */
export interface PartitionedGroups {
  readonly groups: number;
  /** Per row in part order, its group. */
  readonly ids: Int32Array;
  /** Per input row, its row in part order (`radixParts`). */
  readonly positions: Int32Array;
  /** Per key column, each group's code (among the groups' packed words: `packed-code-tuples.ts`). */
  readonly groupCodes: PackedColumn[];
  /** Per group, its held hash (`heldHashes`: of its codes, so not the key hash a map side partitions by). */
  readonly hashes: Int32Array;
}

/**
 * One appended chunk of held rows: its codes packed under `layout` (`packed-code-tuples.ts`), or one array per key
 * column when `layout` is null.
 */
interface HeldChunk {
  codes: Int32Array[];
  layout: CodeLayout | null;
  readonly hashes: Int32Array;
  readonly rows: number;
}

/**
 * Every row's code tuple and held hash (`heldHashes`), held (chunk by chunk as appended: no copies to grow an array) until
 * `group` groups them all. While the columns' codes fit in fewer 32-bit words than there are columns, a chunk's
 * tuples are held packed: fewer arrays to hold, to scatter into parts and to compare.
 *
 * @example
 * const held = new HeldTupleRows(6);
 * held.append(chunkCodes, valueHashes, codeCounts, rows); // per chunk of the input
 * const { ids, positions, groups } = held.group();
 */
export class HeldTupleRows {
  rows = 0;
  private readonly width: number;
  private chunks: HeldChunk[] = [];
  /** The layout of the last chunk packed (null before the first). */
  private layout: CodeLayout | null = null;
  /** False once a chunk's codes did not pack: later chunks (whose codes only grow) are not tried. */
  private packing: boolean;

  /** `pack: false` holds every chunk unpacked (what the packed path is checked against). */
  constructor(width: number, pack = true) {
    this.width = width;
    this.packing = pack;
  }

  /** Packed words per held tuple, or null while the tuples are held unpacked (one array per key column). */
  get packedWords(): number | null {
    return this.packing ? (this.layout?.words ?? null) : null;
  }

  /**
   * Adds rows `0 … rows - 1` of a chunk: `chunkCodes[c][i]` is column c's code, and column c's codes (this chunk's
   * and every earlier one's) are below `codeCounts[c]`.
   */
  append(chunkCodes: readonly Int32Array[], codeCounts: readonly number[], rows: number): void {
    let layout: CodeLayout | null = null;
    if (this.packing) {
      const last = this.layout;
      const next = codeLayout(codeCounts);
      layout = next !== null && last !== null && sameLayout(last, next) ? last : next;
      this.layout = layout;
      this.packing = layout !== null;
    }
    const hashes = new Int32Array(rows);
    let codes: Int32Array[];
    if (layout === null) {
      heldHashes(chunkCodes, rows, hashes);
      codes = chunkCodes.map((column) => column.slice(0, rows));
    } else {
      codes = Array.from({ length: layout.words }, () => new Int32Array(rows));
      heldHashes(chunkCodes, rows, hashes, { words: codes, layout });
    }
    this.chunks.push({ codes, layout, hashes, rows });
    this.rows += rows;
  }

  /** Groups the held rows part by part (`partTable`); the rows are no longer held afterwards. */
  group(): PartitionedGroups {
    const { rows, chunks } = this;
    const layout = this.commonLayout();
    const width = layout?.words ?? this.width;
    const table = (partTable ??= new CodeTupleTable(width, ROWS_PER_PART));
    this.chunks = [];
    this.rows = 0;
    this.layout = null;
    const bits = radixBitsFor(rows, ROWS_PER_PART);
    const { positions, starts } = radixParts(
      chunks.map((chunk) => chunk.hashes),
      bits,
    );
    // Column by column, each chunk's column let go once scattered.
    const scatter = (take: (chunk: HeldChunk) => Int32Array): Int32Array => {
      const scattered = new Int32Array(rows);
      let at = 0;
      for (const chunk of chunks) {
        const column = take(chunk);
        scatterInt32(column, positions.subarray(at, at + column.length), column.length, scattered);
        at += column.length;
      }
      return scattered;
    };
    const codes: Int32Array[] = [];
    for (let c = 0; c < width; c++) {
      codes.push(scatter((chunk) => chunk.codes[c]!));
      for (const chunk of chunks) chunk.codes[c] = EMPTY;
    }
    const hashes = scatter((chunk) => chunk.hashes);
    chunks.length = 0;
    const ids = new Int32Array(rows);
    // The parts' groups are written over the rows' codes and hashes, part after part: a part's groups are at most
    // its rows, so they land on rows of parts already grouped (or of this one, once grouped), never on rows still
    // to group, and no second set of row-sized arrays is taken (q10: 7 of 20 MB a reduce task of 5 M rows).
    const groupCodes = codes;
    const groupHashes = hashes;
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
      for (let c = 0; c < width; c++) copyColumn(table.codes, width, c, table.size, groupCodes[c]!, groups);
      groupHashes.set(table.hashes.subarray(0, table.size), groups);
      groups += table.size;
    }
    return {
      groups,
      ids,
      positions,
      groupCodes: Array.from({ length: this.width }, (_, c) => packedColumn(groupCodes, layout, c)),
      hashes: groupHashes.subarray(0, groups),
    };
  }

  /**
   * The layout every chunk is then packed under (the last chunk's: the widest, as code counts only grow; earlier
   * chunks repacked under it), or null with every chunk unpacked when some chunk's codes did not pack.
   */
  private commonLayout(): CodeLayout | null {
    const chunks = this.chunks;
    const layout = this.packing ? this.layout : null;
    for (const chunk of chunks) {
      const from = chunk.layout;
      if (from === null || from === layout) continue;
      chunk.codes =
        layout === null
          ? Array.from({ length: this.width }, (_, c) => unpackedCodes(packedColumn(chunk.codes, from, c), chunk.rows))
          : repackCodes(chunk.codes, from, layout, chunk.rows);
      chunk.layout = layout;
    }
    return layout;
  }
}

const EMPTY = new Int32Array(0);

/**
 * Writes the held hash of rows `0 … rows - 1`'s tuples to `out`: their codes folded as `tupleHashStep` folds value
 * hashes, then mixed. Held rows are a reduce task's final grouping (`HashAggregator.addAll`), whose groups never go
 * to another partition, so their hash need only agree within the task (where a code is one value) and not with the
 * map side's key hash: the codes spare a lookup of each column's value hash per row (q10: six per row, ~35 % of
 * this pass). The same for packed and unpacked tuples. With `packed`, each code is also packed into `packed.words`
 * (zeroed, `rows` long) under `packed.layout` (`packed-code-tuples.ts`) in the same pass, so held rows read their
 * codes once.
 */
export function heldHashes(
  columnCodes: readonly Int32Array[],
  rows: number,
  out: Int32Array,
  packed?: { readonly words: Int32Array[]; readonly layout: CodeLayout },
): void {
  out.fill(TUPLE_HASH_SEED, 0, rows);
  for (let c = 0; c < columnCodes.length; c++) {
    const codes = columnCodes[c]!;
    if (packed === undefined) {
      for (let i = 0; i < rows; i++) out[i] = tupleHashStep(out[i]!, codes[i]!);
      continue;
    }
    const words = packed.words[packed.layout.word[c]!]!;
    const shift = packed.layout.shift[c]!;
    for (let i = 0; i < rows; i++) {
      const code = codes[i]!;
      out[i] = tupleHashStep(out[i]!, code);
      words[i]! |= code << shift;
    }
  }
  for (let i = 0; i < rows; i++) out[i] = mix32(out[i]!);
}

/**
 * This thread's table for the parts, sized for a part (grown only by a bigger part). The thread's spare tuple table
 * is sized for whatever grew it last: a q10 map task's first 65,536 rows leave it 131,072 slots (1 MiB), which a
 * reduce task cleared for each of its 512 parts and probed sparsely, where a part's ~10,000 groups fill 32,768
 * (~10 % of the parts' grouping time, in a micro-benchmark of 5 M rows).
 */
let partTable: CodeTupleTable | null = null;

/** Writes column `c` of `groups` tuples of `width` codes (`tuples[g * width + c]`) to `out[at …]`. */
function copyColumn(tuples: Int32Array, width: number, c: number, groups: number, out: Int32Array, at: number): void {
  for (let g = 0; g < groups; g++) out[at + g] = tuples[g * width + c]!;
}
