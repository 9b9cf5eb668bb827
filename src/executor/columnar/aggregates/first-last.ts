/**
 * `first` and `last`: per group, the value of the first (last) row in the order rows reach the aggregation: a map
 * task meets its partition's rows in order, and the reduce task merges the map tasks' partial values in
 * map-partition order, so the result is the value of the first (last) row of the group in partition order, then
 * row order: deterministic for a given plan and input (as Spark, it depends on partitioning; sort into one
 * partition first to make it mean "smallest"). Nulls count as values unless `ignoreNulls` (Spark's default).
 * States are (column, row) references into the input columns met so far; any column type is kept as it is.
 * The same states serve `min` / `max` of strings (modes `minString` / `maxString`, see `string-extremes.ts`: the
 * smallest / largest string per group, in UTF-16 order as `orderBy`; nulls skipped): a row replaces its group's
 * value when it orders before (after) it.
 */
import type { Batch, Column, Utf8Column } from '../batches/batch.js';
import { allNull, columnOf, gatherColumn, gatherColumnOrNull } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import type { GroupAggregate } from './group-aggregate.js';
import { grownInt32 } from './state-arrays.js';
import { ColumnarError } from '../error.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';
import { compareUtf8 } from '../kernels/utf8-strings.js';

/** Input columns kept before their referenced rows are copied into one column (bounds what is held). */
const KEPT_COLUMNS_MAX = 64;

/** The first or last value per group, or the smallest or largest string. */
export class FirstLast implements GroupAggregate {
  private readonly last: boolean;
  /** For `minString` / `maxString`: the sign of `compareUtf8(row, kept)` that replaces the kept value. */
  private readonly replacingSign: -1 | 1 | 0;
  private readonly fn: string;
  private readonly ignoreNulls: boolean;
  private readonly input: string;
  /** Columns that states refer to; `columnOf[g]` indexes them (-1: no value yet), `rowOf[g]` is the row. */
  private kept: Column[] = [];
  private columnOfGroup: Int32Array = new Int32Array(1024).fill(-1);
  private rowOf: Int32Array = new Int32Array(1024);

  constructor(fn: 'first' | 'last' | 'minString' | 'maxString', ignoreNulls: boolean, input: string) {
    this.fn = fn;
    this.last = fn === 'last';
    this.replacingSign = fn === 'minString' ? -1 : fn === 'maxString' ? 1 : 0;
    this.ignoreNulls = ignoreNulls || this.replacingSign !== 0;
    this.input = input;
  }

  add(batch: Batch, ids: Int32Array, from: number, to: number, groups: number): void {
    this.columnOfGroup = grownInt32(this.columnOfGroup, groups, -1);
    this.rowOf = grownInt32(this.rowOf, groups);
    const column = columnOf(batch, this.input, 'agg()');
    if (this.kept[this.kept.length - 1] !== column) {
      if (this.kept.length === KEPT_COLUMNS_MAX) this.compact(groups);
      this.kept.push(column);
    }
    const c = this.kept.length - 1;
    const skip = this.ignoreNulls ? column.valid : undefined;
    const owner = this.columnOfGroup;
    if (this.replacingSign !== 0) return this.addExtremes(column, c, skip, ids, from, to);
    for (let i = from; i < to; i++) {
      if (skip !== undefined && skip[i] === 0) continue;
      const g = ids[i - from]!;
      if (this.last || owner[g] === -1) {
        owner[g] = c;
        this.rowOf[g] = i;
      }
    }
  }

  /** `minString` / `maxString`: each row replaces its group's value when it orders before (after) it. */
  private addExtremes(
    column: Column,
    c: number,
    skip: Uint8Array | undefined,
    ids: Int32Array,
    from: number,
    to: number,
  ): void {
    if (column.type !== 'utf8') {
      // A global aggregation of no rows merges one partial row of nulls (`emptyPartialRow`), typed float64.
      if (allNull(column, to, from)) return;
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `${this.fn === 'minString' ? 'min' : 'max'}(): the column holds strings in some rows and ` +
          `${CAST_TYPE_NAMES[column.type]} values in others; cast it to one type first`,
      );
    }
    const owner = this.columnOfGroup;
    const { bytes, starts, ends } = column;
    for (let i = from; i < to; i++) {
      if (skip !== undefined && skip[i] === 0) continue;
      const g = ids[i - from]!;
      const o = owner[g]!;
      if (o !== -1) {
        const kept = this.kept[o] as Utf8Column;
        const k = this.rowOf[g]!;
        const order = compareUtf8(bytes, starts[i]!, ends[i]!, kept.bytes, kept.starts[k]!, kept.ends[k]!);
        if (Math.sign(order) !== this.replacingSign) continue;
      }
      owner[g] = c;
      this.rowOf[g] = i;
    }
  }

  /** The referenced rows copied into one column (row g for group g), which replaces every kept column. */
  private compact(groups: number): void {
    const values = this.values(groups);
    const owner = this.columnOfGroup;
    for (let g = 0; g < groups; g++) {
      if (owner[g] === -1) continue;
      owner[g] = 0;
      this.rowOf[g] = g;
    }
    this.kept = [values];
  }

  /** Per group, its value (null for a group with none). */
  private values(groups: number): Column {
    const owner = this.columnOfGroup;
    // Gather each kept column's referenced rows, concatenate the pieces, then put them in group order.
    const pieces: Batch[] = [];
    const position = new Int32Array(groups).fill(-1);
    let at = 0;
    this.kept.forEach((column, c) => {
      const rows = new Int32Array(groups);
      let n = 0;
      for (let g = 0; g < groups; g++) {
        if (owner[g] !== c) continue;
        rows[n++] = this.rowOf[g]!;
        position[g] = at++;
      }
      if (n > 0) pieces.push({ rows: n, names: ['v'], columns: [gatherColumn(column, rows, n)] });
    });
    const all = concatBatches(pieces);
    // No group has a value (only nulls, skipped, or no groups): nulls of the input's type, where a column came.
    const typed = all?.columns[0] ?? this.kept[this.kept.length - 1];
    if (typed === undefined) return { type: 'f64', values: new Float64Array(groups), valid: new Uint8Array(groups) };
    return gatherColumnOrNull(typed, position, groups);
  }

  partial(groups: number): Column[] {
    return [this.values(groups)];
  }

  final(groups: number): Column {
    return this.values(groups);
  }
}
