/**
 * The map from a `HashAggregator`'s rows to its groups: it chooses how the keys are held at the first batch
 * (`group-key-mode.ts`), keeps the tables that hold them, and writes each row's group id. One string key by its
 * UTF-8 bytes (or a dictionary-read column by its codes, `dictionary-groups.ts`), one numeric key by value, several
 * string and number keys coded column by column (two int32 or dictionary-read keys of small ranges through a directory
 * of pairs first, `kernels/dense-pair-groups.ts`), any other keys by a byte encoding of the tuple.
 */
import type { Column } from '../batches/batch.js';
import { allNull } from '../batches/batch.js';
import { assert } from '../../../common/assert.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { dictionaryOf } from '../batches/dictionary-column.js';
import { DictionaryGroups } from './dictionary-groups.js';
import { hashBytes } from '../kernels/hash-bytes.js';
import { NumberKeyTable } from '../kernels/number-key-table.js';
import { codedKindOf, CodedTupleKeys } from '../kernels/coded-tuple-keys.js';
import { DensePairGroups, densePair } from '../kernels/dense-pair-groups.js';
import { encodeTupleKey, tupleKindOf, type TupleKeyKind } from '../kernels/tuple-key.js';
import { chooseKeyMode, keyTypeChange, type GroupKeyMode } from './group-key-mode.js';
import type { KeyDirectory } from '../aggregates/sums-by-key-directory.js';

/**
 * At most one byte-key table per thread kept between aggregations (see `release`): map tasks of one stage see
 * similar key counts, so the next task starts with a table already grown to size.
 */
const spareTables: ByteKeyTable[] = [];

/**
 * One aggregation's keys and the groups they name. `assign` a chunk of rows at a time; the tables stay readable for
 * the result.
 *
 * @example
 * const assigner = new GroupAssigner(['id3'], 1 << 16);
 * const groups = assigner.assign([id3Column], 0, rows, groupIds); // groupIds[i]: the group of row i
 */
export class GroupAssigner {
  private readonly keys: readonly string[];
  /** Rows per `assign` at most: the chunk size of the coded keys' scratch. */
  private readonly chunkRows: number;
  /** How keys are held (`group-key-mode.ts`), chosen at the first batch (or set by the aggregator). */
  keyMode: GroupKeyMode | null = null;
  /** Rows assigned in `identity` mode: its group count. */
  private identityRows = 0;
  private tupleKindsOf: TupleKeyKind[] = [];
  /** Several string and number keys (`coded` mode): coded column by column, taken at first use. */
  private codedKeys: CodedTupleKeys | null = null;
  /**
   * `coded` mode of two int32 or dictionary-read string keys: their pairs' groups while a directory spans them,
   * until the coded keys take over (see `codedFromPairs`).
   */
  private pairs: DensePairGroups | null = null;
  /** String and tuple keys: taken at first use (see `bytesTable`). */
  private byteKeys: ByteKeyTable | null = null;
  /** Code → group maps of a dictionary-read key column (`dictionary-groups.ts`). */
  private dictionary: DictionaryGroups | null = null;
  readonly numberTable = new NumberKeyTable();
  private tupleScratch = new Uint8Array(256);
  /** The group of null keys (single-key modes), or -1 before the first null key. */
  private nullGroupId = -1;

  constructor(keys: readonly string[], chunkRows: number) {
    this.keys = keys;
    this.chunkRows = chunkRows;
  }

  /**
   * `coded` mode: the keys' coded tuples (null before the first rows). Groups of pairs become coded tuples here, so
   * a result's keys and hashes are the coded keys' whichever way the rows were grouped.
   */
  get coded(): CodedTupleKeys | null {
    return this.codedKeys ?? (this.pairs === null ? null : this.codedFromPairs());
  }

  /** True while the groups are pairs in a directory (`kernels/dense-pair-groups.ts`), not coded tuples. */
  get groupsPairs(): boolean {
    return this.pairs !== null && this.codedKeys === null;
  }

  /** `tuple` mode: each key column's kind, from the first batch. */
  get tupleKinds(): readonly TupleKeyKind[] {
    return this.tupleKindsOf;
  }

  get dictionaryGroups(): DictionaryGroups | null {
    return this.dictionary;
  }

  /** The group of null keys (single-key modes), or -1 when no key was null. */
  get nullGroup(): number {
    return this.nullGroupId;
  }

  /** Distinct keys so far (not in `counted-utf8` mode, which keeps no groups here). */
  get size(): number {
    if (this.keyMode === 'identity') return this.identityRows;
    if (this.keyMode === 'coded') return this.codedKeys?.size ?? this.pairs?.size ?? 0;
    if (this.keyMode === 'number') return this.numberTable.size;
    return this.dictionary?.codeOrderSize ?? this.bytesTable.size;
  }

  /**
   * The table of string and tuple keys: one left by an earlier aggregation on this thread (see `release`), else
   * one sized for a few ten thousand keys up front (growing from tiny rehashes the hot early keys many times).
   */
  get bytesTable(): ByteKeyTable {
    return (this.byteKeys ??= spareTables.pop() ?? new ByteKeyTable(1 << 15));
  }

  /** Sets `coded` mode for key columns like `keyColumns` and returns its coded keys (the held-rows reduce side). */
  startCoded(keyColumns: readonly Column[]): CodedTupleKeys {
    this.keyMode = 'coded';
    return (this.codedKeys = new CodedTupleKeys(
      keyColumns.map((c) => codedKindOf(c)!),
      this.chunkRows,
    ));
  }

  /** Writes the group of rows `from … to - 1` to `ids[0 …]`, adding new keys; returns the group count. */
  assign(keyColumns: readonly Column[], from: number, to: number, ids: Int32Array): number {
    if (this.keyMode === null) this.keyMode = chooseKeyMode(keyColumns);
    if (this.keyMode === 'counted-utf8') throw keyTypeChange(this.keys[0]!, 'whitespace tokens', 'rows');
    const only = keyColumns[0]!;
    if (this.keyMode === 'identity') {
      for (let i = from; i < to; i++) ids[i - from] = i;
      return (this.identityRows = to);
    }
    if (this.keyMode === 'utf8') {
      if (only.type !== 'utf8') throw keyTypeChange(this.keys[0]!, 'utf8', only.type);
      const coded = dictionaryOf(only);
      if (coded !== undefined) {
        const table = this.bytesTable;
        // Groups may be the codes themselves while rows come in code order (a map task over a cached partition).
        const groups = (this.dictionary ??= new DictionaryGroups(true));
        return groups.assign(only, coded, from, to, ids, table, () => this.nullGroupOf(table));
      }
      // Rows of plain strings after dictionary-read ones: the table must hold every group from here on.
      this.dictionary?.fillTable(this.bytesTable);
      if (only.valid !== undefined) return this.assignNullable(only, from, to, ids);
      const { bytes, starts, ends } = only;
      const table = this.bytesTable;
      for (let i = from; i < to; i++) {
        const s = starts[i]!;
        const e = ends[i]!;
        ids[i - from] = table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
      }
      return table.size;
    }
    if (this.keyMode === 'number') {
      if (only.type !== 'f64' && only.type !== 'i32') throw keyTypeChange(this.keys[0]!, 'number', only.type);
      if (only.valid !== undefined) return this.assignNullable(only, from, to, ids);
      this.numberTable.assignNumbers(only.values, from, to, ids);
      return this.numberTable.size;
    }
    if (this.keyMode === 'coded') {
      let at = from;
      if (this.codedKeys === null && densePair(keyColumns)) {
        at = (this.pairs ??= new DensePairGroups()).assign(keyColumns[0], keyColumns[1], from, to, ids);
        if (at === to) return this.pairs.size;
      }
      const coded = this.codedKeys ?? (this.pairs !== null ? this.codedFromPairs() : this.startCoded(keyColumns));
      return coded.assign(keyColumns, at, to, at === from ? ids : ids.subarray(at - from), (c, found) =>
        keyTypeChange(this.keys[c]!, coded.kinds[c]!, found),
      );
    }
    return this.assignTuples(keyColumns, from, to, ids);
  }

  /**
   * The number table's directory and the keys of `keyColumns` when their rows may find their groups there without
   * `assign` (the fused sums by key, `aggregates/sums-by-key-directory.ts`): one int32 key column without nulls,
   * while a directory spans the keys so far (made over rows `from … to - 1` when no group exists yet, as `assign`
   * of those rows would make it); else null. Report the rows found there with `foundInDirectory`.
   */
  int32Directory(keyColumns: readonly Column[], from: number, to: number): KeyDirectory | null {
    // The mode `assign` would choose for these rows; the directory made over them when none exists yet.
    if (this.keyMode === null) this.keyMode = chooseKeyMode(keyColumns);
    const only = keyColumns[0];
    if (this.keyMode !== 'number' || only?.type !== 'i32' || only.valid !== undefined) return null;
    const direct = this.numberTable.directOver(only.values, from, to);
    return direct === null ? null : { keys: only.values, directory: direct.directory, base: direct.base };
  }

  /** Counts `rows` rows whose groups were found in `int32Directory`'s directory (its span grows with them). */
  foundInDirectory(rows: number): void {
    this.numberTable.countRows(rows);
  }

  /**
   * Hands the groups of pairs to coded keys, as the same ids (`DensePairGroups.keyColumns`), which group every later
   * row: when a pair falls outside what a directory may span, a later batch's keys are not of the first one's kinds,
   * or the result is taken.
   */
  private codedFromPairs(): CodedTupleKeys {
    const pairs = this.pairs!;
    const keys = pairs.keyColumns();
    const coded = this.startCoded(keys);
    const groups = pairs.size;
    const ids = new Int32Array(this.chunkRows);
    for (let from = 0; from < groups; from += this.chunkRows) {
      const to = Math.min(groups, from + this.chunkRows);
      coded.assign(keys, from, to, ids, (c, found) => keyTypeChange(this.keys[c]!, coded.kinds[c]!, found));
    }
    // Every pair was new to the coded keys, so each took the next id: group g is still group g.
    assert(coded.size === groups, `coded keys made ${coded.size} groups of ${groups} distinct pairs`);
    return coded;
  }

  /** `assign` in `tuple` mode: each row's keys encoded as bytes, looked up in the byte-key table. */
  private assignTuples(keyColumns: readonly Column[], from: number, to: number, ids: Int32Array): number {
    if (this.tupleKindsOf.length === 0) this.tupleKindsOf = keyColumns.map(tupleKindOf);
    keyColumns.forEach((column, c) => {
      // A column of only nulls (typed float64 when read) matches any key type: its rows encode as nulls.
      if (tupleKindOf(column) !== this.tupleKindsOf[c] && !allNull(column, to)) {
        throw keyTypeChange(this.keys[c]!, this.tupleKindsOf[c]!, column.type);
      }
    });
    this.assignTupleRows(keyColumns, from, to, ids);
    return this.bytesTable.size;
  }

  /**
   * `assignTuples`' loop, a function of its own so that nothing follows it: code after a loop that has not run when
   * the loop is optimized has no type feedback and deoptimized the function at the end of every later chunk.
   */
  private assignTupleRows(keyColumns: readonly Column[], from: number, to: number, ids: Int32Array): void {
    const table = this.bytesTable;
    for (let i = from; i < to; i++) {
      let length = encodeTupleKey(keyColumns, i, this.tupleScratch);
      while (length < 0) {
        this.tupleScratch = new Uint8Array(this.tupleScratch.length * 4);
        length = encodeTupleKey(keyColumns, i, this.tupleScratch);
      }
      ids[i - from] = table.findOrInsert(this.tupleScratch, 0, length, hashBytes(this.tupleScratch, 0, length));
    }
  }

  /**
   * `assign` for a single string or number key column holding nulls (kept apart so the loops without nulls stay as
   * small as they were): null rows go to the null group.
   */
  private assignNullable(only: Column, from: number, to: number, ids: Int32Array): number {
    const valid = only.valid!;
    if (only.type === 'utf8') {
      const { bytes, starts, ends } = only;
      const table = this.bytesTable;
      for (let i = from; i < to; i++) {
        const s = starts[i]!;
        const e = ends[i]!;
        ids[i - from] =
          valid[i] === 0 ? this.nullGroupOf(table) : table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e));
      }
      return table.size;
    }
    const table = this.numberTable;
    const values = (only as { values: ArrayLike<number> }).values;
    for (let i = from; i < to; i++) {
      ids[i - from] = valid[i] === 0 ? this.nullGroupOf(table) : table.findOrInsert(values[i]!);
    }
    return table.size;
  }

  /** The group of null keys, reserved in `table` at the first one. */
  private nullGroupOf(table: ByteKeyTable | NumberKeyTable): number {
    if (this.nullGroupId < 0) this.nullGroupId = table.reserveGroup();
    return this.nullGroupId;
  }

  /**
   * Hands the tables to the next aggregation on this thread. Call it once the result's columns are no longer
   * needed (they are views of the tables); the assigner is unusable afterwards.
   */
  release(): void {
    this.codedKeys?.release();
    if (this.byteKeys !== null && spareTables.length === 0) {
      this.byteKeys.clear();
      spareTables.push(this.byteKeys);
    }
  }
}
