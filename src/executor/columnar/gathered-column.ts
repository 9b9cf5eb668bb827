/**
 * Chosen rows of columns written straight into a block column: sized from the row indices and filled from the
 * source columns, with no gathered copy (starts/ends or values arrays) in between. A shuffle map output writes each
 * reduce partition's rows this way, and a join's collected result its row pairs (several probe batches back to
 * back, a negative index being the missing side of an outer row: a null).
 */
import { bitmapBytes, type ColumnTarget, type PendingColumn } from '../../storage/block-layout.js';
import { gatherColumnOrNull, type Column } from './batch.js';
import { pendingColumnOfParts } from './blocks.js';

/** Rows `rows[0 … rows.length)` of `column`, in that order; a negative index is a null row. */
export interface GatheredPart {
  readonly column: Column;
  readonly rows: Int32Array;
}

/**
 * The rows of `parts` back to back as one pending block column named `name` (the parts' columns of one type).
 * Timestamps and booleans, which a block packs differently, are gathered when filled.
 *
 * @example
 * const pending = pendingGatheredParts('word', [{ column: words, rows: order.subarray(0, 100) }]);
 */
export function pendingGatheredParts(name: string, parts: readonly GatheredPart[]): PendingColumn {
  let count = 0;
  for (const part of parts) count += part.rows.length;
  const template = parts[0]!.column;
  if (template.type === 'timestamp' || template.type === 'bool') {
    const gathered = () =>
      parts.map(({ column, rows }) => ({ column: gatherColumnOrNull(column, rows, rows.length), rows: rows.length }));
    // Gathered once to size it (then dropped) and again when filled: two cheap passes instead of a held copy.
    const { fill: _unused, ...sizes } = pendingColumnOfParts(name, gathered(), count);
    return { ...sizes, fill: (target) => pendingColumnOfParts(name, gathered(), count).fill(target) };
  }
  let nullCount = 0;
  for (const { column, rows } of parts) {
    const valid = column.valid;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i]!;
      nullCount += r < 0 ? 1 : valid === undefined ? 0 : valid[r]! ^ 1;
    }
  }
  const base = { name, nullCount, validityBytes: nullCount > 0 ? bitmapBytes(count) : 0, timeZone: null };
  const fillValidity = (target: ColumnTarget) => {
    const bits = target.validity;
    if (bits === null) return;
    let at = 0;
    for (const { column, rows } of parts) {
      const valid = column.valid;
      for (let i = 0; i < rows.length; i++, at++) {
        const r = rows[i]!;
        if (r >= 0 && (valid === undefined || valid[r] === 1)) bits[at >>> 3] = bits[at >>> 3]! | (1 << (at & 7));
      }
    }
  };
  if (template.type === 'utf8') {
    let dataBytes = 0;
    for (const { column, rows } of parts) {
      if (column.type !== 'utf8') throw new TypeError(`column '${name}': parts of different types`);
      const { starts, ends } = column;
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        if (r >= 0) dataBytes += ends[r]! - starts[r]!;
      }
    }
    return {
      ...base,
      type: 'utf8',
      hasOffsets: true,
      dataBytes,
      fill: (target) => {
        fillValidity(target);
        const offsets = target.offsets!;
        const data = target.data!;
        let at = 0;
        let row = 0;
        for (const part of parts) {
          const { bytes, starts, ends } = part.column as Extract<Column, { type: 'utf8' }>;
          const rows = part.rows;
          const count = rows.length;
          for (let i = 0; i < count;) {
            const first = rows[i]!;
            offsets[row + i++] = at;
            if (first < 0) continue;
            const s = starts[first]!;
            let e = ends[first]!;
            // Rows whose bytes follow on (neighbours of one reduce partition, a probe side in input order) copy
            // as one run.
            for (; i < count && rows[i]! >= 0 && starts[rows[i]!] === e; i++) {
              offsets[row + i] = at + e - s;
              e = ends[rows[i]!]!;
            }
            if (e - s > 64) data.set(bytes.subarray(s, e), at);
            else for (let k = s; k < e; k++) data[at + k - s] = bytes[k]!;
            at += e - s;
          }
          row += count;
        }
        offsets[count] = at;
      },
    };
  }
  const from = template.values;
  return {
    ...base,
    type: template.type === 'date' ? 'date32' : template.type,
    hasOffsets: false,
    dataBytes: count * from.BYTES_PER_ELEMENT,
    fill: (target) => {
      fillValidity(target);
      const data = target.data!;
      let row = 0;
      for (const part of parts) {
        const rows = part.rows;
        const values = (part.column as typeof template).values;
        if (values instanceof BigInt64Array) {
          const to = new BigInt64Array(data.buffer, data.byteOffset + row * 8, rows.length);
          for (let i = 0; i < rows.length; i++) if (rows[i]! >= 0) to[i] = values[rows[i]!]!;
        } else {
          const Typed = values.constructor as new (b: ArrayBufferLike, o: number, n: number) => Float64Array;
          const to = new Typed(data.buffer, data.byteOffset + row * values.BYTES_PER_ELEMENT, rows.length);
          const numbers = values as Float64Array;
          for (let i = 0; i < rows.length; i++) if (rows[i]! >= 0) to[i] = numbers[rows[i]!]!;
        }
        row += rows.length;
      }
    },
  };
}
