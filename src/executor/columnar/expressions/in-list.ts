/**
 * `isin(values)`: SQL `IN` over a column. Strings are looked up by their UTF-8 bytes in a small typed-array hash
 * table (no JS string per row); numbers in a `Set`. A null value gives null; no match gives false, or null when
 * the list holds a null (SQL's three-valued `IN`).
 */
import type { LiteralValue } from '../../../protocol/columnar.js';
import type { Column } from '../batches/batch.js';
import { castColumn } from './cast.js';
import { ColumnarError } from '../error.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';
import { utf8FromStrings } from '../kernels/utf8-strings.js';
import { CAST_TYPE_NAMES } from '../../../protocol/columnar-reshape.js';

/**
 * True where `column`'s value is one of `values`.
 *
 * @example
 * inList(cities, ['Paris', 'Lyon'], rows);
 */
export function inList(column: Column, values: readonly LiteralValue[], rows: number): Column {
  const listHasNull = values.includes(null);
  const present = values.filter((v) => v !== null);
  const out = new Uint8Array(rows);
  if (column.type === 'utf8') {
    const table = new ByteKeyTable(Math.max(16, present.length));
    for (const v of present) {
      if (typeof v !== 'string') throw mismatch(column, v);
      const bytes = Buffer.from(v, 'utf8');
      table.findOrInsert(bytes, 0, bytes.length, hashBytes(bytes, 0, bytes.length));
    }
    const size = table.size;
    const { bytes, starts, ends } = column;
    for (let i = 0; i < rows; i++) {
      const s = starts[i]!;
      const e = ends[i]!;
      // findOrInsert adds misses; a group id at or past `size` is one (the table is thrown away after).
      out[i] = table.findOrInsert(bytes, s, e, hashBytes(bytes, s, e)) < size ? 1 : 0;
    }
  } else if (column.type === 'date' || column.type === 'timestamp') {
    const strings = present.map((v) => (typeof v === 'string' ? v : String(v)));
    const literals = castColumn(utf8FromStrings(strings), column.type, strings.length);
    const wanted = new Set<number>();
    const perMs = column.type === 'timestamp' && column.unit === 'us' ? 1000 : 1;
    if (literals.type !== 'utf8') {
      for (let k = 0; k < strings.length; k++) {
        if (literals.valid === undefined || literals.valid[k] === 1) wanted.add(Number(literals.values[k]) * perMs);
      }
    }
    for (let i = 0; i < rows; i++) out[i] = wanted.has(column.values[i]!) ? 1 : 0;
  } else {
    const wanted = new Set<number | bigint>();
    for (const v of present) {
      const ok = column.type === 'bool' ? typeof v === 'boolean' : typeof v === 'number' || typeof v === 'bigint';
      if (!ok) throw mismatch(column, v);
      if (column.type === 'i64')
        wanted.add(typeof v === 'bigint' ? v : Number.isInteger(v) ? BigInt(v as number) : NaN);
      else wanted.add(typeof v === 'boolean' ? (v ? 1 : 0) : Number(v));
    }
    const source = column.values;
    for (let i = 0; i < rows; i++) out[i] = wanted.has(source[i]!) ? 1 : 0;
  }
  let valid = column.valid === undefined ? undefined : Uint8Array.from(column.valid.subarray(0, rows));
  if (listHasNull) {
    valid ??= new Uint8Array(rows).fill(1);
    for (let i = 0; i < rows; i++) if (out[i] === 0) valid[i] = 0;
  }
  return { type: 'bool', values: out, valid };
}

function mismatch(column: Column, value: LiteralValue): ColumnarError {
  return new ColumnarError(
    'ERR_COLUMNAR_TYPE',
    `isin(): a ${CAST_TYPE_NAMES[column.type]} column cannot hold ${typeof value} ${String(value)}`,
  );
}
