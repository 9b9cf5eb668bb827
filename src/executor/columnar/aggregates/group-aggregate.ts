/**
 * Aggregates whose state is more than one float64 per group, beside `HashAggregator`'s own slots (count, sum,
 * mean, min, max): variance and standard deviation, `corr`, `countDistinct`, `median` / `quantile`, `first` /
 * `last` (and `min` / `max` of strings, moved here when met: `string-extremes.ts`). Each keeps its per-group
 * state, adds a chunk of rows from their group ids, gives partial state columns on the map side, and on the reduce
 * side merges those columns and gives the final column. The partial columns' names come from `partialColumns`, so
 * both sides of a shuffle agree.
 */
import type { AggregateSpec } from '../../../protocol/columnar.js';
import { partialColumns } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { FirstLast } from './first-last.js';
import { Moments } from './moments.js';
import { ValueLists } from './value-lists.js';

/** One aggregate's states over the groups of one `HashAggregator`. */
export interface GroupAggregate {
  /**
   * Adds rows `from … to - 1` of `batch`, whose groups are `ids[0 …]`; `groups` is the group count after this
   * chunk (states grow to it).
   */
  add(batch: Batch, ids: Int32Array, from: number, to: number, groups: number): void;
  /** Map side: the partial state columns of the first `groups` groups, named by `partialColumns`. */
  partial(groups: number): Column[];
  /** Reduce side: the aggregate's column over the first `groups` groups. */
  final(groups: number): Column;
}

/**
 * One row in which every partial column of `aggregates` is null: merged into a global aggregation that met no
 * rows, it makes the one row SQL gives (counts 0, everything else null).
 */
export function emptyPartialRow(aggregates: readonly AggregateSpec[]): Batch {
  const names = aggregates.flatMap((spec, i) => partialColumns(spec, i));
  const columns = names.map((): Column => ({ type: 'f64', values: new Float64Array(1), valid: new Uint8Array(1) }));
  return { rows: 1, names, columns };
}

/** True for the functions served here rather than by `HashAggregator`'s float64 slots. */
export function isGroupAggregate(spec: AggregateSpec): boolean {
  return !['count', 'sum', 'mean', 'min', 'max'].includes(spec.fn);
}

/**
 * The states of aggregate `index`: on the map side (`partial`) they read the user's columns, on the reduce side
 * (`final`) the partial columns the map side wrote.
 *
 * @example
 * const agg = makeGroupAggregate({ fn: 'stddev', column: 'x', name: 'stddev(x)' }, 0, 'partial');
 */
export function makeGroupAggregate(spec: AggregateSpec, index: number, mode: 'partial' | 'final'): GroupAggregate {
  const names = partialColumns(spec, index);
  const inputs = mode === 'partial' ? [spec.column!, ...(spec.others ?? [])] : names;
  switch (spec.fn) {
    case 'stddev':
    case 'variance':
    case 'stddevPop':
    case 'varPop':
    case 'corr':
      return new Moments(spec.fn, mode, inputs);
    case 'countDistinct':
    case 'median':
    case 'quantile':
      return new ValueLists(spec, mode, inputs);
    case 'first':
    case 'last':
      return new FirstLast(spec.fn, spec.ignoreNulls === true, inputs[0]!);
    default:
      throw new ColumnarError('ERR_COLUMNAR_UNSUPPORTED', `agg(): ${spec.fn} is not a group aggregate`);
  }
}
