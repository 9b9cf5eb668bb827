/**
 * Hash aggregation over column batches, both halves of a `groupBy().agg()`: `partial` (map side) turns rows into
 * one row per distinct key with partial states; `final` (reduce side) merges partial rows and finalizes
 * (count, sum, mean = sum / count, min, max). Keys live in typed-array hash tables: one string key by its UTF-8
 * bytes, one numeric key by value, several keys by a byte encoding of the tuple. The reduce side of many rows of
 * several keys groups them part by part (`held-rows-reduce.ts`); the result is assembled in `aggregate-result.ts`.
 */
import type { AggregateSpec } from '../../protocol/columnar.js';
import type { Batch, Column, Utf8Column } from './batch.js';
import { allNull, columnOf } from './batch.js';
import {
  emptyPartialRow,
  isGroupAggregate,
  makeGroupAggregate,
  type GroupAggregate,
} from './aggregates/group-aggregate.js';
import { accumulate, inputOf, type GroupStates, type StateSlot } from './group-states.js';
import { stateSlotsOf } from './state-slots.js';
import { addChunk } from './aggregates/fused-sums.js';
import { updateTwoExtremes } from './aggregates/fused-extremes.js';
import { aggregateResult, type AggregateResult } from './aggregate-result.js';
import { addHeldOrEach, HeldRows, type PresetGroups } from './held-rows-reduce.js';
import { passedPartialRows } from './passed-partial-rows.js';
import { ByteKeyCounter } from './kernels/byte-key-counter.js';
import { ByteKeyTable } from './kernels/byte-key-table.js';
import { dictionaryOf } from './dictionary-column.js';
import { DictionaryGroups } from './dictionary-groups.js';
import { countWhitespaceTokens } from './kernels/count-tokens.js';
import { hashBytes } from './kernels/hash-bytes.js';
import { NumberKeyTable } from './kernels/number-key-table.js';
import { codedKindOf, CodedTupleKeys } from './kernels/coded-tuple-keys.js';
import { encodeTupleKey, tupleKindOf, type TupleKeyKind } from './kernels/tuple-key.js';
import { groupKeyHashes } from './kernels/group-key-hashes.js';
import { chooseKeyMode, countedResult, keyTypeChange, type GroupKeyMode } from './group-key-mode.js';
import { isHashedKeyMode, passesThrough, PASS_THROUGH_AFTER, type PassThroughRule } from './pass-through-rule.js';

export type { AggregateResult } from './aggregate-result.js';
export { PARTITIONED_ROWS_MIN } from './held-rows-reduce.js';

/**
 * At most one byte-key table and one word counter per thread kept between aggregations (see `release`): map tasks
 * of one stage see similar key counts, so the next task starts with a table already grown to size.
 */
const spareTables: ByteKeyTable[] = [];
const spareCounters: ByteKeyCounter[] = [];

/** Rows per chunk of `add`: 64K group ids are 256 KiB, well inside a core's L2 cache. */
const CHUNK_ROWS = 1 << 16;

/**
 * The group ids of the chunk `add` is working on, one array per thread shared by every aggregator on it: ids live
 * only within one `add` call (which never calls another aggregator's), and a map task no longer allocates (and
 * zeroes) 256 KiB of its own for them.
 */
const chunkGroupIds = new Int32Array(CHUNK_ROWS);

/**
 * Aggregates batches by `keys`. Feed every batch with `add`, then take `result()` once.
 *
 * @example
 * const agg = new HashAggregator(['word'], [{ fn: 'count', column: null, name: 'count' }], 'partial');
 * for (const batch of batches) agg.add(batch);
 * const { batch, hashes } = agg.result();
 */
export class HashAggregator {
  private readonly keys: readonly string[];
  private readonly aggregates: readonly AggregateSpec[];
  private readonly mode: 'partial' | 'final';
  private readonly slots: StateSlot[];
  /** Aggregates with richer states than one float64 per group (`aggregates/`), by aggregate index. */
  private readonly extras = new Map<number, GroupAggregate>();
  /** Map side, when any aggregate counts: the rows of each group (see `StateSlots`). */
  private readonly rowCounts: GroupStates | null;
  /** The group of each row of the chunk being added (this thread's, see `chunkGroupIds`). */
  private readonly groupIds = chunkGroupIds;
  /** How keys are held (`group-key-mode.ts`), chosen at the first batch. */
  private keyMode: GroupKeyMode | null = null;
  /** Rows added in `identity` mode: its group count. */
  private identityRows = 0;
  /** `identity` mode: int32 keys leave as int32, as the `coded` aggregation that passes these rows leaves its. */
  private int32KeysKept = false;
  /** Rows added so far (the adaptive partial aggregation's denominator). */
  private rowsAdded = 0;
  /** Fused lanes that have summed float64 values: their states need not be integers. */
  private readonly floatLanes = new Set<number>();
  /**
   * True once a lane in `floatLanes` sums int32 values: the few-groups pass (which reorders int32 additions,
   * exact only onto an integer state) is off for this aggregation from then on.
   */
  private mixedSums = false;
  private readonly passThroughAfter: PassThroughRule;
  private tupleKinds: TupleKeyKind[] = [];
  /** Several string and number keys (`coded` mode): coded column by column, taken at first use. */
  private coded: CodedTupleKeys | null = null;
  /** String and tuple keys: taken at first use (see `bytesTable`). */
  private byteKeys: ByteKeyTable | null = null;
  /** Code → group maps of a dictionary-read key column (`dictionary-groups.ts`). */
  private dictionaryGroups: DictionaryGroups | null = null;
  /** Whitespace tokens of the fused word count (`addWhitespaceTokens`), taken at first use. */
  private counter: ByteKeyCounter | null = null;
  private readonly numberTable = new NumberKeyTable();
  private tupleScratch = new Uint8Array(256);
  /** The group of null keys (single-key modes), or -1 before the first null key. */
  private nullGroup = -1;
  /** The key columns of the first batch: their types type the result's key columns. */
  private keyTemplates: Column[] | null = null;
  /** Per slot, the input column of the first batch: min / max of dates stay dates. */
  private inputTemplates: (Column | null)[] | null = null;
  /** The key columns of a batch of no rows met before any row: the key types of a result of no groups. */
  private emptyKeyTemplates: Column[] | null = null;
  /** While `add` replays held rows in part order: their groups, found already (`addHeld`). */
  private presets: PresetGroups | null = null;

  constructor(
    keys: readonly string[],
    aggregates: readonly AggregateSpec[],
    mode: 'partial' | 'final',
    passThroughAfter: PassThroughRule = PASS_THROUGH_AFTER,
  ) {
    this.keys = keys;
    this.aggregates = aggregates;
    this.mode = mode;
    this.passThroughAfter = passThroughAfter;
    aggregates.forEach((spec, i) => {
      if (isGroupAggregate(spec)) this.extras.set(i, makeGroupAggregate(spec, i, mode));
    });
    ({ slots: this.slots, rowCounts: this.rowCounts } = stateSlotsOf(aggregates, mode));
  }

  /**
   * Adds rows `start … end - 1` of `batch` (all of them by default), a chunk of rows at a time: the chunk's group
   * ids stay in the core's cache between the pass that finds them and the passes that update the states. A range
   * reads the batch's own columns where a `sliceBatch` would make views of every column first (a dictionary-read
   * one is a new column object each time).
   */
  add(batch: Batch, start = 0, end = batch.rows): void {
    const rows = end - start;
    // An empty input still types a result of no groups (its key and aggregate columns).
    if (rows === 0 && this.keyTemplates === null && batch.names.length > 0) {
      this.emptyKeyTemplates ??= this.keys.map((key) => columnOf(batch, key, 'groupBy()'));
      this.inputTemplates ??= this.slots.map((slot) => (slot.shared ? null : inputOf(slot, batch).column));
    }
    if (rows === 0) return;
    this.rowsAdded += rows;
    // A replay of held rows carries no key columns: their groups are known.
    const keyColumns = this.presets === null ? this.keys.map((key) => columnOf(batch, key, 'groupBy()')) : [];
    const inputs = this.slots.map((slot) => (slot.shared ? null : inputOf(slot, batch)));
    this.keyTemplates ??= keyColumns;
    this.inputTemplates ??= inputs.map((input) => input?.column ?? null);
    // Sums of columns without nulls (in this batch and before) go through the fused pass with the row counts.
    const fused = this.slots.filter(
      (slot, s) =>
        !slot.shared && slot.accumulate === 'add' && inputs[s]!.valid === undefined && slot.states.seen === null,
    );
    const fusedValues = fused.map((slot) => inputs[this.slots.indexOf(slot)]!.values!);
    const fusedLanes = fused.map((slot) => slot.states.lane);
    fusedValues.forEach((values, c) => {
      if (!(values instanceof Int32Array)) this.floatLanes.add(fusedLanes[c]!);
      else if (this.floatLanes.has(fusedLanes[c]!)) this.mixedSums = true;
    });
    // Minima and maxima of columns without nulls (in this batch and before) go two at a time through one pass.
    const extremes = this.slots.filter(
      (slot, s) =>
        !slot.shared &&
        (slot.accumulate === 'min' || slot.accumulate === 'max') &&
        inputs[s]!.valid === undefined &&
        slot.states.seen === null,
    );
    // `stateSlotsOf` puts them in one block (a pair must share one); an odd one out takes its own pass.
    if (extremes.some((slot) => slot.states.block !== extremes[0]!.states.block)) extremes.length = 0;
    else if (extremes.length % 2 === 1) extremes.pop();
    const extremeValues = extremes.map((slot) => inputs[this.slots.indexOf(slot)]!.values!);
    // Rows of the aggregation so far, as the few-groups pass checks them; never small once sums were mixed.
    const rowsTotal = this.mixedSums ? Infinity : this.rowsAdded;
    const ids = this.groupIds;
    for (let from = start; from < end; from += CHUNK_ROWS) {
      const to = Math.min(end, from + CHUNK_ROWS);
      const groupsBefore = this.keyMode === null ? 0 : this.groups;
      const groups =
        this.presets === null ? this.assignGroups(keyColumns, from, to) : this.presets.chunk(from, to, ids);
      for (const slot of fused) slot.states.ensure(groups);
      this.rowCounts?.ensure(groups);
      // Every fused sum shares the row counts' block (`stateSlotsOf` lays them side by side).
      const block = fused[0]?.states.block ?? this.rowCounts?.block;
      const countLane = this.rowCounts?.lane ?? -1;
      if (block !== undefined) addChunk(block, fusedLanes, fusedValues, countLane, ids, from, to, groups, rowsTotal);
      for (let e = 0; e < extremes.length; e += 2) {
        const [a, b] = [extremes[e]!.states, extremes[e + 1]!.states];
        a.ensure(groups);
        b.ensure(groups);
        const [maxA, maxB] = [extremes[e]!.accumulate === 'max', extremes[e + 1]!.accumulate === 'max'];
        const [va, vb] = [extremeValues[e]!, extremeValues[e + 1]!];
        const { values: states, width } = a.block;
        updateTwoExtremes(states, width, a.lane, maxA, va, b.lane, maxB, vb, ids, from, to);
      }
      this.slots.forEach((slot, s) => {
        if (slot.shared || fused.includes(slot) || extremes.includes(slot)) return;
        slot.states.ensure(groups);
        accumulate(slot, inputs[s]!, ids, from, to, groupsBefore);
      });
      for (const extra of this.extras.values()) extra.add(batch, ids, from, to, groups);
    }
  }

  /**
   * Reduce side: adds every batch of `batches`, the task's whole input. With several string and number keys and at
   * least `PARTITIONED_ROWS_MIN` rows, the rows are held (their key codes and hashes, views of their aggregate
   * columns) and grouped part by part once all are in (`held-rows-reduce.ts`), then their states added in that
   * order; otherwise each batch is added as it comes. Groups come out part by part rather than first seen first;
   * each group's rows are still added in input order.
   */
  addAll(batches: Iterable<Batch>): void {
    addHeldOrEach(batches, {
      add: (batch) => this.add(batch),
      startHolding: (first) => this.startHolding(first),
      addHeld: (held) => this.addHeld(held),
    });
  }

  /** Held rows for a reduce side whose first batches are `batches`, or null when it adds each as it comes. */
  private startHolding(batches: readonly Batch[]): HeldRows | null {
    if (this.mode !== 'final' || this.keys.length < 2 || this.extras.size > 0 || this.keyMode !== null) return null;
    const first = batches.find((b) => b.rows > 0)!;
    const keyColumns = this.keys.map((key) => columnOf(first, key, 'groupBy()'));
    if (chooseKeyMode(keyColumns) !== 'coded') return null;
    this.keyMode = 'coded';
    this.keyTemplates = keyColumns;
    this.inputTemplates ??= this.slots.map((slot) => (slot.shared ? null : inputOf(slot, first).column));
    const coded = (this.coded = new CodedTupleKeys(
      keyColumns.map((c) => codedKindOf(c)!),
      CHUNK_ROWS,
    ));
    return new HeldRows(this.keys, coded, CHUNK_ROWS, (c, found) =>
      keyTypeChange(this.keys[c]!, coded.kinds[c]!, found),
    );
  }

  /** Groups the held rows part by part, then adds their aggregate columns in part order with those groups. */
  private addHeld(held: HeldRows): void {
    const grouped = held.group();
    // Every group's states allocated once, at their final size: grown as the replay meets groups, each doubling
    // would copy the states so far and touch fresh memory again (q10: ten million groups).
    for (const slot of this.slots) slot.states.ensure(grouped.groups);
    this.rowCounts?.ensure(grouped.groups);
    this.presets = grouped.presets;
    this.add(grouped.batch);
    this.presets = null;
  }

  /**
   * True when a map-side (partial) aggregation should stop grouping and send the rest of its rows through
   * `passThrough` (adaptive partial aggregation, as DataFusion and Spark 4.3 do): after `rowsMin` rows its groups are more
   * than `groupsPerRowMin` of its rows, so grouping reduces almost nothing the shuffle carries and the reduce side
   * does the same work again. Only string and number keys (whose hashes `groupKeyHashes` reproduces).
   */
  get passesThrough(): boolean {
    const { mode: side, keys, keyMode, rowsAdded } = this;
    const groups = keyMode === null ? 0 : this.groups;
    return passesThrough({ side, keyCount: keys.length, keyMode, rowsAdded, groups }, this.passThroughAfter);
  }

  /**
   * The partial rows of `batch`, one per row (each row its own group: its keys as they are, its aggregates' states
   * of one value), and the hash each key has in this aggregator's table, so the reduce partition of a key is the
   * same whether a task grouped it or passed it through. Only once `passesThrough`; the groups already in the table
   * are still `result()`.
   */
  passThrough(batch: Batch): AggregateResult {
    const mode = this.keyMode;
    if (!isHashedKeyMode(mode)) throw keyTypeChange(this.keys[0]!, String(mode), 'rows passed through');
    const keyColumns = this.keys.map((key) => columnOf(batch, key, 'groupBy()'));
    if (mode !== 'coded') {
      const only = keyColumns[0]!;
      const fits = mode === 'utf8' ? only.type === 'utf8' : only.type === 'f64' || only.type === 'i32';
      if (!fits) throw keyTypeChange(this.keys[0]!, mode, only.type);
    }
    const hashes = groupKeyHashes(mode, keyColumns, batch.rows);
    const int32KeysKept = mode === 'coded';
    if (this.extras.size === 0) {
      const copied = passedPartialRows(this.keys, this.slots, batch, keyColumns, int32KeysKept);
      if (copied !== null) return { batch: copied, hashes };
    }
    const single = new HashAggregator(this.keys, this.aggregates, 'partial');
    single.keyMode = 'identity';
    single.int32KeysKept = int32KeysKept;
    // A group per row: the states taken at their size once, not grown (and copied) as the rows come.
    for (const slot of single.slots) slot.states.ensure(batch.rows);
    single.rowCounts?.ensure(batch.rows);
    single.add(batch);
    const { batch: rows } = single.result();
    return { batch: rows, hashes };
  }

  /**
   * True when this aggregation is a plain count of one string key: then `addWhitespaceTokens` may feed it the
   * unsplit strings (the fused word-count loop).
   */
  get countsOneStringKey(): boolean {
    return (
      this.mode === 'partial' &&
      this.keys.length === 1 &&
      this.extras.size === 0 &&
      this.slots.every((s) => s.accumulate === 'count')
    );
  }

  /**
   * Adds one row per whitespace token of `strings` (as `select(splitToRows(...))` then `add` would), fused: see
   * `countWhitespaceTokens`. Only when `countsOneStringKey`.
   */
  addWhitespaceTokens(strings: Utf8Column, rows: number): void {
    if (this.keyMode === null) this.keyMode = 'counted-utf8';
    if (this.keyMode !== 'counted-utf8' || !this.countsOneStringKey)
      throw keyTypeChange(this.keys[0]!, String(this.keyMode), 'whitespace tokens');
    this.counter ??= spareCounters.pop() ?? new ByteKeyCounter(1 << 15);
    countWhitespaceTokens(strings, rows, this.counter);
  }

  /**
   * Hands this aggregator's tables to the next aggregator on this thread. Call it once the result's columns are
   * no longer needed (they are views of the tables); the aggregator is unusable afterwards.
   */
  release(): void {
    this.coded?.release();
    if (this.byteKeys !== null && spareTables.length === 0) {
      this.byteKeys.clear();
      spareTables.push(this.byteKeys);
    }
    if (this.counter !== null && spareCounters.length === 0) {
      this.counter.clear();
      spareCounters.push(this.counter);
    }
  }

  /** Distinct keys so far. */
  get groups(): number {
    if (this.presets !== null) return this.presets.groups;
    if (this.keyMode === 'counted-utf8') return this.counter!.size;
    if (this.keyMode === 'identity') return this.identityRows;
    if (this.keyMode === 'coded') return this.coded?.size ?? 0;
    if (this.keyMode === 'number') return this.numberTable.size;
    return this.dictionaryGroups?.codeOrderSize ?? this.bytesTable.size;
  }

  /**
   * The table of string and tuple keys: one left by an earlier aggregation on this thread (see `release`), else
   * one sized for a few ten thousand keys up front (growing from tiny rehashes the hot early keys many times).
   */
  private get bytesTable(): ByteKeyTable {
    return (this.byteKeys ??= spareTables.pop() ?? new ByteKeyTable(1 << 15));
  }

  /** Writes the group of rows `from … to - 1` to `groupIds[0 …]`, adding new keys; returns the group count. */
  private assignGroups(keyColumns: readonly Column[], from: number, to: number): number {
    if (this.keyMode === null) this.keyMode = chooseKeyMode(keyColumns);
    if (this.keyMode === 'counted-utf8') throw keyTypeChange(this.keys[0]!, 'whitespace tokens', 'rows');
    const ids = this.groupIds;
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
        const groups = (this.dictionaryGroups ??= new DictionaryGroups(true));
        return groups.assign(only, coded, from, to, ids, table, () => this.nullGroupOf(table));
      }
      // Rows of plain strings after dictionary-read ones: the table must hold every group from here on.
      this.dictionaryGroups?.fillTable(this.bytesTable);
      if (only.valid !== undefined) return this.assignNullable(only, from, to);
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
      if (only.valid !== undefined) return this.assignNullable(only, from, to);
      this.numberTable.assignNumbers(only.values, from, to, ids);
      return this.numberTable.size;
    }
    if (this.keyMode === 'coded') {
      const coded = (this.coded ??= new CodedTupleKeys(
        keyColumns.map((c) => codedKindOf(c)!),
        CHUNK_ROWS,
      ));
      return coded.assign(keyColumns, from, to, ids, (c, found) =>
        keyTypeChange(this.keys[c]!, coded.kinds[c]!, found),
      );
    }
    if (this.tupleKinds.length === 0) this.tupleKinds = keyColumns.map(tupleKindOf);
    keyColumns.forEach((column, c) => {
      // A column of only nulls (typed float64 when read) matches any key type: its rows encode as nulls.
      if (tupleKindOf(column) !== this.tupleKinds[c] && !allNull(column, to)) {
        throw keyTypeChange(this.keys[c]!, this.tupleKinds[c]!, column.type);
      }
    });
    const table = this.bytesTable;
    for (let i = from; i < to; i++) {
      let length = encodeTupleKey(keyColumns, i, this.tupleScratch);
      while (length < 0) {
        this.tupleScratch = new Uint8Array(this.tupleScratch.length * 4);
        length = encodeTupleKey(keyColumns, i, this.tupleScratch);
      }
      ids[i - from] = table.findOrInsert(this.tupleScratch, 0, length, hashBytes(this.tupleScratch, 0, length));
    }
    return table.size;
  }

  /**
   * `assignGroups` for a single string or number key column holding nulls (kept apart so the loops without nulls
   * stay as small as they were): null rows go to the null group.
   */
  private assignNullable(only: Column, from: number, to: number): number {
    const ids = this.groupIds;
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
    if (this.nullGroup < 0) this.nullGroup = table.reserveGroup();
    return this.nullGroup;
  }

  /** One row per group: key columns, then partial states (`partial`) or the aggregates' outputs (`final`). */
  result(): AggregateResult {
    if (this.keyMode === 'counted-utf8') {
      return countedResult(
        this.counter!.entries(),
        this.keys,
        this.slots.map((slot) => slot.name),
      );
    }
    // A global aggregation of no rows is still one row (count 0, other aggregates null), as SQL's.
    if (this.mode === 'final' && this.keys.length === 0 && this.groups === 0)
      this.add(emptyPartialRow(this.aggregates));
    return aggregateResult({
      keys: this.keys,
      aggregates: this.aggregates,
      mode: this.mode,
      slots: this.slots,
      extras: this.extras,
      rowCounts: this.rowCounts,
      keyMode: this.keyMode,
      groups: this.groups,
      numberTable: this.numberTable,
      coded: this.coded,
      dictionaryGroups: this.dictionaryGroups,
      bytesTable: () => this.bytesTable,
      tupleKinds: this.tupleKinds,
      nullGroup: this.nullGroup,
      keyTemplates: this.keyTemplates,
      inputTemplates: this.inputTemplates,
      emptyKeyTemplates: this.emptyKeyTemplates,
      int32KeysKept: this.int32KeysKept,
    });
  }
}
