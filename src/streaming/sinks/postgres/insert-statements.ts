import { columnsOf, quoteIdentifier, quoteTableName, rowOf, sqlValueOf, type SqlValue } from './sql-values.js';

/** One statement of a partition's transaction. */
export interface Statement {
  readonly text: string;
  readonly values: SqlValue[];
}

/** How rows land in the table. */
export type WriteMode =
  { readonly kind: 'append' } | { readonly kind: 'upsert'; readonly keyColumns: readonly string[] };

/** PostgreSQL's wire protocol takes at most 65,535 parameters per statement. */
const PARAMETERS_PER_STATEMENT_MAX = 65_535;
/** Rows per multi-row INSERT: larger statements gain little and hold more memory. */
const ROWS_PER_STATEMENT_MAX = 2_000;

/**
 * The multi-row INSERT statements that write `records` into `table` (`INSERT … VALUES ($1, $2), ($3, $4) …`; with
 * upsert `ON CONFLICT (keys) DO UPDATE SET` the other columns). PostgreSQL types each parameter from its target
 * column, so no column types are needed here. For upsert, a key that occurs twice keeps its last row: one
 * statement may not update a row twice.
 */
export function insertStatements(table: string, records: readonly unknown[], mode: WriteMode): Statement[] {
  let rows = records.map(rowOf);
  if (rows.length === 0) return [];
  if (mode.kind === 'upsert') rows = lastRowPerKey(rows, mode.keyColumns);
  const columns = columnsOf(rows);
  if (mode.kind === 'upsert') {
    for (const key of mode.keyColumns) {
      if (!columns.includes(key)) throw new TypeError(`upsert key column "${key}" is not a field of the records`);
    }
  }
  const head = `INSERT INTO ${quoteTableName(table)} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  const tail = conflictClause(columns, mode);
  const perStatement = Math.max(
    1,
    Math.min(ROWS_PER_STATEMENT_MAX, Math.floor(PARAMETERS_PER_STATEMENT_MAX / columns.length)),
  );
  const statements: Statement[] = [];
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: SqlValue[] = [];
    const tuples: string[] = [];
    for (const row of chunk) {
      const placeholders: string[] = [];
      for (const column of columns) {
        values.push(sqlValueOf(row[column]));
        placeholders.push(`$${values.length}`);
      }
      tuples.push(`(${placeholders.join(', ')})`);
    }
    statements.push({ text: head + tuples.join(', ') + tail, values });
  }
  return statements;
}

function conflictClause(columns: readonly string[], mode: WriteMode): string {
  if (mode.kind === 'append') return '';
  const keys = mode.keyColumns.map(quoteIdentifier).join(', ');
  const others = columns.filter((column) => !mode.keyColumns.includes(column));
  if (others.length === 0) return ` ON CONFLICT (${keys}) DO NOTHING`;
  const sets = others.map((column) => `${quoteIdentifier(column)} = EXCLUDED.${quoteIdentifier(column)}`);
  return ` ON CONFLICT (${keys}) DO UPDATE SET ${sets.join(', ')}`;
}

function lastRowPerKey(
  rows: readonly Record<string, unknown>[],
  keyColumns: readonly string[],
): Record<string, unknown>[] {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const key = JSON.stringify(keyColumns.map((column) => sqlValueOf(row[column])));
    byKey.delete(key); // re-inserted below: the row keeps the position of its last occurrence
    byKey.set(key, row);
  }
  return [...byKey.values()];
}
