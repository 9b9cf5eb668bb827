/**
 * Group ids of a dictionary-read string key column (`batches/dictionary-column.ts`): each dictionary string is looked
 * up in a byte-key table (the one-key group-by's groups, or a key column's codes in `kernels/coded-tuple-keys.ts`) the
 * first time a row names it, and every row after that costs one array lookup of its code. Groups are created in the
 * order their first rows come, as the row-by-row lookup creates them, so the result is the same table either way.
 *
 * Asked to (`inCodeOrder`), a fresh aggregation skips even that while its rows name codes in code order (each new
 * code the next one: a map task reading a cached partition from its first row, whose dictionary is in first-seen
 * order): group g is then code g, the table stays empty and the groups' keys are the dictionary's own strings
 * (`codeOrderKeys`). A map task of db-benchmark's q3 (625 k rows, 100 k distinct ids) spent more time putting its
 * 100 k dictionary strings into the table than updating the states of all its rows. The first row out of that
 * order (a null, another dictionary, an earlier code skipped) puts the groups so far into the table (`fillTable`),
 * as the same ids, and the rows go on as above.
 *
 * The cached partitions of a dataset share their string columns' dictionaries (`caching/shared-dictionary-codes.ts`):
 * each partition's dictionary is a prefix of the dataset's, so equal codes are equal strings in every partition, and
 * a shuffle chunk that carries a partition's whole dictionary carries that prefix too. A block whose dictionary
 * begins with the strings already mapped (offsets and bytes equal: one memcmp, ~1.6 MB for 1e5 ids, far cheaper
 * than 1e5 probes) keeps their groups and looks up only the strings past them: a map task over several cached
 * partitions, or a reduce task over many chunks, looks each string up once, not once per partition or chunk.
 */
import type { Utf8Column } from '../batches/batch.js';
import { dictionaryColumn, sharedPrefixSize, type DictionaryView } from '../batches/dictionary-column.js';
import type { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';

/** The dictionary whose codes are the groups so far (see the file's comment). */
interface CodeOrder {
  /** The dictionary of the rows last seen (a later one that begins with the same strings takes its place). */
  view: DictionaryView;
  bytes: Uint8Array;
  /** Groups so far: codes `0 … size - 1`. */
  size: number;
}

/**
 * One aggregation's code → group maps, kept for the column last seen (a cached partition's key column is met again
 * for each of its slices).
 *
 * @example
 * const groups = new DictionaryGroups();
 * const size = groups.assign(column, dictionaryOf(column)!, from, to, groupIds, table, () => nullGroup());
 */
export class DictionaryGroups {
  /** The offsets of the dictionary last seen (its slices share them, and so its map). */
  private offsets: Int32Array | null = null;
  /** The dictionary `groupOfCode` maps (the last seen, or one it is a prefix of). */
  private mapped: { bytes: Uint8Array; offsets: Int32Array; size: number } | null = null;
  private table: ByteKeyTable | null = null;
  /** Per dictionary string, its group, or -1 until a row names it. */
  private groupOfCode = new Int32Array(0);
  /** True until the first `assign`, when asked for code order; then `codeOrder` is set if the table was empty. */
  private mayOrder: boolean;
  /** While the groups are codes in code order: the dictionary, and the table stays empty. */
  private codeOrder: CodeOrder | null = null;

  /** With `inCodeOrder`, groups are codes while the rows allow it (the table given to `assign` must be empty). */
  constructor(inCodeOrder = false) {
    this.mayOrder = inCodeOrder;
  }

  /** The group count while the groups are codes in code order (the table holds none of them), else null. */
  get codeOrderSize(): number | null {
    return this.codeOrder?.size ?? null;
  }

  /**
   * Writes the group of rows `from … to - 1` of `column` to `ids[0 …]` (a null row: `nullGroup()`), adding new keys
   * to `table`; returns the group count.
   */
  assign(
    column: Utf8Column,
    view: DictionaryView,
    from: number,
    to: number,
    ids: Int32Array,
    table: ByteKeyTable,
    nullGroup: () => number,
  ): number {
    if (this.mayOrder) {
      this.mayOrder = false;
      if (table.size === 0) this.codeOrder = { view, bytes: column.bytes, size: 0 };
    }
    const order = this.codeOrder;
    if (order !== null) {
      if (column.valid === undefined && continuesOrder(order, column.bytes, view)) {
        const size = codesInOrder(view.codes, from, to, ids, order.size);
        if (size >= 0) return (order.size = size);
      }
      this.fillTable(table);
    }
    // A slice of a column shares its dictionary (the same offsets array), and so its map.
    if (view.offsets !== this.offsets || table !== this.table) this.mapDictionary(column.bytes, view, table);
    groupRows(column, view, this.groupOfCode, from, to, ids, table, nullGroup);
    return table.size;
  }

  /**
   * Makes `groupOfCode` map `view`'s dictionary into `table`: the groups of the strings it shares, code for code,
   * with the dictionary mapped so far (a prefix of one or the other) are kept, the rest looked up as rows name them.
   */
  private mapDictionary(bytes: Uint8Array, view: DictionaryView, table: ByteKeyTable): void {
    const mapped = this.mapped;
    const same =
      table === this.table && mapped !== null
        ? sharedPrefixSize(mapped.bytes, mapped.offsets, mapped.size, bytes, view.offsets, view.size)
        : 0;
    this.offsets = view.offsets;
    // A prefix of the dictionary mapped (a partition coded before the last strings were added): all its groups kept.
    if (same === view.size && mapped !== null && mapped.size >= view.size) return;
    if (this.groupOfCode.length < view.size) {
      const grown = new Int32Array(Math.max(view.size, this.groupOfCode.length * 2));
      grown.set(this.groupOfCode.subarray(0, same));
      this.groupOfCode = grown;
    }
    this.groupOfCode.fill(-1, same, view.size);
    this.mapped = { bytes, offsets: view.offsets, size: view.size };
    this.table = table;
  }

  /**
   * Ends code order: puts its groups into `table` (empty until now, so each gets its code as its id) and maps their
   * codes to them. Nothing to do once the table holds the groups; call it before anything else adds to the table.
   */
  fillTable(table: ByteKeyTable): void {
    const order = this.codeOrder;
    if (order === null) return;
    this.codeOrder = null;
    const { view, bytes, size } = order;
    const offsets = view.offsets;
    if (this.groupOfCode.length < view.size) this.groupOfCode = new Int32Array(view.size);
    this.groupOfCode.fill(-1, 0, view.size);
    for (let code = 0; code < size; code++) {
      const s = offsets[code]!;
      const e = offsets[code + 1]!;
      this.groupOfCode[code] = table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
    }
    this.offsets = offsets;
    this.mapped = { bytes, offsets, size: view.size };
    this.table = table;
  }

  /**
   * The strings of `table` codes `codes[0 … groups - 1]` as a dictionary-read column over the block dictionary this
   * maps, when every string in `table` came from it through this map (the reserved `nullCode` aside; rows whose code
   * it is are null in `valid`); else null. A map task's groups then leave with their cached partition's shared codes,
   * as its passed rows do, and a shuffle chunk carrying both carries the dataset's dictionary once, which the reduce
   * side maps once for every chunk (`shuffle/shuffle-dictionary-chunk.ts`), instead of also carrying the groups'
   * strings in the order the table met them. Refused for a dictionary far larger than the groups (a pass over it per
   * call).
   */
  blockCodedColumn(
    table: ByteKeyTable,
    codes: Int32Array,
    groups: number,
    nullCode: number,
    valid: Uint8Array | undefined,
  ): Utf8Column | null {
    const mapped = this.mapped;
    if (mapped === null || table !== this.table || this.codeOrder !== null) return null;
    if (mapped.size === 0 || mapped.size > 4 * groups + 1024) return null;
    const groupOfCode = this.groupOfCode;
    const blockCodeOf = new Int32Array(table.size).fill(-1);
    let found = nullCode >= 0 ? 1 : 0;
    for (let code = 0; code < mapped.size; code++) {
      const g = groupOfCode[code]!;
      if (g >= 0 && blockCodeOf[g]! < 0) {
        blockCodeOf[g] = code;
        found++;
      }
    }
    if (found !== table.size) return null;
    const blockCodes = new Int32Array(groups);
    for (let g = 0; g < groups; g++) {
      const code = codes[g]!;
      blockCodes[g] = code === nullCode ? 0 : blockCodeOf[code]!;
    }
    return dictionaryColumn(mapped.bytes, mapped.offsets, mapped.size, blockCodes, valid);
  }

  /**
   * While the groups are codes in code order: their key column (views of the dictionary's strings, group g is
   * dictionary string g) and each key's hash, as a table would hold them; else null.
   */
  codeOrderKeys(): { column: Utf8Column; hashes: Int32Array } | null {
    const order = this.codeOrder;
    if (order === null) return null;
    const { bytes, size } = order;
    const offsets = order.view.offsets;
    const hashes = new Int32Array(size);
    for (let g = 0; g < size; g++) hashes[g] = hashBytes(bytes, offsets[g]!, offsets[g + 1]!);
    const column: Utf8Column = {
      type: 'utf8',
      bytes,
      starts: offsets.subarray(0, size),
      ends: offsets.subarray(1, size + 1),
    };
    return { column, hashes };
  }
}

/**
 * Whether rows of `view` may go on in code order: it is the order's dictionary, or one that begins with the strings
 * the groups so far are (then it becomes the order's dictionary: its later strings are the next groups).
 */
function continuesOrder(order: CodeOrder, bytes: Uint8Array, view: DictionaryView): boolean {
  if (view.offsets === order.view.offsets) return true;
  const { view: was, bytes: wasBytes, size } = order;
  if (view.size < size || sharedPrefixSize(wasBytes, was.offsets, size, bytes, view.offsets, view.size) < size) {
    return false;
  }
  order.view = view;
  order.bytes = bytes;
  return true;
}

/**
 * Copies codes `from … to - 1` to `ids[0 …]` while each code is below `size` or equal to it (a new group, the next
 * code); returns the new group count, or -1 at the first code past that (`ids` then partly written).
 */
function codesInOrder(codes: DictionaryView['codes'], from: number, to: number, ids: Int32Array, size: number): number {
  let next = size;
  for (let i = from; i < to; i++) {
    const code = codes[i]!;
    if (code >= next) {
      if (code !== next) return -1;
      next++;
    }
    ids[i - from] = code;
  }
  return next;
}

/**
 * `DictionaryGroups.assign`'s loop over rows, a function of its own: optimized while its first chunk ran, a loop
 * with code after it (the group count read from the table) met that code with no type feedback at the end of every
 * later chunk and deoptimized there, chunk after chunk (`--trace-deopt`: 77 a map task of q3's 5 M rows, every run).
 */
function groupRows(
  column: Utf8Column,
  view: DictionaryView,
  groupOfCode: Int32Array,
  from: number,
  to: number,
  ids: Int32Array,
  table: ByteKeyTable,
  nullGroup: () => number,
): void {
  const { codes, offsets } = view;
  const { bytes, valid } = column;
  if (valid === undefined) {
    // Without nulls, rows whose codes have groups go through a loop of their own; it stops at a code without one.
    for (let i = knownCodes(codes, groupOfCode, from, from, to, ids); i < to;) {
      const code = codes[i]!;
      const s = offsets[code]!;
      const e = offsets[code + 1]!;
      ids[i - from] = groupOfCode[code] = table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
      i = knownCodes(codes, groupOfCode, i + 1, from, to, ids);
    }
    return;
  }
  for (let i = from; i < to; i++) {
    if (valid[i] === 0) {
      ids[i - from] = nullGroup();
      continue;
    }
    const code = codes[i]!;
    let g = groupOfCode[code]!;
    if (g < 0) {
      const s = offsets[code]!;
      const e = offsets[code + 1]!;
      g = groupOfCode[code] = table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
    }
    ids[i - from] = g;
  }
}

/**
 * Writes `groupOfCode[codes[i]]` to `ids[i - from]` for rows `at … to - 1` (of a chunk from `from`) while it is a group;
 * returns the first row whose code has none yet (`to` when every row had one). A row of a chunk of q10's reduce side
 * (three string keys, ten million rows) cost one lookup here where `groupRows`'s loop also tested its validity.
 */
function knownCodes(
  codes: DictionaryView['codes'],
  groupOfCode: Int32Array,
  at: number,
  from: number,
  to: number,
  ids: Int32Array,
): number {
  for (let i = at; i < to; i++) {
    const g = groupOfCode[codes[i]!]!;
    if (g < 0) return i;
    ids[i - from] = g;
  }
  return to;
}
