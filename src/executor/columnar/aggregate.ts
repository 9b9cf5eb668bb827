/**
 * Hash aggregation over column batches, both halves of a `groupBy().agg()`: `partial` (map side) turns rows into
 * one row per distinct key with partial states; `final` (reduce side) merges partial rows and finalizes
 * (count, sum, mean = sum / count, min, max). Each row's group comes from `group-assigner.ts` (the key tables);
 * the reduce side of many rows of several keys groups them part by part (`held-rows-reduce.ts`); the result is
 * assembled in `aggregate-result.ts`.
 */
import type { AggregateSpec } from '../../protocol/columnar.js';
import type { Batch, Column, Utf8Column } from './batch.js';
import { columnOf } from './batch.js';
import {
  emptyPartialRow,
  isGroupAggregate,
  makeGroupAggregate,
  type GroupAggregate,
} from './aggregates/group-aggregate.js';
import {
  accumulate,
  inputOf,
  metInputTemplates,
  type GroupStates,
  type SlotInput,
  type StateSlot,
} from './group-states.js';
import { stateSlotsOf } from './state-slots.js';
import { hasExtremeSlots, moveStringExtremes } from './aggregates/string-extremes.js';
import { addChunk, type FusedStates, type SumValues } from './aggregates/fused-sums.js';
import { addRowsOfKnownKeys, NEW_KEY_ROWS, resumesByKey } from './sums-by-key-pass.js';
import { addExtremes, chunkPasses, type ChunkPasses } from './chunk-passes.js';
import { aggregateResult, type AggregateResult } from './aggregate-result.js';
import { addHeldOrEach, HeldRows, takeOneRowStates, type PresetGroups } from './held-rows-reduce.js';
import { passThroughRows } from './passed-partial-rows.js';
import { ByteKeyCounter } from './kernels/byte-key-counter.js';
import { countWhitespaceTokens } from './kernels/count-tokens.js';
import { GroupKeyHasher } from './kernels/group-key-hashes.js';
import { chooseKeyMode, countedResult, keyTypeChange, KeyTypes, type GroupKeyMode } from './group-key-mode.js';
import { GroupAssigner } from './group-assigner.js';
import { passesThrough, PASS_THROUGH_AFTER, type PassThroughRule } from './pass-through-rule.js';

export type { AggregateResult } from './aggregate-result.js';
export { PARTITIONED_ROWS_MIN } from './held-rows-reduce.js';

/**
 * At most one word counter per thread kept between aggregations (see `release`): map tasks of one stage see
 * similar key counts, so the next task starts with a counter already grown to size.
 */
const spareCounters: ByteKeyCounter[] = [];

/** Rows per chunk of `add`: 64K group ids are 256 KiB, well inside a core's L2 cache. */
const CHUNK_ROWS = 1 << 16;

/** What `add` reads for each range of a batch's rows. */
interface RangeInputs {
  readonly batch: Batch;
  readonly keyColumns: readonly Column[];
  readonly inputs: readonly (SlotInput | null)[];
  readonly passes: ChunkPasses;
  readonly integerStates: boolean;
}

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
  /** Each row's group: the key mode and the tables of keys. */
  private readonly assigner: GroupAssigner;
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
  /** Whitespace tokens of the fused word count (`addWhitespaceTokens`), taken at first use. */
  private counter: ByteKeyCounter | null = null;
  /** The types of the key columns met: the result's key types (`KeyTypes`). */
  private readonly keyTypes = new KeyTypes();
  /** Per slot, the input column of the first batch: min / max of dates stay dates. */
  private inputTemplates: (Column | null)[] | null = null;
  /** While `add` replays held rows in part order: their groups, found already (`addHeld`). */
  private presets: PresetGroups | null = null;
  /** The passed rows' key hashes, batch after batch (a cached partition's dictionary strings hashed once a task). */
  private readonly passHasher = new GroupKeyHasher();

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
    this.assigner = new GroupAssigner(keys, CHUNK_ROWS);
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
    this.meetStrings(batch);
    const rows = end - start;
    // An empty input still types the result (its key and aggregate columns), one of no groups too.
    if (rows === 0 && batch.names.length > 0 && this.presets === null) {
      const emptyKeys = this.keys.map((key) => columnOf(batch, key, 'groupBy()'));
      this.keyTypes.meet(emptyKeys, start, end);
      if (this.keyMode === null)
        this.inputTemplates ??= this.slots.map((slot) => (slot.shared ? null : inputOf(slot, batch).column));
    }
    if (rows === 0) return;
    this.rowsAdded += rows;
    // A replay of held rows carries no key columns: their groups are known.
    const keyColumns = this.presets === null ? this.keys.map((key) => columnOf(batch, key, 'groupBy()')) : [];
    const inputs = this.slots.map((slot) => (slot.shared ? null : inputOf(slot, batch)));
    if (this.presets === null) this.keyTypes.meet(keyColumns, start, end);
    this.inputTemplates = metInputTemplates(this.inputTemplates, inputs, start, end);
    // Sums of columns without nulls go through the fused pass with the row counts, minima and maxima two at a time.
    const passes = chunkPasses(this.slots, inputs);
    const { fused, fusedValues, fusedLanes } = passes;
    fusedValues.forEach((values, c) => {
      if (!(values instanceof Int32Array)) this.floatLanes.add(fusedLanes[c]!);
      else if (this.floatLanes.has(fusedLanes[c]!)) this.mixedSums = true;
    });
    // Exact lanes' states are integers (the few-groups pass may reorder their additions) until sums were mixed.
    const integerStates = !this.mixedSums;
    // Only sums and counts of columns without nulls: rows whose group the key directory holds skip the group ids.
    const sumsOnly =
      this.presets === null &&
      this.extras.size === 0 &&
      this.sumsBlock !== undefined &&
      this.slots.every(
        (slot, s) => slot.shared || fused.includes(slot) || (slot.accumulate === 'count' && !inputs[s]!.valid),
      );
    const range = { batch, keyColumns, inputs, passes, integerStates };
    for (let chunk = start; chunk < end; chunk += CHUNK_ROWS) {
      const to = Math.min(end, chunk + CHUNK_ROWS);
      let from = chunk;
      if (sumsOnly) {
        from = this.addByKey(keyColumns, fusedLanes, fusedValues, chunk, to, integerStates);
        // A key new (or outside the directory) stops the pass by key: the rows it stopped at go through the group
        // ids, then the pass resumes, while the directory spans few keys (`resumesByKey`).
        while (from < to && resumesByKey(this.assigner, keyColumns, from, to)) {
          const next = Math.min(to, from + NEW_KEY_ROWS);
          this.addRange(range, from, next);
          from = this.addByKey(keyColumns, fusedLanes, fusedValues, next, to, integerStates);
        }
      }
      if (from < to) this.addRange(range, from, to);
    }
  }

  /** A min or max whose input is a string column in `batch` moves to a string aggregate (`string-extremes.ts`). */
  private meetStrings(batch: Batch): void {
    if (batch.names.length === 0 || !hasExtremeSlots(this.slots)) return;
    moveStringExtremes(batch, this.slots, this.inputTemplates, this.extras, this.aggregates);
  }

  /** Adds rows `from … to - 1` (at most a chunk) through their group ids, to every state. */
  private addRange(range: RangeInputs, from: number, to: number): void {
    const { batch, keyColumns, inputs, passes, integerStates } = range;
    const { fused, fusedValues, fusedLanes, extremes, extremeValues } = passes;
    const ids = this.groupIds;
    const groupsBefore = this.keyMode === null ? 0 : this.groups;
    const groups =
      this.presets === null ? this.assigner.assign(keyColumns, from, to, ids) : this.presets.chunk(from, to, ids);
    for (const slot of fused) slot.states.ensure(groups);
    this.rowCounts?.ensure(groups);
    // Every fused sum shares the row counts' block (`stateSlotsOf` lays them side by side).
    const block = fused[0]?.states.block ?? this.rowCounts?.block;
    const countLane = this.rowCounts?.lane ?? -1;
    if (block !== undefined) addChunk(block, fusedLanes, fusedValues, countLane, ids, from, to, groups, integerStates);
    addExtremes(extremes, extremeValues, ids, from, to, groups);
    this.slots.forEach((slot, s) => {
      if (slot.shared || fused.includes(slot) || extremes.includes(slot)) return;
      slot.states.ensure(groups);
      accumulate(slot, inputs[s]!, ids, from, to, groupsBefore);
    });
    for (const extra of this.extras.values()) extra.add(batch, ids, from, to, groups);
  }

  /** `addRowsOfKnownKeys` of rows `from … to - 1` with this aggregation's sums block, row counts and groups. */
  private addByKey(
    keyColumns: readonly Column[],
    lanes: readonly number[],
    values: readonly SumValues[],
    from: number,
    to: number,
    integerStates: boolean,
  ): number {
    const block = this.sumsBlock;
    const sums = block === undefined ? null : { block, countLane: this.rowCounts?.lane ?? -1, groups: this.groups };
    return addRowsOfKnownKeys(this.assigner, sums, keyColumns, lanes, values, from, to, integerStates);
  }

  /** The block of the fused sums and row counts, if the aggregation has either. */
  private get sumsBlock(): FusedStates | undefined {
    return this.rowCounts?.block ?? this.slots.find((slot) => slot.accumulate === 'add')?.states.block;
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
    for (const batch of batches) this.meetStrings(batch);
    if (this.mode !== 'final' || this.keys.length < 2 || this.extras.size > 0 || this.keyMode !== null) return null;
    const first = batches.find((b) => b.rows > 0)!;
    const keyColumns = this.keys.map((key) => columnOf(first, key, 'groupBy()'));
    if (chooseKeyMode(keyColumns) !== 'coded') return null;
    this.inputTemplates ??= this.slots.map((slot) => (slot.shared ? null : inputOf(slot, first).column));
    const coded = this.assigner.startCoded(keyColumns);
    return new HeldRows(this.keys, coded, this.keyTypes, CHUNK_ROWS, (c, found) =>
      keyTypeChange(this.keys[c]!, coded.kinds[c]!, found),
    );
  }

  /** Groups the held rows part by part, then adds their aggregate columns in part order with those groups. */
  private addHeld(held: HeldRows): void {
    const grouped = held.group();
    this.meetStrings(grouped.batch);
    // Every group one row (q10): each sum's states are its column's values (`takeOneRowStates`), with no replay. Not
    // with row counts, which a shared slot reads but `takeOneRowStates` would not set (a reduce side has none).
    if (grouped.groups === grouped.batch.rows && this.extras.size === 0 && this.rowCounts === null) {
      const { batch } = grouped;
      const inputs = this.slots.map((slot) => (slot.shared ? null : inputOf(slot, batch)));
      if (takeOneRowStates(this.slots, inputs, batch.rows)) {
        this.rowsAdded += batch.rows;
        this.inputTemplates = metInputTemplates(this.inputTemplates, inputs, 0, batch.rows);
        return;
      }
    }
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
    const { keys, slots, keyMode, passHasher, extras } = this;
    return passThroughRows(keys, slots, keyMode, passHasher, batch, extras.size === 0, () => this.identityRows(batch));
  }

  /** `batch`'s partial rows through an aggregation with a group per row (`passThrough`'s when no copy serves). */
  private identityRows(batch: Batch): Batch {
    const single = new HashAggregator(this.keys, this.aggregates, 'partial');
    single.assigner.keyMode = 'identity';
    // A group per row: the states taken at their size once, not grown (and copied) as the rows come.
    for (const slot of single.slots) slot.states.ensure(batch.rows);
    single.rowCounts?.ensure(batch.rows);
    single.add(batch);
    return single.result().batch;
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
    if (this.keyMode === null) this.assigner.keyMode = 'counted-utf8';
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
    this.assigner.release();
    if (this.counter !== null && spareCounters.length === 0) {
      this.counter.clear();
      spareCounters.push(this.counter);
    }
  }

  /** Distinct keys so far. */
  get groups(): number {
    if (this.presets !== null) return this.presets.groups;
    if (this.keyMode === 'counted-utf8') return this.counter!.size;
    return this.assigner.size;
  }

  /** How keys are held (`group-key-mode.ts`), chosen at the first batch. */
  private get keyMode(): GroupKeyMode | null {
    return this.assigner.keyMode;
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
    const assigner = this.assigner;
    return aggregateResult({
      keys: this.keys,
      aggregates: this.aggregates,
      mode: this.mode,
      slots: this.slots,
      extras: this.extras,
      rowCounts: this.rowCounts,
      keyMode: this.keyMode,
      groups: this.groups,
      numberTable: assigner.numberTable,
      coded: assigner.coded,
      dictionaryGroups: assigner.dictionaryGroups,
      bytesTable: () => assigner.bytesTable,
      tupleKinds: assigner.tupleKinds,
      nullGroup: assigner.nullGroup,
      keyTemplates: this.keyTypes.templates,
      inputTemplates: this.inputTemplates,
    });
  }
}
