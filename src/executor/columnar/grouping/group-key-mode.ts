/**
 * How `HashAggregator` holds its grouping keys, chosen from the first batch's key columns, and how a table's keys
 * come back as columns of the types the user grouped by.
 */
import type { Batch, Column } from '../batches/batch.js';
import { allNull } from '../batches/batch.js';
import type { KeyCounts } from '../kernels/byte-key-counter.js';
import { ColumnarError } from '../error.js';
import { codedKindOf } from '../kernels/coded-tuple-keys.js';

/**
 * `utf8`: one string key in a byte-key table; `number`: one numeric key by value; `coded`: several string and
 * number keys coded column by column (two int32 or dictionary-read string keys of small ranges go through a
 * directory of pairs first, `kernels/dense-pair-groups.ts`, whose groups, keys and hashes are the coded keys');
 * `tuple`: any other keys as a byte encoding of the tuple; `counted-utf8`: whitespace tokens counted by the fused word
 * count (no group ids); `identity`: every row its own group, no table (the aggregator behind a pass-through).
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

/**
 * The type each key column of an aggregation's answer takes: the type of that key column in the input, as Spark,
 * DuckDB and Polars keep it (int32 keys stay int32, dates dates, …), decided from the key columns' types and never
 * from their values, so that every partition of one input answers in one type however its rows are spread:
 * - a float64 column with no value in the rows met types nothing (a block's Arrow `null` column, what a partition
 *   of only null keys typed per partition holds, reads as float64 nulls: `batches/blocks.ts`), unless no other column
 * came;   a column of any other type types the answer, values or not (a batch of no rows has its input's types);
 * - int32 and float64 columns met together (rows whose types were inferred per partition, `rdd.toDataset()`) answer
 *   float64, the type both fit, as `union` conforms them.
 * The map side sends its keys in their input type, so the reduce side meets the same types. Every key column of the
 * rows an aggregation groups goes through `meet`.
 *
 * @example
 * const types = new KeyTypes();
 * types.meet([id4Column], 0, rows);
 * types.templates; // [id4Column]: the answer's id4 is int32
 */
export class KeyTypes {
  /** Per key column, the column typing the answer so far: the first typed one, or a float64 one after int32. */
  private typed: (Column | null)[] | null = null;
  /** Per key column, the first column met: the answer's type when no other typed it. */
  private first: readonly Column[] | null = null;

  /** Takes the types of key columns `columns` whose rows `from … to - 1` are grouped. */
  meet(columns: readonly Column[], from: number, to: number): void {
    this.first ??= [...columns];
    const typed = (this.typed ??= columns.map(() => null));
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const held = typed[c] ?? null;
      // Only a first typed column, or a float64 one after int32, changes the type: nothing else is scanned.
      if (held !== null && !(held.type === 'i32' && column.type === 'f64')) continue;
      if (column.type !== 'f64' || !allNull(column, to, from)) typed[c] = column;
    }
  }

  /**
   * Per key column, a column of the type the answer's key takes (a date's or timestamp's unit and zone with it), or
   * null before any batch. With one batch met, its own key columns (the `identity` aggregation's rows).
   */
  get templates(): readonly Column[] | null {
    return this.first?.map((column, c) => this.typed![c] ?? column) ?? null;
  }
}

/**
 * A key column decoded from a table (numbers as float64) in the type of `template`, the answer's (`KeyTypes`):
 * int32 keys as int32 (every key the table holds came from an int32 column), dates as dates, timestamps as
 * timestamps of its unit and zone.
 */
export function retype(column: Column, template: Column | undefined): Column {
  if (column.type !== 'f64') return column;
  if (template?.type === 'i32') return { type: 'i32', values: new Int32Array(column.values), valid: column.valid };
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
 * Key columns of no rows, of the types of `keys`, the columns of batches of no rows (all an aggregation met): the
 * key columns of a result of no groups, typed as one with groups (`KeyTypes`).
 */
export function emptyKeyColumns(keys: readonly Column[]): Column[] {
  return keys.map((key): Column => {
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
