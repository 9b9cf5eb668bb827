/**
 * The output of a hash join (`hash-join.ts`): which columns it has and where each comes from (keys once, then the
 * left's columns, then the right's), gathered into a batch, or, when the join's rows are a task's collected result,
 * written from the row pairs straight into the result block (no gathered batches in between: they were the
 * largest garbage of a join's task and a second pass over every output value).
 */
import type { Block } from '../../protocol/block.js';
import type { JoinSpec } from '../../protocol/columnar.js';
import { assembleBlock } from '../../storage/block-layout.js';
import type { Batch, Column } from './batch.js';
import { columnOf, gatherColumn, gatherColumnOrNull } from './batch.js';
import { blockOfBatches, sameType } from './blocks.js';
import { chooseRows } from './choose-rows.js';
import { ColumnarError } from './error.js';
import { pendingGatheredParts, type GatheredPart } from './gathered-column.js';

/**
 * Output rows of a join not gathered yet: row i is `left` row `leftRows[i]` beside `right` row `rightRows[i]`
 * (-1: the missing side of an outer row, all nulls).
 */
export interface JoinPart {
  readonly left: Batch;
  readonly right: Batch;
  readonly leftRows: Int32Array;
  readonly rightRows: Int32Array;
  readonly count: number;
}

/** One output column of a part: `rows` of `column`, or the column as it is (null: every row once, in order). */
interface OutputColumn {
  readonly name: string;
  readonly column: Column;
  readonly rows: Int32Array | null;
}

/**
 * The part's rows as a batch (its columns gathered).
 *
 * @example
 * for (const part of joinParts(spec, left, right)) yield assembleJoinPart(spec, part);
 */
export function assembleJoinPart(spec: JoinSpec, part: JoinPart): Batch {
  const columns = outputColumns(spec, part);
  return {
    rows: part.count,
    names: columns.map((c) => c.name),
    columns: columns.map(({ column, rows }) =>
      rows === null
        ? column
        : hasMissing(rows, part.count)
          ? gatherColumnOrNull(column, rows, part.count)
          : gatherColumn(column, rows, part.count),
    ),
  };
}

/**
 * One result block of the rows of `parts` in order, each column written straight from the joined sides (the same
 * rows and values as `blockOfBatches` of the assembled parts). Parts whose columns differ in name or type (a side
 * whose batches were all empty, numbers of different widths) are assembled and concatenated instead.
 *
 * @example
 * const block = joinPartsBlock(spec, [...joinParts(spec, left, right)]);
 */
export function joinPartsBlock(spec: JoinSpec, parts: readonly JoinPart[]): Block {
  if (parts.length === 0) return blockOfBatches([]);
  const layouts = parts.map((part) => outputColumns(spec, part));
  const first = layouts[0]!;
  const agree = layouts.every(
    (layout) =>
      layout.length === first.length &&
      layout.every((c, i) => c.name === first[i]!.name && sameType(c.column, first[i]!.column)),
  );
  if (!agree) return blockOfBatches(parts.map((part) => assembleJoinPart(spec, part)));
  let rows = 0;
  for (const part of parts) rows += part.count;
  const pending = first.map((column, c) =>
    pendingGatheredParts(
      column.name,
      layouts.map((layout, p): GatheredPart => {
        const { column: source, rows: chosen } = layout[c]!;
        return { column: source, rows: chosen ?? identity(parts[p]!.count) };
      }),
    ),
  );
  return assembleBlock({ kind: 'object', fields: first.map((c) => c.name) }, rows, pending);
}

/** The part's output columns: keys once, then the left's other columns, then the right's. */
function outputColumns(spec: JoinSpec, part: JoinPart): OutputColumn[] {
  const { left, right, leftRows, rightRows, count } = part;
  const out: OutputColumn[] = [];
  const add = (name: string, column: Column, rows: Int32Array | null) => {
    if (out.some((c) => c.name === name)) {
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `join(): both sides have a column '${name}' that is not a join key: rename one with select(col('${name}').as(…))`,
      );
    }
    out.push({ name, column, rows });
  };
  // A side whose rows all come through once and in order (a left join's probe side, with unique keys on the
  // build side) is passed on as it is, without a copy.
  const leftChosen = isIdentity(leftRows, count, left.rows) ? null : leftRows;
  const rightChosen = isIdentity(rightRows, count, right.rows) ? null : rightRows;
  const fromLeft = (name: string) => add(name, columnOf(left, name, 'join()'), leftChosen);
  const fromRight = (name: string) => add(name, columnOf(right, name, 'join()'), rightChosen);
  if (spec.how === 'semi' || spec.how === 'anti') {
    left.names.forEach(fromLeft);
    return out;
  }
  const keyed = spec.how !== 'cross';
  if (keyed) {
    spec.leftKeys.forEach((name, k) => {
      const rightName = spec.rightKeys[k]!;
      // A side that met no batch with columns at all (every input empty) has no key column to read.
      if (left.names.length === 0) return add(name, columnOf(right, rightName, 'join()'), rightChosen);
      if (right.names.length === 0 || (spec.how !== 'right' && spec.how !== 'full')) return fromLeft(name);
      // The unmatched rows of the right side have their key on the right only.
      const gathered = (column: Column, rows: Int32Array | null) =>
        rows === null ? column : gatherColumnOrNull(column, rows, count);
      const pick = new Int32Array(count);
      for (let i = 0; i < count; i++) pick[i] = leftRows[i]! < 0 ? 1 : 0;
      const keys = [
        gathered(columnOf(left, name, 'join()'), leftChosen),
        gathered(columnOf(right, rightName, 'join()'), rightChosen),
      ];
      add(name, chooseRows(keys, pick, count, 'join()'), null);
    });
  }
  for (const name of left.names) if (!keyed || !spec.leftKeys.includes(name)) fromLeft(name);
  for (const name of right.names) if (!keyed || !spec.rightKeys.includes(name)) fromRight(name);
  return out;
}

/**
 * True when `rows` is 0, 1, … `total - 1`: every row of a side, once, in order.
 *
 * @example
 * isIdentity(Int32Array.of(0, 1, 2), 3, 3); // true
 */
export function isIdentity(rows: Int32Array, count: number, total: number): boolean {
  if (count !== total) return false;
  for (let i = 0; i < count; i++) if (rows[i] !== i) return false;
  return true;
}

/** True when some pair has no row on this side (-1: the unmatched side of an outer row). */
function hasMissing(rows: Int32Array, count: number): boolean {
  for (let i = 0; i < count; i++) if (rows[i]! < 0) return true;
  return false;
}

function identity(count: number): Int32Array {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = i;
  return rows;
}
