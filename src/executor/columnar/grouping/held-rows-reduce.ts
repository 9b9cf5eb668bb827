/**
 * The reduce side of several string and number keys over many rows, grouped part by part: `HashAggregator.addAll`
 * holds every row (its key codes and hashes, views of its aggregate columns), groups them all at once by radix
 * parts (`kernels/radix-tuple-groups.ts`), then replays their aggregate columns in part order with the groups already
 * known. From `PARTITIONED_ROWS_MIN` rows a table of every group outgrows a core's cache, and grouping part by
 * part keeps each part's table in it.
 */
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import type { CodedTupleKeys } from '../kernels/coded-tuple-keys.js';
import type { KeyTypes } from './group-key-mode.js';
import { scatterBatches } from '../kernels/radix-partition.js';
import type { SlotInput, StateSlot } from './group-states.js';

/**
 * A reduce side of several string and number keys with at least this many input rows groups them part by part
 * (`addAll`): from about here its table outgrows a core's cache (q10's ten million groups: every row a trip to
 * memory in a table of 250 MB).
 */
export const PARTITIONED_ROWS_MIN = 1 << 18;

/** What `addHeldOrEach` needs of its aggregator. */
export interface HeldRowsHost {
  /** Adds one batch as it comes (the aggregator's chunked `add`). */
  add(batch: Batch): void;
  /** Held rows for an aggregation whose first batches are `batches`, or null when it adds each as it comes. */
  startHolding(batches: readonly Batch[]): HeldRows | null;
  /** Adds the held rows once all are in (`HeldRows.group`, then a replay through `add`). */
  addHeld(held: HeldRows): void;
}

/**
 * Feeds `batches`, the task's whole input, to `host`: up to `PARTITIONED_ROWS_MIN` rows decide (through
 * `startHolding`) whether the rows are held and added at the end, or each batch added as it comes.
 */
export function addHeldOrEach(batches: Iterable<Batch>, host: HeldRowsHost): void {
  const early: Batch[] = [];
  let rows = 0;
  let held: HeldRows | null = null;
  let sink: ((batch: Batch) => void) | null = null;
  for (const batch of batches) {
    if (sink !== null) {
      sink(batch);
      continue;
    }
    early.push(batch);
    rows += batch.rows;
    if (rows < PARTITIONED_ROWS_MIN) continue;
    const holding = (held = host.startHolding(early));
    sink = holding !== null ? (b) => holding.hold(b) : (b) => host.add(b);
    for (const b of early) sink(b);
  }
  if (sink === null) for (const b of early) host.add(b);
  else if (held !== null) host.addHeld(held);
}

/** The groups of held rows in part order, and those rows' aggregate columns in the same order. */
export interface GroupedHeldRows {
  readonly groups: number;
  readonly presets: PresetGroups;
  readonly batch: Batch;
}

/**
 * Rows held by the reduce side until all are in: key codes in `coded`, views of the other columns here, and the
 * key columns' types in `keyTypes` (the answer's).
 */
export class HeldRows {
  private readonly keys: readonly string[];
  private readonly coded: CodedTupleKeys;
  private readonly keyTypes: KeyTypes;
  private readonly typeChange: (column: number, found: string) => Error;
  private readonly chunkRows: number;
  private readonly values: Batch[] = [];

  constructor(
    keys: readonly string[],
    coded: CodedTupleKeys,
    keyTypes: KeyTypes,
    chunkRows: number,
    typeChange: (column: number, found: string) => Error,
  ) {
    this.keys = keys;
    this.coded = coded;
    this.keyTypes = keyTypes;
    this.chunkRows = chunkRows;
    this.typeChange = typeChange;
  }

  /** Holds `batch`'s rows: their key codes and hashes, and a view of their other columns. */
  hold(batch: Batch): void {
    if (batch.rows === 0 && batch.names.length === 0) return;
    const keyColumns: Column[] = this.keys.map((key) => columnOf(batch, key, 'groupBy()'));
    this.keyTypes.meet(keyColumns, 0, batch.rows);
    if (batch.rows === 0) return;
    for (let from = 0; from < batch.rows; from += this.chunkRows) {
      this.coded.hold(keyColumns, from, Math.min(batch.rows, from + this.chunkRows), this.typeChange);
    }
    const names = batch.names.filter((name) => !this.keys.includes(name));
    this.values.push({ rows: batch.rows, names, columns: names.map((name) => columnOf(batch, name, 'agg()')) });
  }

  /** Groups the held rows part by part: their groups and aggregate columns, both in part order. */
  group(): GroupedHeldRows {
    const grouped = this.coded.groupHeld();
    const batch = scatterBatches(this.values, grouped.positions);
    this.values.length = 0;
    return { groups: grouped.groups, presets: new PresetGroups(grouped.ids), batch };
  }
}

/** The known groups of a replay of held rows, handed out chunk by chunk. */
export class PresetGroups {
  private readonly ids: Int32Array;
  /** The groups met so far (group ids met in part order grow by one at a new group). */
  groups = 0;

  constructor(ids: Int32Array) {
    this.ids = ids;
  }

  /** The groups of rows `from … to - 1` into `out[0 …]`; returns the group count so far. */
  chunk(from: number, to: number, out: Int32Array): number {
    const preset = this.ids;
    let groups = this.groups;
    for (let i = from; i < to; i++) {
      const g = preset[i]!;
      out[i - from] = g;
      if (g >= groups) groups = g + 1;
    }
    return (this.groups = groups);
  }
}

/**
 * Takes each slot's states straight from `inputs` (its column of held rows in part order, `rows` long) when every
 * group has one row (q10: ten million groups of 10 M rows) and every slot adds up a number column without nulls:
 * group g's state is then 0 + row g's value, written once into a lane of its own. A replay through the fused sums
 * reads the group ids and then each state of a fresh block of every group's lanes before adding to it (q10: 80 MB a
 * task, each page faulted twice: once to map zeros, once to write). Returns false, touching nothing, otherwise (a
 * count, min or max slot, nulls, int64 states), when the caller replays. `0 +` as the replay adds: -0 becomes 0.
 *
 * @example
 * if (groups !== rows || !takeOneRowStates(slots, inputs, rows)) replay();
 */
export function takeOneRowStates(
  slots: readonly StateSlot[],
  inputs: readonly (SlotInput | null)[],
  rows: number,
): boolean {
  const plain = slots.every((slot, s) => {
    if (slot.shared) return true;
    const input = inputs[s]!;
    const { values } = input;
    return (
      slot.accumulate === 'add' &&
      slot.states.exact === null &&
      slot.states.seen === null &&
      input.int64 === undefined &&
      input.valid === undefined &&
      (values instanceof Float64Array || values instanceof Int32Array) &&
      values.length >= rows
    );
  });
  if (!plain) return false;
  slots.forEach((slot, s) => {
    if (!slot.shared) slot.states.adopt(oneRowStates(inputs[s]!.values!, rows, slot.states.initial));
  });
  return true;
}

/** `initial + values[g]` for groups `0 … rows - 1`, as float64 states. */
function oneRowStates(values: Float64Array | Int32Array, rows: number, initial: number): Float64Array {
  const states = new Float64Array(rows);
  if (values instanceof Float64Array) for (let g = 0; g < rows; g++) states[g] = initial + values[g]!;
  else for (let g = 0; g < rows; g++) states[g] = initial + values[g]!;
  return states;
}
