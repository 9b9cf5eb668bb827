/**
 * One column whose row i is row i of `columns[pick[i]]` (null where `pick[i]` is -1): the kernel behind
 * `coalesce` and `when().otherwise()`. The sources must agree on a type; numbers of mixed types widen to float64,
 * and a source that is all null (a `lit(null)`) takes the type of the others; with no value in the batch at all,
 * the first source that is not float64 gives the type.
 */
import type { Column, FixedColumn } from '../batches/batch.js';
import { allNull } from '../batches/batch.js';
import { ColumnarError } from '../error.js';
import { numbersOf } from './binary-ops.js';

/**
 * Row i from `columns[pick[i]]`, or null for -1.
 *
 * @example
 * chooseRows([a, b], Int32Array.of(0, 1, -1), 3, 'coalesce()');
 */
export function chooseRows(columns: readonly Column[], pick: Int32Array, rows: number, where: string): Column {
  const typed = columns.filter((c) => !allNull(c, rows));
  const valid = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    const p = pick[i]!;
    if (p >= 0) {
      const v = columns[p]!.valid;
      valid[i] = v === undefined ? 1 : v[i]!;
    }
  }
  // With no value in this batch (no rows, or only nulls), a column that is not float64 still tells the type: an
  // untyped null (`lit(null)`) is float64, but a string column stays a string column in a batch of no values, so
  // `upper(coalesce(s, t))` does not fail on the batches a filter emptied.
  const first = typed[0] ?? columns.find((c) => c.type !== 'f64');
  if (first === undefined) return { type: 'f64', values: new Float64Array(rows), valid };
  if (first.type === 'utf8') {
    if (typed.some((c) => c.type !== 'utf8')) throw mixed(where, typed);
    return chooseStrings(columns, pick, valid, rows);
  }
  const same = typed.every((c) => c.type === first.type && (c.type !== 'timestamp' || c.unit === unitOf(first)));
  if (!same && !typed.every((c) => c.type === 'f64' || c.type === 'i32' || c.type === 'i64')) {
    throw mixed(where, typed);
  }
  const template: FixedColumn = same ? first : { type: 'f64', values: new Float64Array(0) };
  const values = new (template.values.constructor as new (n: number) => FixedColumn['values'])(rows);
  const sources = columns.map((c) =>
    c.type === 'utf8' || allNull(c, rows) ? null : same ? c.values : numbersOf(c, where),
  );
  for (let i = 0; i < rows; i++) {
    const p = pick[i]!;
    if (p < 0 || valid[i] === 0) continue;
    (values as Float64Array)[i] = sources[p]![i] as number;
  }
  return { ...template, values, valid } as Column;
}

function unitOf(column: Column): string | null {
  return column.type === 'timestamp' ? column.unit : null;
}

function chooseStrings(columns: readonly Column[], pick: Int32Array, valid: Uint8Array, rows: number): Column {
  // Each source's arrays read once: a dictionary-read column's starts/ends are getters
  // (`batches/dictionary-column.ts`).
  const sources = columns.map((c) => (c.type === 'utf8' ? { bytes: c.bytes, starts: c.starts, ends: c.ends } : null));
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const c = sources[pick[i]!];
    if (valid[i] === 1 && c != null) total += c.ends[i]! - c.starts[i]!;
  }
  const bytes = new Uint8Array(total);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    starts[i] = at;
    const c = sources[pick[i]!];
    if (valid[i] === 1 && c != null) {
      const s = c.starts[i]!;
      const e = c.ends[i]!;
      bytes.set(c.bytes.subarray(s, e), at);
      at += e - s;
    }
    ends[i] = at;
  }
  return { type: 'utf8', bytes, starts, ends, valid };
}

function mixed(where: string, columns: readonly Column[]): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `${where}: expected values of one type, found ${[...new Set(columns.map((c) => c.type))].join(' and ')} columns`,
  );
}
