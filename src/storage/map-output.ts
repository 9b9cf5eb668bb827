/**
 * The packed layout of a map task's shuffle output (see protocol/map-output.ts), in shared memory or in one file:
 *
 *   [magic u32, partitions u32, trailer offset f64][rows end i32 × partitions][checksum u32 × partitions]
 *   [chunk images …][trailer: chunks u32, pad u32, chunk offset f64 × chunks, first row f64 × chunks]
 *
 * A chunk is one block holding the rows of a run of consecutive reduce partitions, in partition order, so a map
 * task encodes a few blocks, not one per reduce partition (with m × r partitions most would hold a record or two).
 * Reduce partition p is rows [rowsEnd[p − 1], rowsEnd[p]) of the output, all inside one chunk. Its checksum covers
 * exactly the bytes a reader of p reads (for each column: validity bits, offsets and values of those rows), so a
 * flipped bit is found by the reader it would mislead, and a reader reads only its own rows, from memory or with
 * positioned reads from the file. A chunk image is the block's descriptor in binary (header words, then its shape
 * and column names as JSON) followed by the block's bytes, each part 8-byte aligned.
 */
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Block, BufferRange, ColumnDescriptor, ColumnType, RecordShape } from '../protocol/block.js';
import type { MapOutputRef } from '../protocol/map-output.js';
import { BlockCorruptError } from './block-corrupt-error.js';
import { assembleBlock, bitmapBytes, type PendingColumn } from './block-layout.js';
import { crc32, crc32Portable } from './crc32.js';

const OUTPUT_MAGIC = 0x4b4d4f32; // 'KMO2'
const IMAGE_MAGIC = 0x4b424c31; // 'KBL1'
const IMAGE_WORDS = 6;
const COLUMN_WORDS = 7;

function align8(bytes: number): number {
  return Math.ceil(bytes / 8) * 8;
}

function indexBytes(partitions: number): number {
  return align8(16 + partitions * 8);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes per value of fixed-width column types (bits for `bool`: handled apart). */
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

function isVariable(type: ColumnType): boolean {
  return type === 'utf8' || type === 'binary-v8';
}

/** Where a map output writer may spill: above `bytesInMemoryMax` bytes the whole output goes to `path`. */
export interface MapOutputSpillTarget {
  readonly path: string;
  readonly bytesInMemoryMax: number;
}

/**
 * Packs one map task's chunks, in partition order, into one buffer, or into one file once they pass
 * `spill.bytesInMemoryMax` (then each chunk is written as it comes: one chunk is held in memory).
 *
 * @example
 * const writer = new MapOutputWriter(4, null);
 * writer.addChunk(encodeBlock([['a', 1], ['b', 2]]), 1, [1, 0, 1]); // partitions 1..3
 * const ref = writer.finish(); // { kind: 'memory', buffer, partitions: 4, rows: 2 }
 */
export class MapOutputWriter {
  private readonly partitions: number;
  private readonly spill: MapOutputSpillTarget | null;
  private readonly rowsEnd: Int32Array;
  private readonly checksums: Uint32Array;
  private readonly chunkOffsets: number[] = [];
  private readonly chunkFirstRows: number[] = [];
  /** Chunk images held in memory (none once the output goes to its file). */
  private readonly images: Uint8Array[] = [];
  /** Bytes of chunk images written so far (in memory and in the file). */
  private written = 0;
  private rows = 0;
  private nextPartition = 0;
  private file: { fd: number; temporary: string; flushed: number } | null = null;

  constructor(partitions: number, spill: MapOutputSpillTarget | null) {
    this.partitions = partitions;
    this.spill = spill;
    this.rowsEnd = new Int32Array(partitions);
    this.checksums = new Uint32Array(partitions);
  }

  /**
   * Appends `block`, whose rows are those of reduce partitions `firstPartition`, `firstPartition + 1` … in order,
   * `rowsPerPartition[i]` of them for partition `firstPartition + i`. Partitions skipped stay empty. A chunk of no
   * rows is kept for its columns (a columnar reader of an empty partition needs them).
   */
  addChunk(block: Block, firstPartition: number, rowsPerPartition: ArrayLike<number>): void {
    const last = firstPartition + rowsPerPartition.length;
    if (firstPartition < this.nextPartition || last > this.partitions) {
      throw new RangeError(`map output: partitions [${firstPartition}, ${last}) added out of order or range`);
    }
    this.fillTo(firstPartition);
    const image = this.append(block);
    this.chunkOffsets.push(image);
    this.chunkFirstRows.push(this.rows);
    const body = new Uint8Array(block.buffer, 0, block.byteLength);
    let start = 0;
    for (let i = 0; i < rowsPerPartition.length; i++) {
      const end = start + rowsPerPartition[i]!;
      const p = firstPartition + i;
      this.rowsEnd[p] = this.rows + end;
      this.checksums[p] = segmentChecksum(block.columns, start, end, (offset, length) =>
        body.subarray(offset, offset + length),
      );
      start = end;
    }
    if (start !== block.rows) throw new RangeError(`map output: ${start} rows of partitions, block has ${block.rows}`);
    this.rows += block.rows;
    this.nextPartition = last;
  }

  finish(): MapOutputRef {
    this.fillTo(this.partitions);
    const base = indexBytes(this.partitions);
    const trailerOffset = base + this.written;
    const chunks = this.chunkOffsets.length;
    const trailer = new Uint8Array(8 + chunks * 16);
    new Uint32Array(trailer.buffer, 0, 1)[0] = chunks;
    const trailerNumbers = new Float64Array(trailer.buffer, 8, chunks * 2);
    for (let i = 0; i < chunks; i++) {
      trailerNumbers[i] = this.chunkOffsets[i]! + base;
      trailerNumbers[chunks + i] = this.chunkFirstRows[i]!;
    }
    const head = new Uint8Array(base);
    const view = new DataView(head.buffer);
    view.setUint32(0, OUTPUT_MAGIC, true);
    view.setUint32(4, this.partitions, true);
    view.setFloat64(8, trailerOffset, true);
    head.set(new Uint8Array(this.rowsEnd.buffer), 16);
    head.set(new Uint8Array(this.checksums.buffer), 16 + this.partitions * 4);
    if (this.file === null) {
      const buffer = new SharedArrayBuffer(trailerOffset + trailer.byteLength);
      const target = new Uint8Array(buffer);
      target.set(head, 0);
      let at = base;
      for (const image of this.images.splice(0, this.images.length)) {
        target.set(image, at);
        at += image.byteLength;
      }
      target.set(trailer, trailerOffset);
      return { kind: 'memory', buffer, partitions: this.partitions, rows: this.rows };
    }
    const path = this.spill!.path;
    try {
      const { fd, temporary } = this.file;
      writeFully(fd, trailer, trailerOffset);
      writeFully(fd, head, 0);
      closeSync(fd);
      this.file = null;
      renameSync(temporary, path);
    } catch (error: unknown) {
      this.abandon();
      throw error;
    }
    const byteLength = trailerOffset + trailer.byteLength;
    return { kind: 'spilled', path, byteLength, partitions: this.partitions, rows: this.rows };
  }

  /** Removes a half-written spill file (the task failed). */
  abandon(): void {
    if (this.file === null) return;
    try {
      closeSync(this.file.fd);
    } catch {
      // Already closed.
    }
    rmSync(this.file.temporary, { force: true });
    this.file = null;
  }

  /** Partitions before `partition` not added yet are empty: they end where the rows so far end. */
  private fillTo(partition: number): void {
    for (let p = this.nextPartition; p < partition; p++) this.rowsEnd[p] = this.rows;
    this.nextPartition = Math.max(this.nextPartition, partition);
  }

  /** Appends the block's image; returns its offset among the images. */
  private append(block: Block): number {
    const schema = encoder.encode(
      JSON.stringify([block.shape, block.columns.map((c) => [c.name, c.type, c.timeZone ?? null])]),
    );
    const wordCount = IMAGE_WORDS + COLUMN_WORDS * block.columns.length;
    const headerBytes = align8(wordCount * 4 + schema.byteLength);
    // One allocation of exactly the image: the output is assembled from these (no doubling buffer's slack).
    const image = new Uint8Array(headerBytes + align8(block.byteLength));
    const words = new Int32Array(image.buffer, 0, wordCount);
    words[0] = IMAGE_MAGIC;
    words[1] = block.rows;
    words[2] = block.checksum | 0;
    words[3] = block.byteLength;
    words[4] = schema.byteLength;
    words[5] = block.columns.length;
    block.columns.forEach((column, c) => {
      const w = IMAGE_WORDS + c * COLUMN_WORDS;
      words[w] = column.nullCount;
      writeRange(words, w + 1, column.validity);
      writeRange(words, w + 3, column.offsets);
      writeRange(words, w + 5, column.data);
    });
    image.set(schema, wordCount * 4);
    image.set(new Uint8Array(block.buffer, 0, block.byteLength), headerBytes);
    const offset = this.written;
    this.written += image.byteLength;
    if (this.file === null && this.spill !== null && this.written > this.spill.bytesInMemoryMax) this.openFile();
    if (this.file === null) this.images.push(image);
    else this.writeImage(image);
    return offset;
  }

  private openFile(): void {
    const path = this.spill!.path;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.tmp-${process.pid}-${threadId}`;
    // The index and trailer are written last, once every chunk's place is known.
    this.file = { fd: openSync(temporary, 'w'), temporary, flushed: indexBytes(this.partitions) };
    const held = this.images.splice(0, this.images.length);
    for (const image of held) this.writeImage(image);
  }

  private writeImage(image: Uint8Array): void {
    const file = this.file!;
    try {
      writeFully(file.fd, image, file.flushed);
    } catch (error: unknown) {
      this.abandon();
      throw error;
    }
    file.flushed += image.byteLength;
  }
}

function writeRange(words: Int32Array, at: number, range: BufferRange | null): void {
  words[at] = range === null ? -1 : range.offset;
  words[at + 1] = range === null ? -1 : range.length;
}

function readRange(words: Int32Array, at: number): BufferRange | null {
  const offset = words[at]!;
  return offset < 0 ? null : { offset, length: words[at + 1]! };
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
}

/** Reads `length` bytes at `offset` of a block's bytes (a view or a copy). */
type ReadBytes = (offset: number, length: number) => Uint8Array;

/** The byte spans of rows [start, end) of each column, in a fixed order: what a reader of those rows reads. */
interface RowSpans {
  readonly validity: Uint8Array | null;
  readonly offsets: Uint8Array | null;
  readonly data: Uint8Array | null;
}

function spansOf(columns: readonly ColumnDescriptor[], start: number, end: number, read: ReadBytes): RowSpans[] {
  return columns.map((column) => {
    const bits = (range: BufferRange | null): Uint8Array | null =>
      range === null ? null : read(range.offset + (start >>> 3), bitmapBytes(end) - (start >>> 3));
    const validity = bits(column.validity);
    if (column.data === null) return { validity, offsets: null, data: null };
    if (column.type === 'bool') return { validity, offsets: null, data: bits(column.data) };
    if (!isVariable(column.type)) {
      const width = valueBytes(column.type);
      return { validity, offsets: null, data: read(column.data.offset + start * width, (end - start) * width) };
    }
    const offsets = read(column.offsets!.offset + start * 4, (end - start + 1) * 4);
    const view = new DataView(offsets.buffer, offsets.byteOffset, offsets.byteLength);
    const first = view.getInt32(0, true);
    const last = view.getInt32((end - start) * 4, true);
    if (!(first >= 0 && last >= first)) throw new Error(`expected ascending value offsets, found ${first}..${last}`);
    return { validity, offsets, data: read(column.data.offset + first, last - first) };
  });
}

function checksumOfSpans(spans: readonly RowSpans[]): number {
  let sum = 0;
  for (const span of spans) {
    for (const part of [span.validity, span.offsets, span.data]) {
      // Most spans are a few bytes (a record or two per reduce partition): a table lookup per byte beats a call
      // into the native CRC there.
      if (part !== null) sum = (Math.imul(sum, 31) + (part.byteLength < 256 ? crc32Portable(part) : crc32(part))) >>> 0;
    }
  }
  return sum;
}

function segmentChecksum(columns: readonly ColumnDescriptor[], start: number, end: number, read: ReadBytes): number {
  return checksumOfSpans(spansOf(columns, start, end, read));
}

/** A map output as this thread has parsed it: its index and chunk descriptors, kept per output handle. */
interface ParsedOutput {
  readonly rowsEnd: Int32Array;
  readonly checksums: Uint32Array;
  readonly chunkOffsets: Float64Array;
  readonly chunkFirstRows: Float64Array;
  /** Chunk descriptors (ranges relative to the chunk's bytes) and where those bytes start, parsed on first use. */
  readonly chunks: ({ readonly block: Block; readonly bodyOffset: number } | undefined)[];
}

const parsedOutputs = new WeakMap<MapOutputRef, ParsedOutput>();

/** Parsed shapes and column names by their JSON text: most chunks of a shuffle share one. */
const schemas = new Map<string, { shape: RecordShape; columns: [string, ColumnType, string | null][] }>();
const SCHEMAS_MAX = 256;

/**
 * Reduce partition `partition`'s rows of a map output as a block of their own (a private copy, checked against
 * the checksum recorded when written; the block's own `checksum` is 0: decode it, do not hand it on), or null when
 * it has none; with `keepEmpty`, a block of no rows that carries
 * the output's columns instead, when the output has any. A damaged output or a missing or short file throws
 * `BlockCorruptError` naming `where`.
 *
 * @example
 * const block = readMapOutputBlock(ref, 3, false, () => 'shuffle 2, map partition 7');
 */
export function readMapOutputBlock(
  ref: MapOutputRef,
  partition: number,
  keepEmpty: boolean,
  where: () => string,
): Block | null {
  const at = (): string => (ref.kind === 'spilled' ? `${where()} (spill file ${ref.path})` : where());
  try {
    const parsed = parsedOutputs.get(ref) ?? withSource(ref, (source) => parse(ref, source));
    if (!(partition >= 0 && partition < ref.partitions)) throw new Error(`no reduce partition ${partition}`);
    const start = partition === 0 ? 0 : parsed.rowsEnd[partition - 1]!;
    const end = parsed.rowsEnd[partition]!;
    if (end < start) throw new Error(`expected rows ${start}..${end} to be a range`);
    // Most (map, reduce) pairs of a shuffle with many partitions are empty: nothing is opened for them.
    if (end === start && !(keepEmpty && parsed.chunkOffsets.length > 0)) return null;
    return withSource(ref, (source) => {
      const chunk = chunkIndexOf(parsed, start);
      const { block, bodyOffset } = chunkOf(parsed, chunk, source);
      const first = start - parsed.chunkFirstRows[chunk]!;
      const rows = end - start;
      if (first < 0 || first + rows > block.rows) throw new Error(`expected rows ${start}..${end} inside one chunk`);
      const spans = spansOf(block.columns, first, first + rows, (offset, length) => {
        if (offset < 0 || offset + length > block.byteLength) {
          throw new Error(`expected bytes [${offset}, ${offset + length}) within the chunk's ${block.byteLength}`);
        }
        return source.read(bodyOffset + offset, length);
      });
      if (rows > 0 && checksumOfSpans(spans) !== parsed.checksums[partition]) {
        throw new BlockCorruptError(at(), `checksum mismatch over reduce partition ${partition}'s ${rows} rows`);
      }
      // Built from checked spans and decoded at once: no second checksum pass (its checksum is 0, see
      // assembleBlock), and its structure is right by construction.
      return assembleBlock(block.shape, rows, pendingColumns(block.columns, spans, first, rows), false, false);
    });
  } catch (error: unknown) {
    if (error instanceof BlockCorruptError) throw error;
    throw new BlockCorruptError(at(), error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function withSource<T>(ref: MapOutputRef, use: (source: Source) => T): T {
  const source = openSource(ref);
  try {
    return use(source);
  } finally {
    source.close();
  }
}

/** Rows of each reduce partition of a map output (for fault injection). */
export function mapOutputRows(ref: MapOutputRef): number[] {
  const source = openSource(ref);
  try {
    const { rowsEnd } = parse(ref, source);
    return Array.from(rowsEnd, (end, p) => end - (p === 0 ? 0 : rowsEnd[p - 1]!));
  } finally {
    source.close();
  }
}

/**
 * The bytes of reduce partition `partition`'s values in the output (buffer or file): its first column's values
 * (or offsets or validity bits when it has none), for a fault that flips a bit of them after their checksum was
 * recorded. Null for an empty partition.
 */
export function mapOutputBlockBytes(ref: MapOutputRef, partition: number): BufferRange | null {
  const source = openSource(ref);
  try {
    const parsed = parse(ref, source);
    const start = partition === 0 ? 0 : parsed.rowsEnd[partition - 1]!;
    const end = parsed.rowsEnd[partition]!;
    if (end === start) return null;
    const chunk = chunkIndexOf(parsed, start);
    const { block, bodyOffset } = chunkOf(parsed, chunk, source);
    const first = start - parsed.chunkFirstRows[chunk]!;
    const read: BufferRange[] = [];
    spansOf(block.columns, first, first + end - start, (offset, length) => {
      read.push({ offset: bodyOffset + offset, length });
      return source.read(bodyOffset + offset, length);
    });
    return read.find((range) => range.length > 0) ?? null;
  } finally {
    source.close();
  }
}

/** The chunk holding output row `row` (chunks are in row order). */
function chunkIndexOf(parsed: ParsedOutput, row: number): number {
  let chunk = parsed.chunkOffsets.length - 1;
  while (chunk > 0 && parsed.chunkFirstRows[chunk]! > row) chunk--;
  return chunk;
}

interface Source {
  read(offset: number, length: number): Uint8Array;
  close(): void;
}

function openSource(ref: MapOutputRef): Source {
  if (ref.kind === 'memory') {
    const all = new Uint8Array(ref.buffer);
    return {
      read: (offset, length) => {
        if (!(offset >= 0 && offset + length <= all.byteLength)) {
          throw new Error(`expected bytes [${offset}, ${offset + length}) within ${all.byteLength}`);
        }
        return all.subarray(offset, offset + length);
      },
      close: () => {},
    };
  }
  const fd = openSync(ref.path, 'r');
  return {
    read: (offset, length) => {
      if (!(offset >= 0 && offset + length <= ref.byteLength)) {
        throw new Error(`expected bytes [${offset}, ${offset + length}) within ${ref.byteLength}`);
      }
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, bytes, done, length - done, offset + done);
        if (n === 0) throw new Error(`the file ends at byte ${offset + done}, expected ${ref.byteLength} bytes`);
        done += n;
      }
      return bytes;
    },
    close: () => closeSync(fd),
  };
}

/** A private copy whose buffer starts at the view (typed-array views of it are aligned). */
function own(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

function parse(ref: MapOutputRef, source: Source): ParsedOutput {
  let parsed = parsedOutputs.get(ref);
  if (parsed !== undefined) return parsed;
  const partitions = ref.partitions;
  const head = new DataView(own(source.read(0, 16)));
  if (head.getUint32(0, true) !== OUTPUT_MAGIC || head.getUint32(4, true) !== partitions) {
    throw new Error(`expected a map output index of ${partitions} partitions`);
  }
  const trailerOffset = head.getFloat64(8, true);
  const chunks = new Uint32Array(own(source.read(trailerOffset, 4)))[0]!;
  const numbers = new Float64Array(own(source.read(trailerOffset + 8, chunks * 16)));
  parsed = {
    rowsEnd: new Int32Array(own(source.read(16, partitions * 4))),
    checksums: new Uint32Array(own(source.read(16 + partitions * 4, partitions * 4))),
    chunkOffsets: numbers.subarray(0, chunks),
    chunkFirstRows: numbers.subarray(chunks),
    chunks: new Array(chunks).fill(undefined),
  };
  parsedOutputs.set(ref, parsed);
  return parsed;
}

function chunkOf(parsed: ParsedOutput, chunk: number, source: Source): { block: Block; bodyOffset: number } {
  const known = parsed.chunks[chunk];
  if (known !== undefined) return known;
  const at = parsed.chunkOffsets[chunk]!;
  const head = new Int32Array(own(source.read(at, IMAGE_WORDS * 4)));
  const [magic, rows, checksum, byteLength, schemaBytes, columnCount] = head as unknown as number[];
  if (magic !== IMAGE_MAGIC || rows! < 0 || byteLength! < 0 || schemaBytes! < 0 || columnCount! < 0) {
    throw new Error('expected a chunk header, found damaged words');
  }
  const wordsBytes = (IMAGE_WORDS + COLUMN_WORDS * columnCount!) * 4;
  const header = source.read(at, wordsBytes + schemaBytes!);
  const words = new Int32Array(own(header.subarray(0, wordsBytes)));
  const text = decoder.decode(header.subarray(wordsBytes));
  let schema = schemas.get(text);
  if (schema === undefined) {
    const [shape, columns] = JSON.parse(text) as [RecordShape, [string, ColumnType, string | null][]];
    schema = { shape, columns };
    if (schemas.size >= SCHEMAS_MAX) schemas.clear();
    schemas.set(text, schema);
  }
  if (schema.columns.length !== columnCount) {
    throw new Error(`expected ${columnCount} columns in the schema, found ${schema.columns.length}`);
  }
  const columns: ColumnDescriptor[] = schema.columns.map(([name, type, timeZone], c) => {
    const w = IMAGE_WORDS + c * COLUMN_WORDS;
    return {
      name,
      type,
      nullCount: words[w]!,
      validity: readRange(words, w + 1),
      offsets: readRange(words, w + 3),
      data: readRange(words, w + 5),
      ...(timeZone === null ? {} : { timeZone }),
    };
  });
  // The descriptor only: its bytes stay in the output and are read per reduce partition (`buffer` is unused).
  const block: Block = {
    rows: rows!,
    shape: schema.shape,
    columns,
    buffer: null as unknown as SharedArrayBuffer,
    byteLength: byteLength!,
    checksum: checksum! >>> 0,
  };
  const entry = { block, bodyOffset: at + align8(wordsBytes + schemaBytes!) };
  parsed.chunks[chunk] = entry;
  return entry;
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
  spans: readonly RowSpans[],
  first: number,
  rows: number,
): PendingColumn[] {
  return columns.map((column, c) => {
    const span = spans[c]!;
    let nullCount = 0;
    if (span.validity !== null) {
      const scratch = new Uint8Array(bitmapBytes(rows));
      nullCount = rows - copyBits(span.validity, first, rows, scratch);
    }
    const variable = isVariable(column.type);
    const dataBytes = column.data === null ? -1 : column.type === 'bool' ? bitmapBytes(rows) : span.data!.byteLength;
    return {
      name: column.name,
      type: column.type,
      nullCount: column.type === 'null' ? rows : nullCount,
      validityBytes: nullCount > 0 && column.type !== 'null' ? bitmapBytes(rows) : 0,
      hasOffsets: variable,
      dataBytes,
      ...(column.timeZone === undefined || column.timeZone === null ? {} : { timeZone: column.timeZone }),
      fill: (target) => {
        if (target.validity !== null) copyBits(span.validity!, first, rows, target.validity);
        if (target.offsets !== null) {
          const view = new DataView(span.offsets!.buffer, span.offsets!.byteOffset, span.offsets!.byteLength);
          const base = view.getInt32(0, true);
          for (let i = 0; i <= rows; i++) target.offsets[i] = view.getInt32(i * 4, true) - base;
        }
        if (target.data !== null) {
          if (column.type === 'bool') copyBits(span.data!, first, rows, target.data);
          else target.data.set(span.data!);
        }
      },
    };
  });
}
