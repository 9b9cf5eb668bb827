/**
 * Writes a map task's packed shuffle output (layout: map-output-layout.ts). Chunks arrive as pending columns whose
 * sizes are known before their bytes exist, so the writer sizes the whole output first and each chunk is filled in
 * place in the one SharedArrayBuffer: the output's bytes exist once, not as chunk copies plus the packed copy.
 */
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { Block, ColumnDescriptor, RecordShape } from '../../protocol/block.js';
import type { MapOutputRef } from '../../protocol/map-output.js';
import { bitmapBytes, fillColumns, layoutColumns, type PendingColumn } from '../blocks/block-layout.js';
import {
  align8,
  COLUMN_WORDS,
  HEAD_BYTES,
  IMAGE_MAGIC,
  IMAGE_WORDS,
  OUTPUT_MAGIC,
  segmentChecksum,
  trailerBytes,
  writeRange,
} from './map-output-layout.js';

/** Where a map output writer may spill: above `bytesInMemoryMax` bytes the whole output goes to `path`. */
export interface MapOutputSpillTarget {
  readonly path: string;
  readonly bytesInMemoryMax: number;
}

/** A block not written yet: its shape, rows and columns, each able to write itself once its place is known. */
export interface PendingChunk {
  readonly shape: RecordShape;
  readonly rows: number;
  readonly columns: readonly PendingColumn[];
}

/**
 * A committed block as a pending chunk (its columns copy their bytes from it).
 *
 * @example
 * writer.addChunk(chunkOfBlock(encodeBlock(records, false)), 0, rowsPerPartition);
 */
export function chunkOfBlock(block: Block): PendingChunk {
  const columns = block.columns.map((column): PendingColumn => {
    const bytes = (range: { offset: number; length: number }): Uint8Array =>
      new Uint8Array(block.buffer, range.offset, range.length);
    return {
      name: column.name,
      type: column.type,
      nullCount: column.nullCount,
      validityBytes: column.validity === null ? 0 : column.validity.length,
      hasOffsets: column.offsets !== null,
      dataBytes: column.data === null ? -1 : column.data.length,
      ...(column.timeZone === undefined || column.timeZone === null ? {} : { timeZone: column.timeZone }),
      ...(column.dictionarySize === undefined ? {} : { dictionarySize: column.dictionarySize }),
      fill: (target) => {
        if (target.validity !== null) target.validity.set(bytes(column.validity!));
        if (target.offsets !== null) {
          const { offset, length } = column.offsets!;
          target.offsets.set(new Int32Array(block.buffer, offset, length >>> 2));
        }
        if (target.data !== null) target.data.set(bytes(column.data!));
        if (target.codes !== null) target.codes.set(bytes(column.codes!));
      },
    };
  });
  return { shape: block.shape, rows: block.rows, columns };
}

const encoder = new TextEncoder();

/** A spill image buffer grown past this for one chunk is not kept for the next. */
const IMAGE_BYTES_RETAINED_MAX = 16 * 1024 * 1024;

/**
 * This thread's buffer for the image of a chunk being spilled: written to the file at once, so free again before
 * the next chunk. A new one per chunk was dead memory V8 frees only at its next collection (issue 11: about the
 * output's size per spilled map task, tens of MiB a thread between collections).
 */
let imageSpare = new Uint8Array(0);

/** A chunk with its place decided, held until it is filled (at `finish`, or at once once the output spills). */
interface PlacedChunk {
  chunk: PendingChunk | null;
  readonly descriptors: ColumnDescriptor[];
  readonly byteLength: number;
  /** Image header words and schema text, padded to 8 bytes. */
  readonly header: Uint8Array;
  /** Offset of the image in the output, and the output row of its first row. */
  readonly offset: number;
  readonly firstRow: number;
  /** Pairs (reduce partition, its first row in the chunk) of the partitions with rows; the first one's index entry. */
  readonly partitions: Int32Array;
  readonly firstEntry: number;
}

/**
 * Packs one map task's chunks, in partition order, into one buffer, or into one file once they pass
 * `spill.bytesInMemoryMax` (then each chunk is filled and written as it comes: one chunk is held in memory).
 *
 * @example
 * const writer = new MapOutputWriter(4, null);
 * writer.addChunk(chunkOfBlock(encodeBlock([['a', 1], ['b', 2]], false)), 1, [1, 0, 1]); // partitions 1..3
 * const ref = writer.finish(); // { kind: 'memory', buffer, partitions: 4, rows: 2 }
 */
export class MapOutputWriter {
  private readonly partitions: number;
  private readonly spill: MapOutputSpillTarget | null;
  private readonly nonEmpty: Uint8Array;
  private readonly rowsEnd: number[] = [];
  private readonly checksums: number[] = [];
  private readonly chunks: PlacedChunk[] = [];
  /** Bytes of the output so far (head and chunk images). */
  private written = HEAD_BYTES;
  private rows = 0;
  private nextPartition = 0;
  private file: { fd: number; temporary: string } | null = null;

  constructor(partitions: number, spill: MapOutputSpillTarget | null) {
    this.partitions = partitions;
    this.spill = spill;
    this.nonEmpty = new Uint8Array(bitmapBytes(partitions));
  }

  /** Bytes the output's chunk images take so far. */
  get bytesWritten(): number {
    return this.written - HEAD_BYTES;
  }

  /**
   * Adds `chunk`, whose rows are those of reduce partitions `firstPartition`, `firstPartition + 1` … in order,
   * `rowsPerPartition[i]` of them for partition `firstPartition + i`. Partitions skipped stay empty. A chunk of no
   * rows is kept for its columns (a columnar reader of an empty partition needs them). Returns the chunk's bytes.
   */
  addChunk(chunk: PendingChunk, firstPartition: number, rowsPerPartition: ArrayLike<number>): number {
    const last = firstPartition + rowsPerPartition.length;
    if (firstPartition < this.nextPartition || last > this.partitions) {
      throw new RangeError(`map output: partitions [${firstPartition}, ${last}) added out of order or range`);
    }
    const firstEntry = this.rowsEnd.length;
    const partitions: number[] = [];
    let end = 0;
    for (let i = 0; i < rowsPerPartition.length; i++) {
      const rows = rowsPerPartition[i]!;
      if (rows === 0) continue;
      const p = firstPartition + i;
      partitions.push(p, end);
      end += rows;
      this.nonEmpty[p >>> 3]! |= 1 << (p & 7);
      this.rowsEnd.push(this.rows + end);
      this.checksums.push(0);
    }
    if (end !== chunk.rows) throw new RangeError(`map output: ${end} rows of partitions, chunk has ${chunk.rows}`);
    const { descriptors, byteLength } = layoutColumns(chunk.rows, chunk.columns);
    const placed: PlacedChunk = {
      chunk,
      descriptors,
      byteLength,
      header: imageHeader(chunk, descriptors, byteLength),
      offset: this.written,
      firstRow: this.rows,
      partitions: Int32Array.from(partitions),
      firstEntry,
    };
    this.chunks.push(placed);
    this.rows += chunk.rows;
    this.nextPartition = last;
    const imageBytes = placed.header.byteLength + align8(byteLength);
    this.written += imageBytes;
    if (this.file === null && this.spill !== null && this.bytesWritten > this.spill.bytesInMemoryMax) this.openFile();
    else if (this.file !== null) this.writeChunk(placed);
    return byteLength;
  }

  finish(): MapOutputRef {
    const chunks = this.chunks.length;
    const nonEmpty = this.rowsEnd.length;
    const trailerOffset = this.written;
    const byteLength = trailerOffset + trailerBytes(chunks, nonEmpty, this.partitions);
    if (this.file === null) {
      const buffer = new SharedArrayBuffer(byteLength);
      const bytes = new Uint8Array(buffer);
      for (const placed of this.chunks) this.fill(placed, bytes, placed.offset);
      this.writeHeadAndTrailer(bytes, 0, trailerOffset, bytes, trailerOffset);
      return { kind: 'memory', buffer, partitions: this.partitions, rows: this.rows };
    }
    const path = this.spill!.path;
    try {
      const { fd, temporary } = this.file;
      const head = new Uint8Array(HEAD_BYTES);
      const trailer = new Uint8Array(byteLength - trailerOffset);
      this.writeHeadAndTrailer(head, 0, trailerOffset, trailer, 0);
      writeFully(fd, trailer, trailerOffset);
      writeFully(fd, head, 0);
      closeSync(fd);
      this.file = null;
      renameSync(temporary, path);
    } catch (error: unknown) {
      this.abandon();
      throw error;
    }
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

  /** Writes the chunk's image at `at` of `bytes` (zeroed), fills its columns, and records its partitions' checksums. */
  private fill(placed: PlacedChunk, bytes: Uint8Array, at: number): void {
    const chunk = placed.chunk!;
    bytes.set(placed.header, at);
    const body = bytes.byteOffset + at + placed.header.byteLength;
    fillColumns(bytes.buffer, body, chunk.rows, chunk.columns, placed.descriptors);
    const { partitions, firstEntry } = placed;
    if (partitions.length > 0) {
      // Views of the chunk's bytes: its descriptors' ranges are offsets into them.
      const chunkBytes = new Uint8Array(bytes.buffer, body, placed.byteLength);
      const ints = new Int32Array(bytes.buffer, body, placed.byteLength >>> 2);
      for (let i = 0, entry = firstEntry; i < partitions.length; i += 2, entry++) {
        const start = partitions[i + 1]!;
        const end = i + 3 < partitions.length ? partitions[i + 3]! : chunk.rows;
        this.checksums[entry] = segmentChecksum(chunkBytes, ints, placed.descriptors, start, end);
      }
    }
    // Its bytes are in the output: let the chunk's sources go.
    placed.chunk = null;
  }

  private writeHeadAndTrailer(
    head: Uint8Array,
    headAt: number,
    trailerOffset: number,
    trailer: Uint8Array,
    trailerAt: number,
  ): void {
    const headView = new DataView(head.buffer, head.byteOffset + headAt, HEAD_BYTES);
    headView.setUint32(0, OUTPUT_MAGIC, true);
    headView.setUint32(4, this.partitions, true);
    headView.setFloat64(8, trailerOffset, true);
    const chunks = this.chunks.length;
    const nonEmpty = this.rowsEnd.length;
    const view = new DataView(trailer.buffer, trailer.byteOffset + trailerAt);
    view.setUint32(0, chunks, true);
    view.setUint32(4, nonEmpty, true);
    const entriesAt = 8 + chunks * 16;
    this.chunks.forEach((placed, i) => {
      view.setFloat64(8 + i * 8, placed.offset, true);
      view.setFloat64(8 + (chunks + i) * 8, placed.firstRow, true);
    });
    this.rowsEnd.forEach((end, e) => view.setInt32(entriesAt + e * 4, end, true));
    this.checksums.forEach((sum, e) => view.setUint32(entriesAt + (nonEmpty + e) * 4, sum, true));
    trailer.set(this.nonEmpty, trailerAt + entriesAt + nonEmpty * 8);
  }

  private openFile(): void {
    const path = this.spill!.path;
    mkdirSync(dirname(path), { recursive: true });
    const temporary = `${path}.tmp-${process.pid}-${threadId}`;
    // The head and the index are written last, once every chunk's place is known.
    this.file = { fd: openSync(temporary, 'w'), temporary };
    for (const placed of this.chunks) this.writeChunk(placed);
  }

  /** Fills the chunk's image into the thread's image buffer (zeroed) and writes it at its place in the file. */
  private writeChunk(placed: PlacedChunk): void {
    const file = this.file!;
    const bytes = placed.header.byteLength + align8(placed.byteLength);
    if (imageSpare.byteLength < bytes) imageSpare = new Uint8Array(bytes);
    const image = imageSpare.subarray(0, bytes).fill(0);
    if (imageSpare.byteLength > IMAGE_BYTES_RETAINED_MAX) imageSpare = new Uint8Array(0);
    this.fill(placed, image, 0);
    try {
      writeFully(file.fd, image, placed.offset);
    } catch (error: unknown) {
      this.abandon();
      throw error;
    }
  }
}

/** A chunk image's header: its words (rows, sizes, column ranges) and its shape and column names as JSON. */
function imageHeader(chunk: PendingChunk, descriptors: readonly ColumnDescriptor[], byteLength: number): Uint8Array {
  const schema = encoder.encode(
    JSON.stringify([chunk.shape, descriptors.map((c) => [c.name, c.type, c.timeZone ?? null])]),
  );
  const wordCount = IMAGE_WORDS + COLUMN_WORDS * descriptors.length;
  const header = new Uint8Array(align8(wordCount * 4 + schema.byteLength));
  const words = new Int32Array(header.buffer, 0, wordCount);
  words[0] = IMAGE_MAGIC;
  words[1] = chunk.rows;
  words[2] = 0;
  words[3] = byteLength;
  words[4] = schema.byteLength;
  words[5] = descriptors.length;
  descriptors.forEach((column, c) => {
    const w = IMAGE_WORDS + c * COLUMN_WORDS;
    words[w] = column.nullCount;
    writeRange(words, w + 1, column.validity);
    writeRange(words, w + 3, column.offsets);
    writeRange(words, w + 5, column.data);
    writeRange(words, w + 7, column.codes ?? null);
    words[w + 9] = column.dictionarySize ?? -1;
  });
  header.set(schema, wordCount * 4);
  return header;
}

function writeFully(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done, position + done);
}
