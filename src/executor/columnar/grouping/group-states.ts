/**
 * Per-group aggregate states of `HashAggregator` and the passes that update them: one float64 state per group and
 * aggregate (sum, count, min, max; mean is a sum and a count), a group's states side by side, updated column by
 * column (or, for sums, several columns in one fused pass) from a chunk's group ids.
 * Nulls are skipped (SQL): a state whose input ever held a null also tracks which groups saw a value, so a group
 * with none gives null. Inputs without nulls take the original loops, untouched.
 */
import type { Batch, Column } from '../batches/batch.js';
import { allNull, columnOf } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { accumulateInt64, int32AsInt64Words, type Int64States, int64Words } from '../aggregates/int64-states.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

/**
 * The states of several slots per group side by side: group g's state of lane l is `values[g * width + l]`. A row
 * that updates a count and three sums touches one cache line, where one array per state touched four (q5's sums of
 * three columns over 100 k groups: 3.2 MB of states, out of the core's cache either way).
 *
 * @example
 * const block = new StateBlock([0, 0, Infinity]);
 * block.ensure(100_000);
 */
export class StateBlock {
  /** Group g's lanes are `values[g * width … (g + 1) * width)`. */
  values: Float64Array;
  readonly width: number;
  /** Groups the arrays hold. */
  capacity = 1024;
  /** Each lane's starting state. */
  private readonly initials: Float64Array;
  constructor(initials: readonly number[]) {
    this.width = initials.length;
    this.initials = Float64Array.from(initials);
    this.values = this.filled(this.capacity);
  }
  ensure(groups: number): void {
    if (groups <= this.capacity) return;
    const capacity = Math.max(groups, this.capacity * 2);
    const next = this.filled(capacity);
    next.set(this.values);
    this.values = next;
    this.capacity = capacity;
  }
  /** A block of one lane whose states are `values`, one a group (taken, not copied). */
  static ofLane(values: Float64Array, initial: number): StateBlock {
    const block = new StateBlock([initial]);
    block.values = values;
    block.capacity = values.length;
    return block;
  }
  /** Lane `lane` of the first `groups` groups, as a column of its own (a view when the block has one lane). */
  lane(lane: number, groups: number): Float64Array {
    const { values, width } = this;
    if (width === 1) return values.subarray(0, groups);
    const column = new Float64Array(groups);
    for (let g = 0, at = lane; g < groups; g++, at += width) column[g] = values[at]!;
    return column;
  }
  private filled(groups: number): Float64Array {
    const values = new Float64Array(groups * this.width);
    const { initials, width } = this;
    for (let l = 0; l < width; l++) {
      const initial = initials[l]!;
      if (initial !== 0) for (let at = l; at < values.length; at += width) values[at] = initial;
    }
    return values;
  }
}

/**
 * One float64 state per group (a lane of a `StateBlock`, its own until `sideBySide` puts it beside others),
 * growing with the groups, and (once a null was met) which groups saw a value.
 *
 * @example
 * const sums = new GroupStates(0);
 * sums.ensure(100_000);
 */
export class GroupStates {
  block: StateBlock;
  lane = 0;
  /** Per group, 1 once a non-null value was added; null while every input row had a value. */
  seen: Uint8Array | null = null;
  readonly initial: number;
  /**
   * The exact states of the int64 values met (`aggregates/int64-states.ts`), from the first int64 input on; the float64
   * lane keeps only what came as float64 after it (and what was no safe integer before it).
   */
  exact: Int64States | null = null;
  constructor(initial: number) {
    this.initial = initial;
    this.block = new StateBlock([initial]);
  }
  ensure(groups: number): void {
    this.block.ensure(groups);
    this.exact?.ensure(this.block.capacity);
    if (this.seen !== null && this.seen.length < this.block.capacity) {
      const seen = new Uint8Array(this.block.capacity);
      seen.set(this.seen);
      this.seen = seen;
    }
  }
  /** Takes `values` as the states of groups `0 … values.length - 1`, in a block of its own (no longer side by side). */
  adopt(values: Float64Array): void {
    this.block = StateBlock.ofLane(values, this.initial);
    this.lane = 0;
  }
  /** Starts tracking `seen`: the first `groups` groups got only values so far. */
  trackSeen(groups: number): void {
    if (this.seen !== null) return;
    this.seen = new Uint8Array(this.block.capacity);
    this.seen.fill(1, 0, groups);
  }
  /** Which of the first `groups` groups have a value (undefined: all of them). */
  validity(groups: number): Uint8Array | undefined {
    return this.seen === null ? undefined : this.seen.subarray(0, groups);
  }
  /** The states of the first `groups` groups as a column. */
  column(groups: number): Float64Array {
    return this.block.lane(this.lane, groups);
  }
}

/**
 * Puts `states` (distinct, none grown yet) side by side in one block, lane `i` for `states[i]`. The caller orders
 * them so that states updated together are neighbours (the fused pass updates runs of adjacent lanes).
 */
export function sideBySide(states: readonly GroupStates[]): void {
  if (states.length < 2) return;
  const block = new StateBlock(states.map((s) => s.initial));
  states.forEach((s, lane) => {
    s.block = block;
    s.lane = lane;
  });
}

/** How one aggregate updates its states from one input column. */
export type Accumulate = 'add' | 'min' | 'max' | 'count';

export interface StateSlot {
  readonly column: string | null;
  readonly name: string;
  readonly accumulate: Accumulate;
  states: GroupStates;
  /** True when an earlier slot accumulates the same column the same way into these very states. */
  shared: boolean;
}

/**
 * What a slot reads from one batch: numbers (null for a count, and for int64 values), int64 values as words (a
 * sum, min or max of an int64 column, or of an int32 one once the slot met int64) and their validity.
 */
export interface SlotInput {
  readonly values: Float64Array | Int32Array | null;
  /** The rows' values as int64 words (`int64Words`), exact: they go to the slot's `GroupStates.exact`. */
  readonly int64?: Int32Array;
  readonly valid: Uint8Array | undefined;
  /** The column read, for typing min/max results (null for `count()`). */
  readonly column: Column | null;
}

/** The column a slot reads (checked numeric, or a date or timestamp), or only its validity for a count. */
export function inputOf(slot: StateSlot, batch: Batch): SlotInput {
  if (slot.column === null) return { values: null, valid: undefined, column: null };
  const column = columnOf(batch, slot.column, 'agg()');
  if (slot.accumulate === 'count') return { values: null, valid: column.valid, column };
  switch (column.type) {
    case 'i32':
      // Once the slot keeps exact int64 states, int32 values join them (the answer is int64).
      if (slot.states.exact !== null) {
        return {
          values: null,
          int64: int32AsInt64Words(column.values, column.values.length),
          valid: column.valid,
          column,
        };
      }
      return { values: column.values, valid: column.valid, column };
    case 'f64':
      return { values: column.values, valid: column.valid, column };
    case 'date':
    case 'timestamp':
      if (slot.accumulate === 'add') {
        throw new ColumnarError(
          'ERR_COLUMNAR_TYPE',
          `agg(): cannot add up the ${CAST_TYPE_NAMES[column.type]} column '${slot.column}' (min, max and count take it)`,
        );
      }
      return { values: column.values, valid: column.valid, column };
    case 'i64':
      return { values: null, int64: int64Words(column.values), valid: column.valid, column };
    default:
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `agg(): expected a numeric column '${slot.column}' to aggregate, found a ${CAST_TYPE_NAMES[column.type]} column`,
      );
  }
}

/**
 * Updates `slot`'s states from rows `from … to - 1` of `input`, whose groups are `ids[0 …]`; `groupsBefore` is the
 * group count before this chunk (groups that, until now, only ever got values).
 */
export function accumulate(
  slot: StateSlot,
  input: SlotInput,
  ids: Int32Array,
  from: number,
  to: number,
  groupsBefore: number,
): void {
  const { values: states, width } = slot.states.block;
  const lane = slot.states.lane;
  const { values, valid } = input;
  if (input.int64 !== undefined) return accumulateInt64(slot, input.int64, valid, ids, from, to, groupsBefore);
  if (values === null) {
    // A count: `count(x)` keeps the nulls of x per group (its count is the group's rows less them, see
    // `HashAggregator`'s row counts), so a column without nulls costs no pass at all.
    if (valid === undefined) return;
    for (let i = from; i < to; i++) {
      const at = ids[i - from]! * width + lane;
      states[at] = states[at]! + (valid[i]! ^ 1);
    }
    return;
  }
  if (valid !== undefined) slot.states.trackSeen(groupsBefore);
  const seen = slot.states.seen;
  if (seen !== null) return accumulateNullable(slot, states, seen, values, valid, ids, from, to);
  switch (slot.accumulate) {
    case 'add':
      for (let i = from; i < to; i++) {
        const at = ids[i - from]! * width + lane;
        states[at] = states[at]! + values[i]!;
      }
      return;
    case 'min':
      for (let i = from; i < to; i++) {
        const at = ids[i - from]! * width + lane;
        const m = states[at]!;
        const v = values[i]!;
        // NaN is the largest number (Spark's order): it loses to any number, and a state starts at NaN (see
        // `stateSlotsOf`), so only a group of NaN alone keeps it. One comparison more than `v < m` only on NaN.
        if (v < m || m !== m) states[at] = v;
      }
      return;
    case 'max':
      for (let i = from; i < to; i++) {
        const at = ids[i - from]! * width + lane;
        const m = states[at]!;
        const v = values[i]!;
        if (m === m && (v > m || v !== v)) states[at] = v;
      }
      return;
  }
}

/** `accumulate` for inputs that hold (or held) nulls: skips them and marks the groups that saw a value. */
function accumulateNullable(
  slot: StateSlot,
  states: Float64Array,
  seen: Uint8Array,
  values: Float64Array | Int32Array,
  valid: Uint8Array | undefined,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  const how = slot.accumulate;
  const { width } = slot.states.block;
  const lane = slot.states.lane;
  for (let i = from; i < to; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const g = ids[i - from]!;
    const at = g * width + lane;
    const v = values[i]!;
    const m = states[at]!;
    seen[g] = 1;
    if (how === 'add') states[at] = m + v;
    else if (how === 'min') {
      if (v < m || m !== m) states[at] = v;
    } else if (m === m && (v > m || v !== v)) states[at] = v;
  }
}

/** Counts as int32 when they fit (they always do below 2^31 rows per group), float64 otherwise. */
export function countColumn(counts: Float64Array): Column {
  const values = new Int32Array(counts.length);
  for (let g = 0; g < counts.length; g++) {
    const n = counts[g]!;
    if (n > 0x7fffffff) return { type: 'f64', values: counts };
    values[g] = n;
  }
  return { type: 'i32', values };
}

/**
 * Min or max states as a column of the input's type (Spark keeps it): int32, int64, date or timestamp, else
 * float64; `valid` marks the groups that saw a value (a group without one holds NaN or -Infinity, written as 0). Sums and
 * other float64 states pass `input` null. WARNING: float64 states hold integers exactly only up to 2^53 in
 * magnitude: an int64 aggregate's exact states (`GroupStates.exact`) are written by `stateColumn`, not here.
 */
export function extremeColumn(states: Float64Array, valid: Uint8Array | undefined, input: Column | null): Column {
  switch (input?.type) {
    case 'i32':
    case 'date':
      return { type: input.type, values: Int32Array.from(states), valid };
    case 'i64':
      return { type: 'i64', values: BigInt64Array.from(states, (v) => (Number.isFinite(v) ? BigInt(v) : 0n)), valid };
    case 'timestamp':
      return { ...input, values: states, valid };
    default:
      return { type: 'f64', values: states, valid };
  }
}

/**
 * The input templates of an aggregator's slots after it met `inputs` (rows `from … to - 1`): each slot's first
 * column, unless a later column that has values in those rows is wider (int32 < int64 < float64: a min of int32
 * rows and one of float64 rows is a float64, not a truncated int32), or the first was float64 without a value (how
 * an all-null column of rows typed per partition reads, or a partial state of a map task that met only nulls).
 *
 * @example
 * templates = metInputTemplates(templates, inputs, 0, batch.rows);
 */
export function metInputTemplates(
  templates: (Column | null)[] | null,
  inputs: readonly (SlotInput | null)[],
  from: number,
  to: number,
): (Column | null)[] {
  if (templates === null) return inputs.map((input) => input?.column ?? null);
  inputs.forEach((input, s) => {
    const t = templates[s];
    const c = input?.column;
    if (t == null || c == null || c.type === t.type) return;
    const untyped = t.type === 'f64' && allNull(t, t.values.length);
    const wider = (NUMBER_WIDTHS[c.type] ?? 0) > (NUMBER_WIDTHS[t.type] ?? Infinity);
    if ((untyped || wider) && !allNull(c, to, from)) templates[s] = c;
  });
  return templates;
}

/** How wide each number type is, for `metInputTemplates`; dates and timestamps are no numbers (never widened). */
const NUMBER_WIDTHS: Partial<Record<Column['type'], number>> = { i32: 1, i64: 2, f64: 3 };
