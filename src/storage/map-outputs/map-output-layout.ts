/**
 * The packed layout of a map task's shuffle output (see protocol/map-output.ts), in shared memory or in one file:
 *
 *   [magic u32, partitions u32, trailer offset f64][chunk images …]
 *   [trailer: chunks u32, non-empty partitions u32, chunk offset f64 × chunks, first row f64 × chunks,
 *    rows end i32 × non-empty, checksum u32 × non-empty, bitmap of non-empty partitions]
 *
 * A chunk is one block holding the rows of a run of consecutive reduce partitions, in partition order, so a map
 * task encodes a few blocks, not one per reduce partition. Only non-empty partitions have an index entry (with m × r
 * partitions most are empty): the bitmap says which, and its rank gives the entry. Reduce partition p is rows
 * [end of the previous non-empty partition, rows end of p) of the output, all inside one chunk. Its checksum covers
 * exactly the bytes a reader of p reads (for each column: validity bits, offsets and values of those rows), so a
 * flipped bit is found by the reader it would mislead. A chunk image is the block's descriptor in binary (header
 * words, then its shape and column names as JSON) followed by the block's bytes, each part 8-byte aligned. The
 * index lies behind the chunks, so a writer that spills writes each chunk as it comes and the index last.
 */
import { dictionaryCodeBytes, type BufferRange, type ColumnDescriptor, type ColumnType } from '../../protocol/block.js';
import { bitmapBytes } from '../blocks/block-layout.js';
import { crc32, crc32Portable } from '../blocks/crc32.js';

export const OUTPUT_MAGIC = 0x4b4d4f33; // 'KMO3'
export const IMAGE_MAGIC = 0x4b424c32; // 'KBL2'
/** Header words of a chunk image: magic, rows, unused (0), byteLength, schema bytes, columns. */
export const IMAGE_WORDS = 6;
/**
 * Words per column in a chunk image: nullCount, then validity, offsets, data and codes as (offset, length) or -1,
 * then the dictionary size (-1 for a column that is not `utf8-dict`).
 */
export const COLUMN_WORDS = 10;
/** Bytes before the first chunk image. */
export const HEAD_BYTES = 16;

export function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

/** Bytes of a trailer of `chunks` chunks and `nonEmpty` index entries over `partitions` partitions. */
export function trailerBytes(chunks: number, nonEmpty: number, partitions: number): number {
  return 8 + chunks * 16 + nonEmpty * 8 + bitmapBytes(partitions);
}

/** Bytes per value of fixed-width column types (0 for the others; `bool` is bits). */
function valueBytes(type: ColumnType): number {
  switch (type) {
    case 'i32':
    case 'date32':
      return 4;
    case 'f64':
    case 'i64':
    case 'timestamp-ms':
    case 'timestamp-us':
      return 8;
    default:
      return 0;
  }
}

export function isVariable(type: ColumnType): boolean {
  return type === 'utf8' || type === 'binary-v8';
}

/** Reads the little-endian int32 at `offset` of a chunk's bytes. */
export type ReadInt32 = (offset: number) => number;

/** Spans found by the last `spansOf`: (column, part, offset, length) per span, reused (no allocation per read). */
let spans = new Float64Array(64);

/**
 * The byte spans of rows [start, end) of each column (offsets relative to `readInt32`'s and the caller's base), in
 * the fixed order the checksum uses: for each column validity bits (part 0), value offsets (1), values (2), codes
 * (3); parts a column does not have are skipped. A `utf8-dict` column's offsets and values are its whole
 * dictionary's. A variable-length column's value span is found from its offsets, read through
 * `readInt32`. Returns how many; read them with `spanAt` before the next call.
 */
export function spansOf(
  columns: readonly ColumnDescriptor[],
  start: number,
  end: number,
  readInt32: ReadInt32,
): number {
  if (spans.length < columns.length * 16) spans = new Float64Array(columns.length * 16);
  const firstBitByte = start >>> 3;
  const bitBytes = bitmapBytes(end) - firstBitByte;
  spanCount = 0;
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    if (column.validity !== null) add(c, 0, column.validity.offset + firstBitByte, bitBytes);
    const data = column.data;
    if (data === null) continue;
    if (column.type === 'utf8-dict') {
      const size = column.dictionarySize!;
      const width = dictionaryCodeBytes(size);
      add(c, 1, column.offsets!.offset, (size + 1) * 4);
      add(c, 2, data.offset, data.length);
      add(c, 3, column.codes!.offset + start * width, (end - start) * width);
    } else if (column.type === 'bool') {
      add(c, 2, data.offset + firstBitByte, bitBytes);
    } else if (!isVariable(column.type)) {
      const width = valueBytes(column.type);
      add(c, 2, data.offset + start * width, (end - start) * width);
    } else {
      const offsets = column.offsets!.offset;
      add(c, 1, offsets + start * 4, (end - start + 1) * 4);
      const first = readInt32(offsets + start * 4);
      const last = readInt32(offsets + end * 4);
      if (!(first >= 0 && last >= first)) throw new Error(`expected ascending value offsets, found ${first}..${last}`);
      add(c, 2, data.offset + first, last - first);
    }
  }
  return spanCount;
}

let spanCount = 0;

function add(column: number, part: number, offset: number, length: number): void {
  const at = spanCount * 4;
  spans[at] = column;
  spans[at + 1] = part;
  spans[at + 2] = offset;
  spans[at + 3] = length;
  spanCount++;
}

/** Span `i` of the last `spansOf`. */
export function spanAt(i: number): { column: number; part: number; offset: number; length: number } {
  return { column: spans[i * 4]!, part: spans[i * 4 + 1]!, offset: spans[i * 4 + 2]!, length: spans[i * 4 + 3]! };
}

/** CRC-32 of bytes [from, from + length) of `bytes`, without a view for short spans (most are a few bytes). */
function crcOf(bytes: Uint8Array, from: number, length: number): number {
  return length < 256 ? crc32Portable(bytes, from, from + length) : crc32(bytes.subarray(from, from + length));
}

/** Bytes the spans of the last `segmentChecksum` covered (what its reader reads). */
export let segmentBytes = 0;

/**
 * The checksum of rows [start, end) of a chunk whose descriptor's ranges are offsets into `bytes`: the CRC-32 of
 * each span `spansOf` names, folded in order. `ints` views the same buffer as int32s (its offsets are 4-aligned).
 * Writer and in-place reader both compute it this way; a reader of a file folds the spans it reads (`foldChecksum`).
 */
export function segmentChecksum(
  bytes: Uint8Array,
  ints: Int32Array,
  columns: readonly ColumnDescriptor[],
  start: number,
  end: number,
): number {
  const count = spansOf(columns, start, end, (offset) => {
    if (offset < 0 || offset + 4 > bytes.byteLength) throw new Error(`expected an offset within the chunk`);
    return ints[offset >>> 2]!;
  });
  let sum = 0;
  let total = 0;
  for (let i = 0; i < count; i++) {
    const offset = spans[i * 4 + 2]!;
    const length = spans[i * 4 + 3]!;
    if (offset < 0 || offset + length > bytes.byteLength) {
      throw new Error(`expected bytes [${offset}, ${offset + length}) within the chunk`);
    }
    sum = (Math.imul(sum, 31) + crcOf(bytes, offset, length)) >>> 0;
    total += length;
  }
  segmentBytes = total;
  return sum;
}

/** Folds span checksums as `segmentChecksum` does, for spans read one by one (from a file). */
export function foldChecksum(sum: number, span: Uint8Array): number {
  return (Math.imul(sum, 31) + crcOf(span, 0, span.byteLength)) >>> 0;
}

export function writeRange(words: Int32Array, at: number, range: BufferRange | null): void {
  words[at] = range === null ? -1 : range.offset;
  words[at + 1] = range === null ? -1 : range.length;
}

export function readRange(words: Int32Array, at: number): BufferRange | null {
  const offset = words[at]!;
  return offset < 0 ? null : { offset, length: words[at + 1]! };
}

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >>> 1]!;

/** Set bits among bytes [from, to) of `bitmap`. */
export function countBits(bitmap: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) n += POPCOUNT[bitmap[i]!]!;
  return n;
}

/** Set bits among the low `bits` bits of `byte`. */
export function countLowBits(byte: number, bits: number): number {
  return POPCOUNT[byte & ((1 << bits) - 1)]!;
}
