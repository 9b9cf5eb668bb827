/**
 * Several grouping keys of strings and numbers, grouped column by column: each key column's values are first coded
 * as small dense ids by a dictionary of their own (a byte-key table of the column's strings, a number-key table of
 * its numbers: for low-cardinality ids such as db-benchmark's id1 or id4 these stay in a core's cache), then the
 * tuple of codes is grouped by a table of code tuples (`code-tuple-table.ts`). Compared with encoding every row's
 * whole tuple as bytes (`tuple-key.ts`: a length and the bytes of each string, 8 bytes per number, all hashed byte
 * by byte), a row costs one short hash per column and a probe of one code per column, and decoding a group's keys
 * is a lookup of its codes.
 *
 * The tuple's hash combines the columns' value hashes (never the codes, which differ between map tasks), so every
 * task sends a key tuple to the same reduce partition, and the reduce side, coding the same values, agrees.
 */
import type { Column, Utf8Column } from '../batches/batch.js';
import { allNull, gatherColumn } from '../batches/batch.js';
import { dictionaryColumn, dictionaryOf } from '../batches/dictionary-column.js';
import { DictionaryGroups } from '../grouping/dictionary-groups.js';
import { ByteKeyTable } from './byte-key-table.js';
import { CodeTupleTable } from './code-tuple-table.js';
import { hashBytes } from './hash-bytes.js';
import { NumberKeyTable } from './number-key-table.js';
import { packedTupleHashes, unpackedCodes, type PackedColumn } from './packed-code-tuples.js';
import { HeldTupleRows, type PartitionedGroups } from './radix-tuple-groups.js';

export { TUPLE_HASH_SEED, tupleHashStep } from './code-tuple-table.js';

/** The kinds of key column this grouping codes; any other (bool, int64) goes to `tuple-key.ts`. */
export type CodedKind = 'utf8' | 'number';

/**
 * At most one tuple table per thread kept between aggregations (see `release`): the next aggregation of a similar
 * partition starts with a table already grown to size.
 */
const spareTables: CodeTupleTable[] = [];

/** The coded kind of a column, or null when it is not one. */
export function codedKindOf(column: Column): CodedKind | null {
  if (column.type === 'utf8') return 'utf8';
  return column.type === 'i32' || column.type === 'f64' || column.type === 'date' || column.type === 'timestamp'
    ? 'number'
    : null;
}

/** One key column of held rows' groups (`heldKeyCodes`): each group's code, and what the codes name. */
export interface HeldKeyCodes {
  /** Per group, its code (`nullCode` for the null key), among the groups' packed codes. */
  readonly codes: PackedColumn;
  /** The code of null, or -1 when no group's key is null. */
  readonly nullCode: number;
  /** A string column's dictionary: code c is `arena[keyStarts[c], keyEnds[c])`, the strings one after the other. */
  readonly strings: ByteKeyTable | null;
  /** A number column's dictionary: code c is `numbers[c]`. */
  readonly numbers: Float64Array | null;
}

/**
 * One key column's dictionary: value → code, and the code of null (-1 until a null is seen). For a column read from
 * a dictionary-coded block (`batches/dictionary-column.ts`), `blockCodes` maps the block's codes to ours, each looked
 * up once (`grouping/dictionary-groups.ts`, as the one-key group-by does).
 */
interface Dictionary {
  readonly kind: CodedKind;
  readonly strings: ByteKeyTable | null;
  readonly numbers: NumberKeyTable | null;
  nullCode: number;
  blockCodes: DictionaryGroups | null;
}

/**
 * Key tuples of strings and numbers → dense group ids, coded column by column.
 *
 * @example
 * const coded = new CodedTupleKeys(['utf8', 'number'], chunkRows);
 * const groups = coded.assign([id1, id4], from, to, groupIds, (c, found) => typeError(c, found));
 * const [id1Keys, id4Keys] = coded.decode(groups);
 * const hashes = coded.hashes.subarray(0, groups);
 */
export class CodedTupleKeys {
  /** Each key column's kind, as the first batch had it. */
  readonly kinds: readonly CodedKind[];
  private readonly dictionaries: Dictionary[];
  /** Per key column, the codes of the chunk's rows. */
  private readonly codes: Int32Array[];
  /** The groups: tuples of codes. */
  private readonly table: CodeTupleTable;
  /** Rows held for `groupHeld`, and the groups it made of them. */
  private held: HeldTupleRows | null = null;
  private grouped: PartitionedGroups | null = null;
  /** The key hashes of the held rows' groups, once asked for (`hashes`). */
  private heldGroupHashes: Int32Array | null = null;

  constructor(kinds: readonly CodedKind[], chunkRows: number) {
    this.kinds = kinds;
    this.dictionaries = kinds.map((kind) => ({
      kind,
      strings: kind === 'utf8' ? new ByteKeyTable(1024) : null,
      numbers: kind === 'number' ? new NumberKeyTable(1024) : null,
      nullCode: -1,
      blockCodes: null,
    }));
    this.codes = kinds.map(() => new Int32Array(chunkRows));
    const spare = spareTables.pop();
    spare?.reset(kinds.length);
    this.table = spare ?? new CodeTupleTable(kinds.length, 1 << 12);
  }

  /** Distinct tuples so far. */
  get size(): number {
    return this.grouped?.groups ?? this.table.size;
  }

  /**
   * Per group, the hash of its tuple (see the file comment). Held rows' groups get theirs here, from their codes, on
   * the first call: the held rows were grouped by hashes of their codes (`heldHashes`), which only that task knows.
   */
  get hashes(): Int32Array {
    const grouped = this.grouped;
    if (grouped === null) return this.table.hashes;
    return (this.heldGroupHashes ??= packedTupleHashes(
      grouped.groupCodes,
      this.dictionaries.map((dictionary) => (dictionary.strings ?? dictionary.numbers!).hashes),
      grouped.groups,
    ));
  }

  /** Hands the tuple table to the next aggregation on this thread; this coder is unusable afterwards. */
  release(): void {
    if (spareTables.length === 0) spareTables.push(this.table);
  }

  /**
   * Writes the group of rows `from … to - 1` to `ids[0 …]`, adding new tuples; returns the group count.
   * A column whose kind differs from the first batch's is refused through `typeChange` unless it is all null.
   */
  assign(
    columns: readonly Column[],
    from: number,
    to: number,
    ids: Int32Array,
    typeChange: (column: number, found: string) => Error,
  ): number {
    const { hashes, counts } = this.code(columns, from, to, typeChange);
    this.table.assign(this.codes, hashes, counts, to - from, ids);
    return this.table.size;
  }

  /**
   * Holds rows `from … to - 1` (coded as `assign` codes them) to be grouped all at once by `groupHeld`, part by part
   * (`radix-tuple-groups.ts`). A coder either holds or assigns, never both.
   */
  hold(
    columns: readonly Column[],
    from: number,
    to: number,
    typeChange: (column: number, found: string) => Error,
  ): void {
    const { counts } = this.code(columns, from, to, typeChange);
    (this.held ??= new HeldTupleRows(this.kinds.length)).append(this.codes, counts, to - from);
  }

  /** Groups the rows `hold` held; `size`, `hashes` and `decode` then describe these groups. */
  groupHeld(): PartitionedGroups {
    this.grouped = (this.held ?? new HeldTupleRows(this.kinds.length)).group();
    this.heldGroupHashes = null;
    this.held = null;
    return this.grouped;
  }

  /** Codes rows `from … to - 1` into `codes`; per column, its values' hashes and its code count. */
  private code(
    columns: readonly Column[],
    from: number,
    to: number,
    typeChange: (column: number, found: string) => Error,
  ): { hashes: Int32Array[]; counts: number[] } {
    const k = columns.length;
    const hashes: Int32Array[] = [];
    const counts: number[] = [];
    for (let c = 0; c < k; c++) {
      const column = columns[c]!;
      const dictionary = this.dictionaries[c]!;
      const codes = this.codes[c]!;
      if (codedKindOf(column) !== dictionary.kind) {
        if (!allNull(column, to, from)) throw typeChange(c, column.type);
        codes.fill(this.nullCode(dictionary), 0, to - from);
      } else if (dictionary.kind === 'utf8') {
        this.codeStrings(column as Utf8Column, dictionary, from, to, codes);
      } else {
        this.codeNumbers(column, dictionary, from, to, codes);
      }
      const values = dictionary.strings ?? dictionary.numbers!;
      hashes.push(values.hashes);
      counts.push(values.size);
    }
    return { hashes, counts };
  }

  /**
   * Per key column, the held rows' groups as codes into the column's dictionary (`groupHeld` first), or null when
   * this coder did not hold its rows: what writes the keys of many groups straight into a result block
   * (`grouping/held-result-block.ts`), with no decoded column first.
   */
  heldKeyCodes(): HeldKeyCodes[] | null {
    const grouped = this.grouped;
    if (grouped === null) return null;
    return this.dictionaries.map((dictionary, c) => ({
      codes: grouped.groupCodes[c]!,
      nullCode: dictionary.nullCode,
      strings: dictionary.strings,
      numbers: dictionary.numbers?.keys ?? null,
    }));
  }

  /**
   * The key columns of the first `groups` groups: numbers as float64, or as int32 where `int32Keys[c]` (the answer's
   * key type, `KeyTypes`: then every number coded into column c came from an int32 column). Strings are
   * dictionary-read columns over the column's dictionary when `codedStrings` (each string once and a code per group;
   * held rows always, see below), else plain columns gathered from it. With `blockCoded` too, over the block
   * dictionary its strings all came from, where they did (a map task's groups then share its passed rows'
   * dictionary: `DictionaryGroups.blockCodedColumn`).
   */
  decode(groups: number, codedStrings = false, int32Keys: readonly boolean[] = [], blockCoded = false): Column[] {
    const codes =
      this.grouped?.groupCodes.map((column) => unpackedCodes(column, groups)) ??
      this.dictionaries.map(() => new Int32Array(groups));
    if (this.grouped === null) {
      const tuples = this.table.codes;
      const k = this.dictionaries.length;
      for (let c = 0; c < k; c++) {
        const column = codes[c]!;
        for (let g = 0; g < groups; g++) column[g] = tuples[g * k + c]!;
      }
    }
    // Held rows are many groups (`hold`): their strings stay codes into the column's dictionary, so a collected
    // answer writes each string once and a code per group (`codesPassedOn`), not every group's bytes.
    const coded = codedStrings || this.grouped !== null;
    return this.dictionaries.map((dictionary, c) =>
      dictionary.numbers !== null && int32Keys[c] === true
        ? int32Column(dictionary, codes[c]!, groups)
        : decodeColumn(dictionary, codes[c]!, groups, coded, blockCoded),
    );
  }

  private nullCode(dictionary: Dictionary): number {
    if (dictionary.nullCode < 0) {
      dictionary.nullCode = (dictionary.strings ?? dictionary.numbers!).reserveGroup();
    }
    return dictionary.nullCode;
  }

  private codeStrings(column: Utf8Column, dictionary: Dictionary, from: number, to: number, codes: Int32Array): void {
    const view = dictionaryOf(column);
    if (view !== undefined) {
      const blockCodes = (dictionary.blockCodes ??= new DictionaryGroups());
      blockCodes.assign(column, view, from, to, codes, dictionary.strings!, () => this.nullCode(dictionary));
      return;
    }
    const { bytes, starts, ends, valid } = column;
    const strings = dictionary.strings!;
    for (let i = from; i < to; i++) {
      if (valid !== undefined && valid[i] === 0) {
        codes[i - from] = this.nullCode(dictionary);
        continue;
      }
      const s = starts[i]!;
      const e = ends[i]!;
      codes[i - from] = strings.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
    }
  }

  private codeNumbers(column: Column, dictionary: Dictionary, from: number, to: number, codes: Int32Array): void {
    const numbers = dictionary.numbers!;
    const valid = column.valid;
    const all = (column as { values: ArrayLike<number> }).values;
    if (valid === undefined && (all instanceof Int32Array || all instanceof Float64Array)) {
      numbers.assignNumbers(all, from, to, codes);
      return;
    }
    const values = (column as { values: ArrayLike<number> }).values;
    for (let i = from; i < to; i++) {
      codes[i - from] =
        valid !== undefined && valid[i] === 0 ? this.nullCode(dictionary) : numbers.findOrInsert(values[i]!);
    }
  }
}

/**
 * An int32 key column from its groups' codes, of a number dictionary whose every key came from an int32 column:
 * half the bytes of float64 keys through the shuffle and in the answer.
 */
function int32Column(dictionary: Dictionary, codes: Int32Array, groups: number): Column {
  const keys = dictionary.numbers!.keys;
  const nullCode = dictionary.nullCode;
  const values = new Int32Array(groups);
  let valid: Uint8Array | undefined;
  for (let g = 0; g < groups; g++) {
    const code = codes[g]!;
    if (code === nullCode) (valid ??= new Uint8Array(groups).fill(1))[g] = 0;
    else values[g] = keys[code]!;
  }
  return { type: 'i32', values, valid };
}

/**
 * A key column from its groups' codes; with `coded`, a string column is a dictionary-read one, and with `blockCoded`
 * one over the block dictionary its strings came from, when they all did (`DictionaryGroups.blockCodedColumn`).
 */
function decodeColumn(
  dictionary: Dictionary,
  codes: Int32Array,
  groups: number,
  coded: boolean,
  blockCoded: boolean,
): Column {
  const nullCode = dictionary.nullCode;
  let valid: Uint8Array | undefined;
  if (nullCode >= 0) {
    for (let g = 0; g < groups; g++) if (codes[g] === nullCode) (valid ??= new Uint8Array(groups).fill(1))[g] = 0;
  }
  // The dictionary as a column, its rows picked by the groups' codes.
  const strings = dictionary.strings;
  const inBlock = blockCoded ? dictionary.blockCodes?.blockCodedColumn(strings!, codes, groups, nullCode, valid) : null;
  if (inBlock) return inBlock;
  if (strings !== null && coded) {
    // The table's strings sit one after the other in its arena (a reserved null code as an empty one).
    const size = strings.size;
    const offsets = new Int32Array(size + 1);
    offsets.set(strings.keyStarts.subarray(0, size));
    offsets[size] = size === 0 ? 0 : strings.keyEnds[size - 1]!;
    return dictionaryColumn(strings.arena, offsets, size, codes.subarray(0, groups), valid);
  }
  const entries: Column =
    strings !== null
      ? { type: 'utf8', bytes: strings.arena, starts: strings.keyStarts, ends: strings.keyEnds }
      : { type: 'f64', values: dictionary.numbers!.keys };
  return { ...gatherColumn(entries, codes, groups), valid };
}
