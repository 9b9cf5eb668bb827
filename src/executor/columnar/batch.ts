/**
 * Column batches: what columnar kernels read and write. A string column is a "view" column (Arrow's Utf8View idea):
 * per row a start and an end into a byte buffer, so splitting lines into words, reading a block's Utf8 column or
 * repeating a literal never copies bytes. Every typed array holds at least `rows` entries; only the first `rows`
 * count. Nothing here is per-value JS objects or strings.
 */
import { ColumnarError } from './error.js';

/** UTF-8 strings: row `i` is `bytes[starts[i], ends[i])`. */
export interface Utf8Column {
  readonly type: 'utf8';
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** Float64 numbers. */
export interface F64Column {
  readonly type: 'f64';
  readonly values: Float64Array;
}

/** Int32 numbers. */
export interface I32Column {
  readonly type: 'i32';
  readonly values: Int32Array;
}

/** Booleans, one byte (0 or 1) per row, unpacked from Arrow's bits for cheap indexing. */
export interface BoolColumn {
  readonly type: 'bool';
  readonly values: Uint8Array;
}

/** One column of a batch. */
export type Column = Utf8Column | F64Column | I32Column | BoolColumn;

/** Rows of named columns, all of the same length. */
export interface Batch {
  readonly rows: number;
  readonly names: readonly string[];
  readonly columns: readonly Column[];
}

/**
 * The column named `name`; throws `ColumnarError` `ERR_COLUMNAR_UNKNOWN_COLUMN` listing the columns there are.
 *
 * @example
 * const words = columnOf(batch, 'word', 'groupBy()');
 */
export function columnOf(batch: Batch, name: string, where: string): Column {
  const index = batch.names.indexOf(name);
  if (index < 0) {
    throw new ColumnarError(
      'ERR_COLUMNAR_UNKNOWN_COLUMN',
      `${where}: no column '${name}'; the dataset has columns ${batch.names.map((n) => `'${n}'`).join(', ')}`,
    );
  }
  return batch.columns[index]!;
}

/**
 * Rows `indices[0 … count)` of `column`, in that order. String rows keep pointing into the same bytes (no copy).
 *
 * @example
 * const kept = gatherColumn(column, selected, selectedCount);
 */
export function gatherColumn(column: Column, indices: Int32Array, count: number): Column {
  switch (column.type) {
    case 'utf8': {
      const starts = new Int32Array(count);
      const ends = new Int32Array(count);
      const { starts: s, ends: e } = column;
      for (let i = 0; i < count; i++) {
        const row = indices[i]!;
        starts[i] = s[row]!;
        ends[i] = e[row]!;
      }
      return { type: 'utf8', bytes: column.bytes, starts, ends };
    }
    case 'f64': {
      const values = new Float64Array(count);
      for (let i = 0; i < count; i++) values[i] = column.values[indices[i]!]!;
      return { type: 'f64', values };
    }
    case 'i32': {
      const values = new Int32Array(count);
      for (let i = 0; i < count; i++) values[i] = column.values[indices[i]!]!;
      return { type: 'i32', values };
    }
    case 'bool': {
      const values = new Uint8Array(count);
      for (let i = 0; i < count; i++) values[i] = column.values[indices[i]!]!;
      return { type: 'bool', values };
    }
  }
}

/** Rows `indices[0 … count)` of every column of `batch`. */
export function gatherBatch(batch: Batch, indices: Int32Array, count: number): Batch {
  return { rows: count, names: batch.names, columns: batch.columns.map((c) => gatherColumn(c, indices, count)) };
}

/** The first `count` rows of `batch` (views, no copy). */
export function sliceBatch(batch: Batch, count: number): Batch {
  if (count >= batch.rows) return batch;
  const columns = batch.columns.map((column): Column => {
    switch (column.type) {
      case 'utf8':
        return column;
      case 'f64':
        return { type: 'f64', values: column.values.subarray(0, count) };
      case 'i32':
        return { type: 'i32', values: column.values.subarray(0, count) };
      case 'bool':
        return { type: 'bool', values: column.values.subarray(0, count) };
    }
  });
  return { rows: count, names: batch.names, columns };
}

/**
 * All rows of `batches` as one batch (for sorts, which need the whole partition). Columns must agree by name and
 * type; numeric columns of mixed `i32`/`f64` widen to `f64`.
 */
export function concatBatches(batches: readonly Batch[]): Batch | null {
  const first = batches[0];
  if (first === undefined) return null;
  if (batches.length === 1) return first;
  const rows = batches.reduce((sum, b) => sum + b.rows, 0);
  const columns = first.names.map((name, c): Column => {
    const parts = batches.map((b) => columnOf(b, name, 'concatenating batches'));
    const type = parts[0]!.type;
    if (type === 'utf8') {
      const all = parts as Utf8Column[];
      const byteCount = all.reduce((sum, p, i) => sum + utf8Bytes(p, batches[i]!.rows), 0);
      const bytes = new Uint8Array(byteCount);
      const starts = new Int32Array(rows);
      const ends = new Int32Array(rows);
      let row = 0;
      let at = 0;
      all.forEach((p, i) => {
        for (let r = 0; r < batches[i]!.rows; r++) {
          const s = p.starts[r]!;
          const e = p.ends[r]!;
          bytes.set(p.bytes.subarray(s, e), at);
          starts[row] = at;
          at += e - s;
          ends[row++] = at;
        }
      });
      return { type: 'utf8', bytes, starts, ends };
    }
    if (parts.some((p) => p.type !== type)) {
      if (parts.every((p) => p.type === 'f64' || p.type === 'i32')) return concatNumbers(parts, batches, rows, 'f64');
      throw new ColumnarError(
        'ERR_COLUMNAR_TYPE',
        `column '${first.names[c]}' has different types in different batches: ${parts.map((p) => p.type).join(', ')}`,
      );
    }
    return concatNumbers(parts, batches, rows, type);
  });
  return { rows, names: first.names, columns };
}

function concatNumbers(parts: Column[], batches: readonly Batch[], rows: number, type: 'f64' | 'i32' | 'bool'): Column {
  const values = type === 'f64' ? new Float64Array(rows) : type === 'i32' ? new Int32Array(rows) : new Uint8Array(rows);
  let at = 0;
  parts.forEach((p, i) => {
    const n = batches[i]!.rows;
    values.set((p as F64Column | I32Column | BoolColumn).values.subarray(0, n), at);
    at += n;
  });
  return { type, values } as Column;
}

/** Bytes the first `rows` strings of a column span in total. */
export function utf8Bytes(column: Utf8Column, rows: number): number {
  let total = 0;
  for (let i = 0; i < rows; i++) total += column.ends[i]! - column.starts[i]!;
  return total;
}
