/**
 * Reads one reduce partition's rows of a spilled map output: exactly their bytes (and the dictionary of a
 * dictionary-coded column), span by span with positioned reads, checked and assembled into a private block of just
 * those rows.
 */
import type { Block, ColumnDescriptor } from '../protocol/block.js';
import { assembleBlock, bitmapBytes, type PendingColumn } from './block-layout.js';
import { foldChecksum, isVariable, spanAt, spansOf } from './map-output-layout.js';
import type { BlockRows } from './map-output-reader.js';
import { own, type Source } from './map-output-source.js';

/** Rows [first, first + rows) of a spilled chunk, read span by span into a private block; `check` gets their checksum. */
export function readSpilledRows(
  chunk: Block,
  bodyOffset: number,
  first: number,
  rows: number,
  source: Source,
  check: (checksum: number) => void,
): BlockRows {
  if (bodyOffset + chunk.byteLength > Number.MAX_SAFE_INTEGER) throw new Error('chunk out of range');
  const spans = chunk.columns.map((): (Uint8Array | null)[] => [null, null, null, null]);
  let sum = 0;
  let bytes = 0;
  const count = spansOf(chunk.columns, first, first + rows, (offset) => {
    if (offset < 0 || offset + 4 > chunk.byteLength) throw new Error(`expected an offset within the chunk`);
    return new DataView(own(source.read(bodyOffset + offset, 4))).getInt32(0, true);
  });
  for (let i = 0; i < count; i++) {
    const { column, part, offset, length } = spanAt(i);
    if (offset < 0 || offset + length > chunk.byteLength) {
      throw new Error(`expected bytes [${offset}, ${offset + length}) within the chunk's ${chunk.byteLength}`);
    }
    const span = source.read(bodyOffset + offset, length);
    spans[column]![part] = span;
    sum = foldChecksum(sum, span);
    bytes += length;
  }
  check(sum);
  // Built from checked spans and decoded at once: no checksum of its own (0, see assembleBlock), and its structure
  // is right by construction.
  const block = assembleBlock(chunk.shape, rows, pendingColumns(chunk.columns, spans, first, rows), false, false);
  return { block, start: 0, end: rows, bytes };
}

/** Copies bits [from, from + count) of `source` (starting at bit `from & 7` of its first byte) to `target` at 0. */
function copyBits(source: Uint8Array, from: number, count: number, target: Uint8Array): number {
  const shift = from & 7;
  let set = 0;
  for (let i = 0; i < count; i++) {
    const bit = shift + i;
    if ((source[bit >>> 3]! >>> (bit & 7)) & 1) {
      target[i >>> 3]! |= 1 << (i & 7);
      set++;
    }
  }
  return set;
}

/** The columns of rows [first, first + rows) as pending columns of a new block, from their spans. */
function pendingColumns(
  columns: readonly ColumnDescriptor[],
  spans: readonly (Uint8Array | null)[][],
  first: number,
  rows: number,
): PendingColumn[] {
  return columns.map((column, c) => {
    const [validity, offsets, data, codes] = spans[c]!;
    let nullCount = 0;
    if (validity !== null) nullCount = rows - copyBits(validity!, first, rows, new Uint8Array(bitmapBytes(rows)));
    const dataBytes = column.data === null ? -1 : column.type === 'bool' ? bitmapBytes(rows) : data!.byteLength;
    const dictionary = column.type === 'utf8-dict';
    return {
      name: column.name,
      type: column.type,
      nullCount: column.type === 'null' ? rows : nullCount,
      validityBytes: nullCount > 0 && column.type !== 'null' ? bitmapBytes(rows) : 0,
      hasOffsets: isVariable(column.type) || dictionary,
      dataBytes,
      ...(column.timeZone === undefined || column.timeZone === null ? {} : { timeZone: column.timeZone }),
      // The whole dictionary and the rows' codes (the spans read are exactly what the new block holds).
      ...(dictionary ? { dictionarySize: column.dictionarySize! } : {}),
      fill: (target) => {
        if (target.codes !== null) target.codes.set(codes!);
        if (target.validity !== null) copyBits(validity!, first, rows, target.validity);
        if (target.offsets !== null) {
          const view = new DataView(offsets!.buffer, offsets!.byteOffset, offsets!.byteLength);
          const base = view.getInt32(0, true);
          // rows + 1 offsets, or a dictionary's size + 1.
          for (let i = 0; i < target.offsets.length; i++) target.offsets[i] = view.getInt32(i * 4, true) - base;
        }
        if (target.data !== null) {
          if (column.type === 'bool') copyBits(data!, first, rows, target.data);
          else target.data.set(data!);
        }
      },
    };
  });
}
