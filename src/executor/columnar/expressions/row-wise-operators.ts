/**
 * The row-wise operators of a columnar stage, one batch in and one batch out: `select` (with a `splitToRows`
 * generator, which makes more rows than it reads), `withColumn` and `filter`. `evaluate.ts` maps them over the
 * stage's batches.
 */
import type { NamedExpr } from '../../../protocol/columnar.js';
import { STAR } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { allNull, gatherBatch, gatherColumn } from '../batches/batch.js';
import { splitOnSeparator, splitOnWhitespace } from '../kernels/split-to-rows.js';
import { evaluateExpr, expectBool, expectUtf8 } from './expr.js';

/** The selected columns with `*` replaced by every column of the batch, in order. */
function expandStar(columns: readonly NamedExpr[], batch: Batch): readonly NamedExpr[] {
  const star = (c: NamedExpr) => c.name === STAR && c.expr.kind === 'col' && c.expr.name === STAR;
  if (!columns.some(star)) return columns;
  return columns.flatMap((c) =>
    star(c) ? batch.names.map((name): NamedExpr => ({ name, expr: { kind: 'col', name } })) : [c],
  );
}

/**
 * The batch's `selected` columns, `*` expanded to every column in order. With a `splitToRows` column, each input
 * row becomes one row per piece of its string, and the other columns repeat their row's value.
 *
 * @example
 * select(lines, [{ name: 'word', expr: { kind: 'split-to-rows', arg: { kind: 'col', name: 'value' }, separator: null } }]);
 */
export function select(batch: Batch, selected: readonly NamedExpr[]): Batch {
  const columns = expandStar(selected, batch);
  const generator = columns.findIndex((c) => c.expr.kind === 'split-to-rows');
  if (generator < 0) {
    return {
      rows: batch.rows,
      names: columns.map((c) => c.name),
      columns: columns.map((c) => evaluateExpr(c.expr, batch)),
    };
  }
  const split = columns[generator]!.expr as Extract<NamedExpr['expr'], { kind: 'split-to-rows' }>;
  const strings = expectUtf8(evaluateExpr(split.arg, batch), 'splitToRows()');
  const result =
    split.separator === null
      ? splitOnWhitespace(strings, batch.rows)
      : splitOnSeparator(strings, batch.rows, Buffer.from(split.separator, 'utf8'));
  const out: Column[] = columns.map((c, i) =>
    i === generator ? result.column : gatherColumn(evaluateExpr(c.expr, batch), result.parents, result.rows),
  );
  return { rows: result.rows, names: columns.map((c) => c.name), columns: out };
}

/**
 * The batch with `column` added, or replacing the column of its name in place (a `splitToRows` column makes more
 * rows, as in `select`).
 *
 * @example
 * withColumn(batch, { name: 'word', expr: { kind: 'lower', arg: { kind: 'col', name: 'word' } } }); // replaces it
 */
export function withColumn(batch: Batch, column: NamedExpr): Batch {
  if (column.expr.kind === 'split-to-rows') {
    const others = batch.names.filter((n) => n !== column.name).map((name) => ({ name, expr: { kind: 'col', name } }));
    return select(batch, [...(others as NamedExpr[]), column]);
  }
  const value = evaluateExpr(column.expr, batch);
  const index = batch.names.indexOf(column.name);
  if (index >= 0) {
    const columns = [...batch.columns];
    columns[index] = value;
    return { rows: batch.rows, names: batch.names, columns };
  }
  return { rows: batch.rows, names: [...batch.names, column.name], columns: [...batch.columns, value] };
}

/**
 * The rows of the batch whose `predicate` is true; a null condition drops its row (SQL WHERE). A predicate true for
 * every row returns the batch itself, not a copy.
 *
 * @example
 * filter(batch, { kind: 'is-null', arg: { kind: 'col', name: 'v3' }, negated: true }); // v3 IS NOT NULL
 */
export function filter(batch: Batch, predicate: NamedExpr['expr']): Batch {
  if (isNotNullOfNoNulls(batch, predicate)) return batch;
  const condition = evaluateExpr(predicate, batch);
  // A null condition drops the row (SQL WHERE); a column of only nulls drops every row.
  if (allNull(condition, batch.rows)) return gatherBatch(batch, new Int32Array(0), 0);
  const { values: keep, valid } = expectBool(condition, 'filter()');
  // A filter that keeps every row (q8's `v3 IS NOT NULL` over a column without nulls) returns the batch as it is,
  // found by one native scan: before, an index per row was written and counted to find that out.
  if (valid === undefined && keep.length >= batch.rows && !keep.subarray(0, batch.rows).includes(0)) return batch;
  const indices = new Int32Array(batch.rows);
  let count = 0;
  if (valid === undefined) {
    for (let i = 0; i < batch.rows; i++) if (keep[i] === 1) indices[count++] = i;
  } else {
    for (let i = 0; i < batch.rows; i++) if ((keep[i]! & valid[i]!) === 1) indices[count++] = i;
  }
  if (count === batch.rows) return batch;
  return gatherBatch(batch, indices, count);
}

/**
 * True for `col IS NOT NULL` over a column without a validity array: it keeps every row, so nothing is evaluated
 * (q8's `v3 IS NOT NULL`: a boolean per row, 5 MB per map task, written only to be read back as all true).
 */
function isNotNullOfNoNulls(batch: Batch, predicate: NamedExpr['expr']): boolean {
  if (predicate.kind !== 'is-null' || !predicate.negated || predicate.arg.kind !== 'col') return false;
  const at = batch.names.indexOf(predicate.arg.name);
  return at >= 0 && batch.columns[at]!.valid === undefined;
}
