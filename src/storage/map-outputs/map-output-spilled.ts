/**
 * Reads one reduce partition's rows of a spilled map output: exactly their bytes (and the dictionary of a
 * dictionary-coded column), span by span with positioned reads, checked and assembled into a private block of just
 * those rows. The spans are staged in one buffer this
 * thread reuses (they are copied into the block before the read returns); the block's buffer is lent
 * (`lent-block-buffer.ts`), so a reader that copies its rows can give it back for the next read.
 */
import type { Block, ColumnDescriptor, RecordShape } from '../../protocol/block.js';
import { bitmapBytes, fillColumns, layoutColumns, type PendingColumn } from '../blocks/block-layout.js';
import { takeBlockBuffer } from './lent-block-buffer.js';
import { foldChecksum, isVariable, spanAt, spansOf } from './map-output-layout.js';
import type { BlockRows } from './map-output-reader.js';
import type { Source } from './map-output-source.js';

/** A staging buffer grown past this for one read is not kept for the next. */
const STAGING_BYTES_RETAINED_MAX = 16 * 1024 * 1024;

/** This thread's staging for the spans of one read. */
let staging = new Uint8Array(64 * 1024);
/** One value offset read from the file. */
const word = new Uint8Array(4);
const wordView = new DataView(word.buffer);

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
    source.readInto(word, bodyOffset + offset);
    return wordView.getInt32(0, true);
  });
  for (let i = 0; i < count; i++) bytes += spanAt(i).length;
  if (staging.byteLength < bytes) staging = new Uint8Array(Math.max(bytes, staging.byteLength * 2));
  for (let i = 0, at = 0; i < count; i++) {
    const { column, part, offset, length } = spanAt(i);
    if (offset < 0 || offset + length > chunk.byteLength) {
      throw new Error(`expected bytes [${offset}, ${offset + length}) within the chunk's ${chunk.byteLength}`);
    }
    const span = staging.subarray(at, at + length);
    source.readInto(span, bodyOffset + offset);
    at += length;
    spans[column]![part] = span;
    sum = foldChecksum(sum, span);
  }
  check(sum);
  // Built from checked spans and decoded at once: no checksum of its own (0, see assembleBlock), and its structure
  // is right by construction.
  const block = assemblePrivate(chunk.shape, rows, pendingColumns(chunk.columns, spans, first, rows));
  if (staging.byteLength > STAGING_BYTES_RETAINED_MAX) staging = new Uint8Array(64 * 1024);
  return { block, start: 0, end: rows, bytes };
}

/** `assembleBlock(shape, rows, columns, false, false)`, in a lent buffer. */
function assemblePrivate(shape: RecordShape, rows: number, columns: readonly PendingColumn[]): Block {
  const { descriptors, byteLength } = layoutColumns(rows, columns);
  const buffer = takeBlockBuffer(byteLength, rows);
  fillColumns(buffer, 0, rows, columns, descriptors);
  return { rows, shape, columns: descriptors, buffer: buffer as unknown as SharedArrayBuffer, byteLength, checksum: 0 };
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
