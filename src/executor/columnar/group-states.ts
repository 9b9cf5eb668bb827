/**
 * Per-group aggregate states of `HashAggregator` and the passes that update them: one float64 state per group and
 * aggregate (sum, count, min, max; mean is a sum and a count), updated column by column from a chunk's group ids.
 * Nulls are skipped (SQL): a state whose input ever held a null also tracks which groups saw a value, so a group
 * with none gives null. Inputs without nulls take the original loops, untouched.
 */
import type { Batch, Column } from './batch.js';
import { columnOf } from './batch.js';
import { ColumnarError } from './error.js';

/**
 * One float64 state per group, growing with the groups, and (once a null was met) which groups saw a value.
 *
 * @example
 * const sums = new GroupStates(0);
 * sums.ensure(100_000);
 */
export class GroupStates {
  values: Float64Array;
  /** Per group, 1 once a non-null value was added; null while every input row had a value. */
  seen: Uint8Array | null = null;
  private readonly initial: number;
  constructor(initial: number) {
    this.initial = initial;
    this.values = new Float64Array(1024).fill(initial);
  }
  ensure(groups: number): void {
    if (groups <= this.values.length) return;
    const next = new Float64Array(Math.max(groups, this.values.length * 2)).fill(this.initial);
    next.set(this.values);
    this.values = next;
    if (this.seen !== null) {
      const seen = new Uint8Array(next.length);
      seen.set(this.seen);
      this.seen = seen;
    }
  }
  /** Starts tracking `seen`: the first `groups` groups got only values so far. */
  trackSeen(groups: number): void {
    if (this.seen !== null) return;
    this.seen = new Uint8Array(this.values.length);
    this.seen.fill(1, 0, groups);
  }
  /** Which of the first `groups` groups have a value (undefined: all of them). */
  validity(groups: number): Uint8Array | undefined {
    return this.seen === null ? undefined : this.seen.subarray(0, groups);
  }
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

/** What a slot reads from one batch: numbers (null for a count) and their validity. */
export interface SlotInput {
  readonly values: Float64Array | Int32Array | null;
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
    case 'f64':
    case 'i32':
      return { values: column.values, valid: column.valid, column };
    case 'date':
    case 'timestamp':
      if (slot.accumulate === 'add') {
        throw new ColumnarError(
          'ERR_COLUMNAR_TYPE',
          `agg(): cannot add up the ${column.type} column '${slot.column}' (min, max and count take it)`,
        );
      }
      return { values: column.values, valid: column.valid, column };
    case 'i64': {
      const values = new Float64Array(column.values.length);
      for (let i = 0; i < values.length; i++) values[i] = Number(column.values[i]!);
      return { values, valid: column.valid, column };
    }
    default:
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `agg(): expected a numeric column '${slot.column}' to aggregate, found a ${column.type} column`,
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
  const states = slot.states.values;
  const { values, valid } = input;
  if (values === null) {
    // A count: `count(x)` keeps the nulls of x per group (its count is the group's rows less them, see
    // `HashAggregator`'s row counts), so a column without nulls costs no pass at all.
    if (valid === undefined) return;
    for (let i = from; i < to; i++) {
      const g = ids[i - from]!;
      states[g] = states[g]! + (valid[i]! ^ 1);
    }
    return;
  }
  if (valid !== undefined) slot.states.trackSeen(groupsBefore);
  const seen = slot.states.seen;
  if (seen !== null) return accumulateNullable(slot.accumulate, states, seen, values, valid, ids, from, to);
  switch (slot.accumulate) {
    case 'add':
      for (let i = from; i < to; i++) {
        const g = ids[i - from]!;
        states[g] = states[g]! + values[i]!;
      }
      return;
    case 'min':
      for (let i = from; i < to; i++) {
        const g = ids[i - from]!;
        const m = states[g]!;
        const v = values[i]!;
        // As Math.min: NaN wins and stays.
        if (m === m && (v < m || v !== v)) states[g] = v;
      }
      return;
    case 'max':
      for (let i = from; i < to; i++) {
        const g = ids[i - from]!;
        const m = states[g]!;
        const v = values[i]!;
        if (m === m && (v > m || v !== v)) states[g] = v;
      }
      return;
  }
}

/** `accumulate` for inputs that hold (or held) nulls: skips them and marks the groups that saw a value. */
function accumulateNullable(
  how: Accumulate,
  states: Float64Array,
  seen: Uint8Array,
  values: Float64Array | Int32Array,
  valid: Uint8Array | undefined,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  for (let i = from; i < to; i++) {
    if (valid !== undefined && valid[i] === 0) continue;
    const g = ids[i - from]!;
    const v = values[i]!;
    const m = states[g]!;
    seen[g] = 1;
    if (how === 'add') states[g] = m + v;
    else if (how === 'min') {
      if (m === m && (v < m || v !== v)) states[g] = v;
    } else if (m === m && (v > m || v !== v)) states[g] = v;
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
 * Min or max states as a column of the input's type where that type is a date or timestamp (Spark keeps it), else
 * float64; `valid` marks the groups that saw a value.
 */
export function extremeColumn(states: Float64Array, valid: Uint8Array | undefined, input: Column | null): Column {
  if (input?.type === 'date') return { type: 'date', values: Int32Array.from(states), valid };
  if (input?.type === 'timestamp') return { ...input, values: states, valid };
  return { type: 'f64', values: states, valid };
}
