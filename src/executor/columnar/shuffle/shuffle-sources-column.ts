/**
 * A shuffle chunk's column whose rows come from several batches of one schema (a partial aggregation's groups and
 * the rows it passed through after them): row i is row `rows[i]` of `columns[from[i]]`, sized now and written from
 * the columns when the output is filled, so the batches are never concatenated into a copy. Strings, numbers and
 * dates (`sameColumns` in shuffle-chunks.ts refuses timestamps and booleans, which a block packs differently).
 */
import { bitmapBytes, type ColumnTarget, type PendingColumn } from '../../../storage/blocks/block-layout.js';
import type { Column, Utf8Column } from '../batches/batch.js';

/**
 * Rows `rows[i]` of `columns[from[i]]` as a pending block column.
 *
 * @example
 * const pending = pendingSourcesColumn('v3', [grouped.columns[6], passed.columns[6]], from, rows);
 */
export function pendingSourcesColumn(
  name: string,
  columns: readonly Column[],
  from: Uint8Array,
  rows: Int32Array,
): PendingColumn {
  const count = rows.length;
  const valids = columns.map((column) => column.valid);
  let nullCount = 0;
  if (valids.some((valid) => valid !== undefined)) {
    for (let i = 0; i < count; i++) {
      const valid = valids[from[i]!];
      if (valid !== undefined) nullCount += valid[rows[i]!]! ^ 1;
    }
  }
  const base = { name, nullCount, validityBytes: nullCount > 0 ? bitmapBytes(count) : 0, timeZone: null };
  const fillValidity = (target: ColumnTarget) => {
    const bits = target.validity;
    if (bits === null) return;
    for (let i = 0; i < count;) {
      const valid = valids[from[i]!];
      let end = i + 1;
      while (end < count && from[end] === from[i]) end++;
      for (; i < end; i++)
        if (valid === undefined || valid[rows[i]!] === 1) bits[i >>> 3] = bits[i >>> 3]! | (1 << (i & 7));
    }
  };
  const template = columns[0]!;
  if (template.type === 'utf8') {
    const strings = columns as readonly Utf8Column[];
    const bytes = strings.map((column) => column.bytes);
    const starts = strings.map((column) => column.starts);
    const ends = strings.map((column) => column.ends);
    let dataBytes = 0;
    for (let i = 0; i < count; i++) dataBytes += ends[from[i]!]![rows[i]!]! - starts[from[i]!]![rows[i]!]!;
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
        for (let i = 0; i < count; i++) {
          const f = from[i]!;
          const s = starts[f]![rows[i]!]!;
          const e = ends[f]![rows[i]!]!;
          offsets[i] = at;
          const source = bytes[f]!;
          if (e - s > 64) data.set(source.subarray(s, e), at);
          else for (let k = s; k < e; k++) data[at + k - s] = source[k]!;
          at += e - s;
        }
        offsets[count] = at;
      },
    };
  }
  if (template.type === 'timestamp' || template.type === 'bool') {
    throw new Error(`pendingSourcesColumn: ${template.type} column '${name}' (refused by sameColumns)`);
  }
  const values = columns.map((column) => (column as typeof template).values);
  return {
    ...base,
    type: template.type === 'date' ? 'date32' : template.type,
    hasOffsets: false,
    dataBytes: count * template.values.BYTES_PER_ELEMENT,
    fill: (target) => {
      fillValidity(target);
      const data = target.data!;
      const Typed = template.values.constructor as new (b: ArrayBufferLike, o: number, n: number) => Float64Array;
      const to = new Typed(data.buffer, data.byteOffset, count);
      // Rows come in runs of one source (a partition's grouped rows, then its passed rows): one loop per run.
      for (let i = 0; i < count;) {
        const f = from[i]!;
        let end = i + 1;
        while (end < count && from[end] === f) end++;
        gatherRun(to, values[f] as Float64Array, rows, i, end);
        i = end;
      }
    },
  };
}

/** `to[i] = values[rows[i]]` for i in [start, end) (any typed arrays of one element type). */
function gatherRun(to: Float64Array, values: Float64Array, rows: Int32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) to[i] = values[rows[i]!]!;
}
