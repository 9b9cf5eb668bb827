/**
 * Per-group aggregate states of `HashAggregator` and the passes that update them: one float64 state per group and
 * aggregate (sum, count, min, max; mean is a sum and a count), updated column by column from a chunk's group ids.
 */
import type { Batch, Column } from './batch.js';
import { columnOf } from './batch.js';
import { ColumnarError } from './error.js';

/**
 * One float64 state per group, growing with the groups.
 *
 * @example
 * const sums = new GroupStates(0);
 * sums.ensure(100_000);
 */
export class GroupStates {
  values: Float64Array;
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
  }
}

/** How one aggregate updates its states from one input column. */
export type Accumulate = 'add' | 'min' | 'max' | 'count';

export interface StateSlot {
  readonly column: string | null;
  readonly name: string;
  readonly accumulate: Accumulate;
  readonly states: GroupStates;
  /** True when an earlier slot accumulates the same column the same way into these very states. */
  readonly shared: boolean;
}

/** The column a slot reads (checked numeric), or null for a count. */
export function inputOf(slot: StateSlot, batch: Batch): Float64Array | Int32Array | null {
  if (slot.accumulate === 'count') return null;
  const column = columnOf(batch, slot.column!, 'agg()');
  if (column.type !== 'f64' && column.type !== 'i32') {
    throw new ColumnarError(
      'ERR_COLUMNAR_TYPE',
      `agg(): expected a numeric column '${slot.column}' to aggregate, found a ${column.type} column`,
    );
  }
  return column.values;
}

/** Updates `slot`'s states from rows `from … to - 1` of `values`, whose groups are `ids[0 …]`. */
export function accumulate(
  slot: StateSlot,
  values: Float64Array | Int32Array | null,
  ids: Int32Array,
  from: number,
  to: number,
): void {
  const states = slot.states.values;
  if (values === null) {
    for (let i = 0; i < to - from; i++) {
      const g = ids[i]!;
      states[g] = states[g]! + 1;
    }
    return;
  }
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
