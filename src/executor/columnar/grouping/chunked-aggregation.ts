/**
 * The state of a hash aggregation and how rows reach it: `add` takes a batch a chunk of rows at a time, finds each
 * row's group (`group-assigner.ts`, or the groups a replay of held rows brings) and updates every aggregate's
 * states (`chunk-passes.ts`, `aggregates/`). The base class of `HashAggregator` (aggregate.ts), which adds the
 * phases around it: the reduce side's held rows, the map side's pass-through and fused word count, the result.
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { isGroupAggregate, makeGroupAggregate, type GroupAggregate } from '../aggregates/group-aggregate.js';
import {
  accumulate,
  inputOf,
  metInputTemplates,
  type GroupStates,
  type SlotInput,
  type StateSlot,
} from './group-states.js';
import { stateSlotsOf } from './state-slots.js';
import { hasExtremeSlots, moveStringExtremes } from '../aggregates/string-extremes.js';
import { addChunk, type FusedStates, type SumValues } from '../aggregates/fused-sums.js';
import { addRowsOfKnownKeys, NEW_KEY_ROWS, resumesByKey } from './sums-by-key-pass.js';
import { addExtremes, chunkPasses, type ChunkPasses } from './chunk-passes.js';
import type { PresetGroups } from './held-rows-reduce.js';
import type { ByteKeyCounter } from '../kernels/byte-key-counter.js';
import { KeyTypes, type GroupKeyMode } from './group-key-mode.js';
import { GroupAssigner } from './group-assigner.js';

/** Rows per chunk of `add`: 64K group ids are 256 KiB, well inside a core's L2 cache. */
export const CHUNK_ROWS = 1 << 16;

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
 * Aggregates batches by `keys`, chunk by chunk (`add`): the states and the tables of keys that `HashAggregator`
 * builds its phases and its result on.
 */
export abstract class ChunkedAggregation {
  protected readonly keys: readonly string[];
  protected readonly aggregates: readonly AggregateSpec[];
  protected readonly mode: 'partial' | 'final';
  protected readonly slots: StateSlot[];
  /** Aggregates with richer states than one float64 per group (`aggregates/`), by aggregate index. */
  protected readonly extras = new Map<number, GroupAggregate>();
  /** Map side, when any aggregate counts: the rows of each group (see `StateSlots`). */
  protected readonly rowCounts: GroupStates | null;
  /** The group of each row of the chunk being added (this thread's, see `chunkGroupIds`). */
  private readonly groupIds = chunkGroupIds;
  /** Each row's group: the key mode and the tables of keys. */
  protected readonly assigner: GroupAssigner;
  /** Rows added so far (the adaptive partial aggregation's denominator). */
  protected rowsAdded = 0;
  /** Fused lanes that have summed float64 values: their states need not be integers. */
  private readonly floatLanes = new Set<number>();
  /**
   * True once a lane in `floatLanes` sums int32 values: the few-groups pass (which reorders int32 additions,
   * exact only onto an integer state) is off for this aggregation from then on.
   */
  private mixedSums = false;
  /** Whitespace tokens of the fused word count (`HashAggregator.addWhitespaceTokens`), taken at first use. */
  protected counter: ByteKeyCounter | null = null;
  /** The types of the key columns met: the result's key types (`KeyTypes`). */
  protected readonly keyTypes = new KeyTypes();
  /** Per slot, the input column of the first batch: min / max of dates stay dates. */
  protected inputTemplates: (Column | null)[] | null = null;
  /** While `add` replays held rows in part order: their groups, found already (`HashAggregator.addHeld`). */
  protected presets: PresetGroups | null = null;

  constructor(keys: readonly string[], aggregates: readonly AggregateSpec[], mode: 'partial' | 'final') {
    this.keys = keys;
    this.aggregates = aggregates;
    this.mode = mode;
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

  /**
   * A min or max whose input is a string column in `batch` moves to a string aggregate
   * (`aggregates/string-extremes.ts`).
   */
  protected meetStrings(batch: Batch): void {
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

  /** Distinct keys so far. */
  get groups(): number {
    if (this.presets !== null) return this.presets.groups;
    if (this.keyMode === 'counted-utf8') return this.counter!.size;
    return this.assigner.size;
  }

  /** How keys are held (`group-key-mode.ts`), chosen at the first batch. */
  protected get keyMode(): GroupKeyMode | null {
    return this.assigner.keyMode;
  }
}
