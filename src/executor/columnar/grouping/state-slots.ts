/**
 * The float64 state slots of `HashAggregator` for its own aggregates (count, sum, mean, min, max), laid out once
 * at construction: which input column each slot reads, how it accumulates, which slots share states, and where
 * each state lives in the block of a group's states side by side (`sideBySide`).
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import { partialColumns } from '../../../protocol/columnar.js';
import { isGroupAggregate } from '../aggregates/group-aggregate.js';
import { GroupStates, sideBySide, type Accumulate, type StateSlot } from './group-states.js';

/** The slots of one aggregation, and the per-group row counts when any aggregate counts on the map side. */
export interface StateSlots {
  readonly slots: StateSlot[];
  /**
   * Map side, when any aggregate counts: the rows of each group, counted in the fused pass (`addChunk`). Every
   * count derives from it: `count()` is it, `count(x)` (and a mean's count) is it less x's nulls in the group, so
   * columns without nulls need no count pass of their own.
   */
  readonly rowCounts: GroupStates | null;
}

/**
 * The slots of `aggregates` (those not served by `aggregates/`) on side `mode`. A group's row count and sums are
 * neighbours, in slot order (the fused pass updates them together), then its minima and maxima; the map side's
 * null counts of `count(x)`, touched only when x has nulls, each keep an array of their own.
 *
 * @example
 * const { slots, rowCounts } = stateSlotsOf([{ fn: 'mean', column: 'v1', name: 'v1' }], 'partial');
 */
export function stateSlotsOf(aggregates: readonly AggregateSpec[], mode: 'partial' | 'final'): StateSlots {
  const slots: StateSlot[] = [];
  let rowCounts: GroupStates | null = null;
  // `sum(x)` and `mean(x)` both add up x, `count(x)` and `mean(x)` both count x: one pass serves both.
  const slot = (column: string | null, name: string, accumulate: Accumulate): StateSlot => {
    const same = slots.find((s) => s.column === column && s.accumulate === accumulate);
    if (same !== undefined) return { column, name, accumulate, states: same.states, shared: true };
    // Map-side counts: `count()` is the row counts themselves; `count(x)` counts x's nulls (see `rowCounts`).
    if (accumulate === 'count') rowCounts ??= new GroupStates(0);
    if (accumulate === 'count' && column === null)
      return { column, name, accumulate, states: rowCounts!, shared: true };
    // A min starts at NaN, not Infinity: NaN is the largest number (Spark's order), which every value replaces, so
    // a group whose values are all NaN ends NaN (from Infinity it would end Infinity, a value it never saw).
    const initial = accumulate === 'min' ? Number.NaN : accumulate === 'max' ? -Infinity : 0;
    return { column, name, accumulate, states: new GroupStates(initial), shared: false };
  };
  aggregates.forEach((spec, i) => {
    if (isGroupAggregate(spec)) return;
    const partial = partialColumns(spec, i);
    // Map side reads the user's column; reduce side reads the partial column of the same state.
    const input = (name: string) => (mode === 'partial' ? spec.column : name);
    switch (spec.fn) {
      case 'count':
        slots.push(slot(input(partial[0]!), partial[0]!, mode === 'partial' ? 'count' : 'add'));
        break;
      case 'sum':
        slots.push(slot(input(partial[0]!), partial[0]!, 'add'));
        break;
      case 'mean':
        slots.push(slot(input(partial[0]!), partial[0]!, 'add'));
        // The count of a mean counts the column's non-null values (nulls are skipped by both halves).
        slots.push(slot(input(partial[1]!), partial[1]!, mode === 'partial' ? 'count' : 'add'));
        break;
      case 'min':
        slots.push(slot(input(partial[0]!), partial[0]!, 'min'));
        break;
      case 'max':
        slots.push(slot(input(partial[0]!), partial[0]!, 'max'));
        break;
    }
  });
  const own = (how: Accumulate) => slots.filter((s) => !s.shared && s.accumulate === how).map((s) => s.states);
  const counts: GroupStates | null = rowCounts;
  sideBySide([...(counts === null ? [] : [counts]), ...own('add'), ...own('min'), ...own('max')]);
  return { slots, rowCounts };
}

/** A map-side count slot's counts: the groups' rows, less the nulls the slot's column had in each. */
export function countsOf(slot: StateSlot, rowCounts: GroupStates, groups: number): Float64Array {
  const rows = rowCounts.column(groups);
  if (slot.column === null) return rows;
  const nulls = slot.states.column(groups);
  const counts = new Float64Array(groups);
  for (let g = 0; g < groups; g++) counts[g] = rows[g]! - nulls[g]!;
  return counts;
}
