/**
 * Several grouping keys as one byte string, so one byte-key table serves any key tuple: per column, a presence
 * byte (0 for null, which then ends the column, 1 for a value), then a number as its 8 float64 bytes (`-0` as `0`),
 * an int64 as its 8 bytes, a boolean as 1 byte, a string as its 4-byte length then its UTF-8 bytes. Nulls thus
 * group together, apart from every value.
 */
import type { Column, Utf8Column } from '../batches/batch.js';
import type { ByteKeyTable } from './byte-key-table.js';

/** How one key column is encoded. */
export type TupleKeyKind = 'number' | 'utf8' | 'bool' | 'i64';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);
const i64 = new BigInt64Array(f64.buffer);

/** The encoding of a key column's type: dates, timestamps and int32 are numbers. */
export function tupleKindOf(column: Column): TupleKeyKind {
  switch (column.type) {
    case 'utf8':
      return 'utf8';
    case 'bool':
      return 'bool';
    case 'i64':
      return 'i64';
    default:
      return 'number';
  }
}

/**
 * Writes the key tuple of `row` into `out`; returns its length, or -1 when `out` is too small (grow and retry).
 *
 * @example
 * const length = encodeTupleKey([cityColumn, yearColumn], row, scratch);
 */
export function encodeTupleKey(columns: readonly Column[], row: number, out: Uint8Array): number {
  let at = 0;
  for (const column of columns) {
    if (at + 1 > out.length) return -1;
    if (column.valid !== undefined && column.valid[row] === 0) {
      out[at++] = 0;
      continue;
    }
    out[at++] = 1;
    switch (column.type) {
      case 'utf8': {
        const s = column.starts[row]!;
        const n = column.ends[row]! - s;
        if (at + 4 + n > out.length) return -1;
        out[at] = n & 0xff;
        out[at + 1] = (n >>> 8) & 0xff;
        out[at + 2] = (n >>> 16) & 0xff;
        out[at + 3] = n >>> 24;
        at += 4;
        for (let k = 0; k < n; k++) out[at + k] = column.bytes[s + k]!;
        at += n;
        break;
      }
      case 'bool':
        if (at + 1 > out.length) return -1;
        out[at++] = column.values[row]!;
        break;
      case 'i64':
        if (at + 8 > out.length) return -1;
        i64[0] = column.values[row]!;
        for (let k = 0; k < 8; k++) out[at + k] = f64Bytes[k]!;
        at += 8;
        break;
      default: {
        if (at + 8 > out.length) return -1;
        const v = column.values[row]!;
        f64[0] = v === 0 ? 0 : v;
        for (let k = 0; k < 8; k++) out[at + k] = f64Bytes[k]!;
        at += 8;
        break;
      }
    }
  }
  return at;
}

/**
 * The key columns of the first `groups` groups of `table`, decoded from their tuple bytes (numbers as float64).
 *
 * @example
 * const [city, year] = decodeTupleKeys(table, table.size, ['utf8', 'number']);
 */
export function decodeTupleKeys(table: ByteKeyTable, groups: number, kinds: readonly TupleKeyKind[]): Column[] {
  const arena = table.arena;
  const valids = kinds.map(() => new Uint8Array(groups));
  const columns = kinds.map((kind): Column => {
    switch (kind) {
      case 'utf8':
        return { type: 'utf8', bytes: arena, starts: new Int32Array(groups), ends: new Int32Array(groups) };
      case 'bool':
        return { type: 'bool', values: new Uint8Array(groups) };
      case 'i64':
        return { type: 'i64', values: new BigInt64Array(groups) };
      case 'number':
        return { type: 'f64', values: new Float64Array(groups) };
    }
  });
  let anyNull = false;
  for (let g = 0; g < groups; g++) {
    let at = table.keyStarts[g]!;
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      if (arena[at++] === 0) {
        anyNull = true;
        if (column.type === 'utf8') (column as Utf8Column).starts[g] = (column as Utf8Column).ends[g] = at;
        continue;
      }
      valids[c]![g] = 1;
      switch (column.type) {
        case 'utf8': {
          const n = arena[at]! | (arena[at + 1]! << 8) | (arena[at + 2]! << 16) | (arena[at + 3]! << 24);
          at += 4;
          (column as Utf8Column).starts[g] = at;
          at += n;
          (column as Utf8Column).ends[g] = at;
          break;
        }
        case 'bool':
          column.values[g] = arena[at++]!;
          break;
        case 'i64':
          for (let k = 0; k < 8; k++) f64Bytes[k] = arena[at + k]!;
          column.values[g] = i64[0]!;
          at += 8;
          break;
        default:
          for (let k = 0; k < 8; k++) f64Bytes[k] = arena[at + k]!;
          (column.values as Float64Array)[g] = f64[0]!;
          at += 8;
      }
    }
  }
  if (!anyNull) return columns;
  return columns.map((column, c) => {
    const valid = valids[c]!;
    return valid.every((v) => v === 1) ? column : { ...column, valid };
  });
}
