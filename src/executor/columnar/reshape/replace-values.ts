/**
 * `replace` (Spark's `na.replace` / `df.replace`): in each chosen column whose type takes the values being replaced
 * (strings: string columns; numbers: int32, int64 and float64 columns; booleans: bool columns), every value equal to
 * one of them becomes its replacement. Each column is evaluated as `when(c = from, to) … otherwise(c)`, so the
 * existing comparison and selection kernels do the work; a number column keeps its type (a replacement is cast to
 * it, as Spark does), and int64 columns compare and take bigints, so values past 2^53 stay exact.
 */
import type { ReplaceOp } from '../../../protocol/columnar-reshape.js';
import type { ColumnExpr, DataTypeName, LiteralValue } from '../../../protocol/columnar.js';
import type { Batch, Column } from '../batches/batch.js';
import { columnOf } from '../batches/batch.js';
import { evaluateExpr } from '../expressions/expr.js';

const NUMBER_TYPES: Readonly<Partial<Record<Column['type'], DataTypeName>>> = {
  i32: 'int32',
  i64: 'int64',
  f64: 'float64',
};

/**
 * `batch` with the values of `op` replaced in its columns (`op.columns`, or every column) of a type that takes them.
 *
 * @example
 * replaceValues(batch, { kind: 'replace', pairs: [{ from: 'N/A', to: null }], columns: null });
 */
export function replaceValues(batch: Batch, op: ReplaceOp): Batch {
  const chosen = op.columns ?? batch.names;
  for (const name of chosen) columnOf(batch, name, 'replace()');
  const columns = batch.columns.map((column, i): Column => {
    const name = batch.names[i]!;
    if (!chosen.includes(name) || !takes(column, op.pairs[0]!.from)) return column;
    const c: ColumnExpr = { kind: 'col', name };
    const literal = (value: LiteralValue): ColumnExpr => ({ kind: 'lit', value: asColumnValue(column, value) });
    // An int64 column cannot hold a fraction: a pair replacing one never matches there.
    const pairs = op.pairs.filter(({ from }) => column.type !== 'i64' || Number.isInteger(from));
    if (pairs.length === 0) return column;
    const branches = pairs.map(({ from, to }) => ({
      when: { kind: 'binary', op: '==', left: c, right: literal(from) } satisfies ColumnExpr,
      then: literal(to),
    }));
    const replaced: ColumnExpr = { kind: 'when', branches, otherwise: c };
    const type = NUMBER_TYPES[column.type];
    return evaluateExpr(type === undefined ? replaced : { kind: 'cast', arg: replaced, to: type }, batch);
  });
  return { ...batch, columns };
}

function takes(column: Column, value: LiteralValue): boolean {
  if (typeof value === 'string') return column.type === 'utf8';
  if (typeof value === 'boolean') return column.type === 'bool';
  return NUMBER_TYPES[column.type] !== undefined;
}

/** A number as an int64 column's bigint (truncated, as a cast), else the value as it is. */
function asColumnValue(column: Column, value: LiteralValue): LiteralValue {
  if (column.type !== 'i64' || typeof value !== 'number' || !Number.isFinite(value)) return value;
  return BigInt(Math.trunc(value));
}
