/**
 * Several grouping keys as one byte string, so one byte-key table serves any key tuple: per column, a number as
 * its 8 float64 bytes (`-0` as `0`), a boolean as 1 byte, a string as its 4-byte length then its UTF-8 bytes.
 */
import type { Column, Utf8Column } from '../batch.js';
import type { ByteKeyTable } from './byte-key-table.js';

/** How one key column is encoded. */
export type TupleKeyKind = 'number' | 'utf8' | 'bool';

const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

/**
 * Writes the key tuple of `row` into `out`; returns its length, or -1 when `out` is too small (grow and retry).
 *
 * @example
 * const length = encodeTupleKey([cityColumn, yearColumn], row, scratch);
 */
export function encodeTupleKey(columns: readonly Column[], row: number, out: Uint8Array): number {
  let at = 0;
  for (const column of columns) {
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
      case 'f64':
      case 'i32': {
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
 * The key columns of the first `groups` groups of `table`, decoded from their tuple bytes.
 *
 * @example
 * const [city, year] = decodeTupleKeys(table, table.size, ['utf8', 'number']);
 */
export function decodeTupleKeys(table: ByteKeyTable, groups: number, kinds: readonly TupleKeyKind[]): Column[] {
  const arena = table.arena;
  const columns = kinds.map((kind): Column => {
    if (kind === 'utf8') {
      return { type: 'utf8', bytes: arena, starts: new Int32Array(groups), ends: new Int32Array(groups) };
    }
    return kind === 'bool'
      ? { type: 'bool', values: new Uint8Array(groups) }
      : { type: 'f64', values: new Float64Array(groups) };
  });
  for (let g = 0; g < groups; g++) {
    let at = table.keyStarts[g]!;
    for (const column of columns) {
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
        default:
          for (let k = 0; k < 8; k++) f64Bytes[k] = arena[at + k]!;
          (column.values as Float64Array)[g] = f64[0]!;
          at += 8;
      }
    }
  }
  return columns;
}
