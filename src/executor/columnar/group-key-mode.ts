/**
 * How `HashAggregator` holds its grouping keys, chosen from the first batch's key columns, and how a table's keys
 * come back as columns of the types the user grouped by.
 */
import type { Batch, Column } from './batch.js';
import type { KeyCounts } from './kernels/byte-key-counter.js';
import { ColumnarError } from './error.js';
import { codedKindOf } from './kernels/coded-tuple-keys.js';

/**
 * `utf8`: one string key in a byte-key table; `number`: one numeric key by value; `coded`: several string and
 * number keys coded column by column (two int32 or dictionary-read string keys of small ranges go through a
 * directory of pairs first, `dense-pair-groups.ts`, whose groups, keys and hashes are the coded keys'); `tuple`: any other keys as a byte encoding of the tuple; `counted-utf8`:
 * whitespace tokens counted by the fused word count (no group ids); `identity`: every row its own group, no table
 * (the aggregator behind a pass-through).
 */
export type GroupKeyMode = 'utf8' | 'number' | 'tuple' | 'coded' | 'counted-utf8' | 'identity';

/**
 * The key mode for rows whose key columns are `columns`.
 *
 * @example
 * chooseKeyMode([id1Column]); // 'utf8'
 */
export function chooseKeyMode(columns: readonly Column[]): 'utf8' | 'number' | 'tuple' | 'coded' {
  if (columns.length !== 1)
    return columns.length > 1 && columns.every((c) => codedKindOf(c) !== null) ? 'coded' : 'tuple';
  const type = columns[0]!.type;
  return type === 'utf8' ? 'utf8' : type === 'f64' || type === 'i32' ? 'number' : 'tuple';
}

/** An int32 column as float64 (the type a number key comes back in from a table). */
export function toFloat64(column: Extract<Column, { type: 'i32' }>, rows: number): Column {
  return { type: 'f64', values: Float64Array.from(column.values.subarray(0, rows)), valid: column.valid };
}

/**
 * A decoded key column in the type of the first batch's key column: dates and timestamps come back as float64
 * numbers from the tables. Int32 keys stay float64 (as they always have).
 */
export function retype(column: Column, template: Column | undefined): Column {
  if (column.type !== 'f64') return column;
  if (template?.type === 'date') return { type: 'date', values: Int32Array.from(column.values), valid: column.valid };
  if (template?.type === 'timestamp') return { ...template, values: column.values, valid: column.valid };
  return column;
}

/** The error of a key column whose type differs from the one the aggregation's key mode was chosen for. */
export function keyTypeChange(key: string, expected: string, found: string): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `groupBy(): key column '${key}' changed type between batches: expected ${expected}, found ${found}`,
  );
}

/** Validity of a single key column of `groups` groups: every group but the null group (`nullGroup`, or -1). */
export function keyValidity(nullGroup: number, groups: number): Uint8Array | undefined {
  if (nullGroup < 0) return undefined;
  const valid = new Uint8Array(groups).fill(1);
  valid[nullGroup] = 0;
  return valid;
}

/**
 * Key columns of no rows, typed as a result with groups types them (number keys come back from the tables as
 * float64): the key columns of an aggregation that met only batches of no rows, `keys` those batches' columns.
 */
export function emptyKeyColumns(keys: readonly Column[]): Column[] {
  return keys.map((key): Column => {
    if (key.type === 'i32' || key.type === 'f64') return { type: 'f64', values: new Float64Array(0) };
    if (key.type === 'utf8') {
      return { type: 'utf8', bytes: new Uint8Array(0), starts: new Int32Array(0), ends: new Int32Array(0) };
    }
    return { ...key, values: key.values.subarray(0, 0), valid: undefined } as Column;
  });
}

/**
 * `HashAggregator.result()` of the fused word count (`counted-utf8`): the counter's keys, then its counts once per
 * count slot (`slotNames`).
 */
export function countedResult(
  entries: KeyCounts,
  keys: readonly string[],
  slotNames: readonly string[],
): { batch: Batch; hashes: Int32Array } {
  const columns: Column[] = [{ type: 'utf8', bytes: entries.arena, starts: entries.starts, ends: entries.ends }];
  for (let i = 0; i < slotNames.length; i++) columns.push({ type: 'i32', values: entries.counts });
  return { batch: { rows: entries.size, names: [...keys, ...slotNames], columns }, hashes: entries.hashes };
}
