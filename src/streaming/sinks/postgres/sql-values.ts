import { describeValue } from '../../../common/describe-value.js';

/**
 * How a stream's records become table rows, and how their values become SQL parameters (the documented mapping of
 * the PostgreSQL sink; the README repeats it):
 *
 * - a plain object is a row, its fields are the columns (a field a row lacks is NULL);
 * - a pair `[key, value]` is the row `{ key, value }`; any other value is the row `{ value }`;
 * - `null`/`undefined` → NULL; number → number (integer, numeric or float columns; NaN and ±Infinity for floats);
 *   bigint → its decimal text (bigint, numeric); string → text; boolean → boolean; `Date` → timestamptz;
 *   `Uint8Array`/`Buffer` → bytea; anything else (objects, arrays) → its JSON text (json, jsonb).
 */
export type SqlValue = null | number | string | boolean | Date | Buffer;

/** One record as named column values. */
export function rowOf(record: unknown): Record<string, unknown> {
  if (Array.isArray(record) && record.length === 2) return { key: record[0], value: record[1] };
  if (typeof record === 'object' && record !== null && !Array.isArray(record) && !(record instanceof Date)) {
    if (!(record instanceof Uint8Array)) return record as Record<string, unknown>;
  }
  return { value: record };
}

/** A JS value as a parameter `pg` sends unchanged (arrays are sent as JSON, not as PostgreSQL arrays). */
export function sqlValueOf(value: unknown): SqlValue {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      if (value instanceof Date) return value;
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return toJson(value);
    default:
      return toJson(value);
  }
}

function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  if (text === undefined) throw new TypeError(`cannot write ${describeValue(value)} to PostgreSQL as JSON`);
  return text;
}

/** The columns of `rows` in first-seen order. */
export function columnsOf(rows: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row)) seen.add(name);
  return [...seen];
}

/** An identifier quoted for SQL (`"my ""table"""`); `schema.table` is quoted part by part. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A table name as given (`events` or `schema.events`, case kept as written) quoted for SQL part by part. */
export function quoteTableName(table: string): string {
  return table.split('.').map(quoteIdentifier).join('.');
}
