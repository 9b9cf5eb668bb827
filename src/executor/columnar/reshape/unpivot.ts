/**
 * `unpivot` / `melt`: each input row becomes one row per value column, in the value columns' order (Spark's
 * `Expand`): the id columns repeated, the value column's name, and its value. One pass per batch with gathers, no
 * JS value per row: the names are views of one small buffer, the values one concatenation of the value columns.
 */
import type { UnpivotOp } from '../../../protocol/columnar-reshape.js';
import { CAST_TYPE_NAMES, NUMERIC_TYPE_RANK, type BatchTypeName } from '../../../protocol/columnar-reshape.js';
import { allNull, columnOf, gatherColumn, type Batch, type Column } from '../batches/batch.js';
import { concatBatches } from '../batches/concat-batches.js';
import { ColumnarError } from '../error.js';

/**
 * The unpivoted rows of `batch`.
 *
 * @example
 * unpivot(batch, { kind: 'unpivot', ids: ['id'], values: ['q1', 'q2'], variable: 'quarter', value: 'sales' });
 */
export function unpivot(batch: Batch, op: UnpivotOp): Batch {
  const n = op.values.length;
  const rows = batch.rows * n;
  const ids = op.ids.map((name) => columnOf(batch, name, 'unpivot()'));
  const values = op.values.map((name) => columnOf(batch, name, 'unpivot()'));
  checkValueTypes(values, op.values, batch.rows);
  // Output row r × n + j is input row r's value column j: a gather of the value columns laid end to end.
  const stacked = concatBatches(values.map((column) => ({ rows: batch.rows, names: ['v'], columns: [column] })))!;
  const ofRow = new Int32Array(rows);
  const ofValue = new Int32Array(rows);
  const names = Buffer.from(op.values.join(''), 'utf8');
  const nameStarts = new Int32Array(n + 1);
  op.values.forEach((name, j) => (nameStarts[j + 1] = nameStarts[j]! + Buffer.byteLength(name, 'utf8')));
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  for (let r = 0, o = 0; r < batch.rows; r++) {
    for (let j = 0; j < n; j++, o++) {
      ofRow[o] = r;
      ofValue[o] = j * batch.rows + r;
      starts[o] = nameStarts[j]!;
      ends[o] = nameStarts[j + 1]!;
    }
  }
  const variable: Column = { type: 'utf8', bytes: names, starts, ends };
  return {
    rows,
    names: [...op.ids, op.variable, op.value],
    columns: [
      ...ids.map((c) => gatherColumn(c, ofRow, rows)),
      variable,
      gatherColumn(stacked.columns[0]!, ofValue, rows),
    ],
  };
}

/** The value columns must share a type (numbers of different types widen; a column of only nulls takes any). */
function checkValueTypes(columns: readonly Column[], names: readonly string[], rows: number): void {
  const typed = columns
    .map((c, i) => ({ type: c.type as BatchTypeName, name: names[i]! }))
    .filter((_, i) => !allNull(columns[i]!, rows));
  const first = typed[0];
  if (first === undefined) return;
  const numeric = (type: BatchTypeName) => NUMERIC_TYPE_RANK[type] !== undefined;
  const fits = typed.every((t) => t.type === first.type || (numeric(t.type) && numeric(first.type)));
  if (fits) return;
  const other = typed.find((t) => t.type !== first.type)!.name;
  throw new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `unpivot(): the value columns must share a type, found ${typed.map((t) => `'${t.name}' ${CAST_TYPE_NAMES[t.type]}`).join(', ')}; ` +
      `cast them to one type first, e.g. withColumn('${other}', col('${other}').cast('${CAST_TYPE_NAMES[first.type]}'))`,
  );
}
