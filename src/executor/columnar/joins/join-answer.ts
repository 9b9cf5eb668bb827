/**
 * The answer of a hash join for a set of row pairs: the key columns once, then the left side's columns, then the
 * right's, each gathered at its side's rows (or passed on whole, or taken from the packed build side's gathers).
 */
import type { JoinSpec } from '../../../protocol/columnar.js';
import type { Batch, Column, Utf8Column } from '../batches/batch.js';
import { columnOf, gatherColumn, gatherColumnOrNull } from '../batches/batch.js';
import { chooseRows } from '../expressions/choose-rows.js';
import { dictionaryOf, gatherDictionaryColumn } from '../batches/dictionary-column.js';
import { ColumnarError } from '../error.js';
import { hasMissing, isIdentity, type Pairs } from './join-pairs.js';

/**
 * The output rows of `pairs` (probe index first): keys once, then the left's columns, then the right's.
 * `prepared` holds build columns already gathered at `pairs.build` (from packed rows), keyed by source column.
 */
export function assemble(
  spec: JoinSpec,
  left: Batch,
  right: Batch,
  pairs: Pairs,
  buildLeft: boolean,
  prepared: Map<Column, Column> | null = null,
): Batch {
  const count = pairs.count;
  const leftRows = buildLeft ? pairs.build : pairs.probe;
  const rightRows = buildLeft ? pairs.probe : pairs.build;
  const names: string[] = [];
  const columns: Column[] = [];
  const add = (name: string, column: Column) => {
    if (names.includes(name)) {
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `join(): both sides have a column '${name}' that is not a join key: rename one with select(col('${name}').as(…))`,
      );
    }
    names.push(name);
    columns.push(column);
  };
  const leftWhole = isIdentity(leftRows, count, left.rows);
  const rightWhole = isIdentity(rightRows, count, right.rows);
  // A side whose rows all come through once and in order (a left join's probe side, with unique keys on the
  // build side) is passed on as it is, without a copy.
  const leftNulls = !leftWhole && hasMissing(leftRows, count);
  const rightNulls = !rightWhole && hasMissing(rightRows, count);
  const side = (batch: Batch, name: string, rows: Int32Array) => {
    const column = columnOf(batch, name, 'join()');
    const isLeft = batch === left;
    if (isLeft ? leftWhole : rightWhole) return column;
    // Only for the build side's rows (a self-join's two sides may be one batch, with the same columns).
    const ready = rows === pairs.build ? prepared?.get(column) : undefined;
    if (ready !== undefined) return ready;
    // A dictionary-read string column stays one: its codes gathered, not per-row starts/ends of every source row.
    const coded = dictionaryOf(column);
    if (coded !== undefined) return gatherDictionaryColumn(column as Utf8Column, coded, rows, count);
    return (isLeft ? leftNulls : rightNulls)
      ? gatherColumnOrNull(column, rows, count)
      : gatherColumn(column, rows, count);
  };
  if (spec.how === 'semi' || spec.how === 'anti') {
    left.names.forEach((name) => add(name, side(left, name, leftRows)));
    return { rows: count, names, columns };
  }
  const keyed = spec.how !== 'cross';
  if (keyed) {
    spec.leftKeys.forEach((name, k) => {
      // A side that met no batch with columns at all (every input empty) has no key column to read.
      if (left.names.length === 0) return add(name, side(right, spec.rightKeys[k]!, rightRows));
      const fromLeft = side(left, name, leftRows);
      if (right.names.length === 0) return add(name, fromLeft);
      if (spec.how !== 'right' && spec.how !== 'full') return add(name, fromLeft);
      // The unmatched rows of the right side have their key on the right only.
      const fromRight = side(right, spec.rightKeys[k]!, rightRows);
      const pick = new Int32Array(count);
      for (let i = 0; i < count; i++) pick[i] = leftRows[i]! < 0 ? 1 : 0;
      add(name, chooseRows([fromLeft, fromRight], pick, count, 'join()'));
    });
  }
  for (const name of left.names) if (!keyed || !spec.leftKeys.includes(name)) add(name, side(left, name, leftRows));
  for (const name of right.names) if (!keyed || !spec.rightKeys.includes(name)) add(name, side(right, name, rightRows));
  return { rows: count, names, columns };
}
