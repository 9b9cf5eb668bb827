/**
 * `min` / `max` of string columns. The planner cannot know a column's type (a dataset's schema is known only once it
 * runs), so `min(x)` and `max(x)` start as float64 state slots of `HashAggregator`; the first batch whose slot input
 * is a string column moves the aggregate to a `FirstLast` in `minString` / `maxString` mode (the smallest / largest
 * string, UTF-16 order as `orderBy`), which then gives its partial column (same name) or its answer. Map side, the
 * input is the user's column; reduce side, the partial column, strings from each map side that met strings. A slot
 * that met only nulls before (a map side of no rows sends float64 nulls) loses nothing in the move.
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import { partialColumns } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import type { StateSlot } from '../grouping/group-states.js';
import { FirstLast } from './first-last.js';
import type { GroupAggregate } from './group-aggregate.js';

/**
 * Moves each min / max slot whose input column in `batch` holds strings out of `slots` (and its entry out of
 * `templates`, kept index for index) into `extras`, under its aggregate's index.
 *
 * @example
 * moveStringExtremes(batch, this.slots, this.inputTemplates, this.extras, this.aggregates);
 */
export function moveStringExtremes(
  batch: Batch,
  slots: StateSlot[],
  templates: (Column | null)[] | null,
  extras: Map<number, GroupAggregate>,
  aggregates: readonly AggregateSpec[],
): void {
  for (let s = slots.length - 1; s >= 0; s--) {
    const slot = slots[s]!;
    if ((slot.accumulate !== 'min' && slot.accumulate !== 'max') || slot.column === null) continue;
    const at = batch.names.indexOf(slot.column);
    if (at < 0 || batch.columns[at]!.type !== 'utf8') continue;
    const index = aggregates.findIndex(
      (spec, i) => (spec.fn === 'min' || spec.fn === 'max') && partialColumns(spec, i)[0] === slot.name,
    );
    extras.set(index, new FirstLast(slot.accumulate === 'min' ? 'minString' : 'maxString', true, slot.column));
    slots.splice(s, 1);
    templates?.splice(s, 1);
  }
}

/**
 * True when some min / max slot may still meet strings: the check `moveStringExtremes` makes per batch is then
 * needed at all.
 */
export function hasExtremeSlots(slots: readonly StateSlot[]): boolean {
  return slots.some((slot) => slot.accumulate === 'min' || slot.accumulate === 'max');
}
