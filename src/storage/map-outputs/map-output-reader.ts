/**
 * Reads a map task's packed shuffle output (layout: map-output-layout.ts). An output in shared memory is read in
 * place: a reduce partition's rows are a row range of a chunk block over the output's own buffer, checked against
 * their checksum without a copy. A spilled output is read with positioned reads of exactly those rows' bytes.
 */
import type { Block, ColumnDescriptor, ColumnType, RecordShape } from '../../protocol/block.js';
import type { MapOutputRef } from '../../protocol/map-output.js';
import { BlockCorruptError } from '../blocks/block-corrupt-error.js';
import { bitmapBytes } from '../blocks/block-layout.js';
import { checkBlockStructure } from '../blocks/block-structure.js';
import { own, withSource, type Source } from './map-output-source.js';
import { readSpilledRows } from './map-output-spilled.js';
import {
  align8,
  COLUMN_WORDS,
  countBits,
  countLowBits,
  spanAt,
  spansOf,
  HEAD_BYTES,
  IMAGE_MAGIC,
  IMAGE_WORDS,
  OUTPUT_MAGIC,
  readRange,
  segmentBytes,
  segmentChecksum,
  trailerBytes,
} from './map-output-layout.js';

/**
 * Rows [start, end) of `block`: one reduce partition's rows of one map output. For an output in memory the block is
 * a chunk of the output, over the output's shared buffer (read it, never write it); for a spilled one a private
 * block of just those rows. `bytes` is what was read.
 */
export interface BlockRows {
  readonly block: Block;
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
}

interface ParsedChunk {
  /** For an output in memory: over the output's buffer, ranges from its start; else ranges from the chunk body. */
  readonly block: Block;
  readonly bodyOffset: number;
}

/** A map output's index as this thread parsed it (views of the output's buffer when it is in memory). */
interface MapOutputIndex {
  /** An output in memory: its bytes, and a source over them. */
  readonly bytes: Uint8Array | null;
  readonly ints: Int32Array | null;
  readonly memory: Source | null;
  readonly chunkOffsets: Float64Array;
  readonly chunkFirstRows: Float64Array;
  readonly rowsEnd: Int32Array;
  readonly checksums: Uint32Array;
  readonly nonEmpty: Uint8Array;
  /** Index entries before each group of 4 bitmap bytes (32 partitions). */
  readonly entriesBefore: Int32Array;
  readonly chunks: (ParsedChunk | undefined)[];
}

const indexes = new WeakMap<MapOutputRef, MapOutputIndex>();

/** Parsed shapes and column names by their JSON text: most chunks of a shuffle share one. */
const schemas = new Map<string, { shape: RecordShape; columns: [string, ColumnType, string | null][] }>();
const SCHEMAS_MAX = 256;

const decoder = new TextDecoder();

/**
 * Reduce partition `partition`'s rows of a map output, checked against the checksum recorded when written, or null
 * when it has none; with `keepEmpty`, no rows of a block that carries the output's columns instead, when the output
 * has any. A damaged output or a missing or short file throws `BlockCorruptError` naming `where`.
 *
 * @example
 * const rows = readMapOutputRows(ref, 3, false, () => 'shuffle 2, map partition 7');
 * if (rows !== null) decodeBlockRows(rows.block, rows.start, rows.end);
 */
export function readMapOutputRows(
  ref: MapOutputRef,
  partition: number,
  keepEmpty: boolean,
  where: () => string,
): BlockRows | null {
  const index = indexes.get(ref);
  // Most (map, reduce) pairs of a shuffle with many partitions are empty: one bit says so.
  if (index !== undefined && !hasRows(index, partition) && !(keepEmpty && index.chunkOffsets.length > 0)) return null;
  const at = (): string => (ref.kind === 'spilled' ? `${where()} (spill file ${ref.path})` : where());
  try {
    // An output in memory is read through the source its index keeps: nothing is opened per read.
    if (index?.memory != null) return readRows(ref, index, partition, keepEmpty, index.memory, at);
    return withSource(ref, (source) => readRows(ref, parse(ref, source), partition, keepEmpty, source, at));
  } catch (error: unknown) {
    if (error instanceof BlockCorruptError) throw error;
    throw new BlockCorruptError(at(), error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * The reduce partitions that have rows in a map output, as a bitmap (bit p & 7 of byte p >> 3), read in place for an
 * output in memory. A damaged output or a missing or short file throws `BlockCorruptError` naming `where`.
 *
 * @example
 * const withRows = mapOutputPartitionsWithRows(ref, () => 'shuffle 2, map partition 7');
 */
export function mapOutputPartitionsWithRows(ref: MapOutputRef, where: () => string): Uint8Array {
  const index = indexes.get(ref);
  if (index !== undefined) return index.nonEmpty;
  try {
    return withSource(ref, (source) => parse(ref, source).nonEmpty);
  } catch (error: unknown) {
    const at = ref.kind === 'spilled' ? `${where()} (spill file ${ref.path})` : where();
    throw new BlockCorruptError(at, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function readRows(
  ref: MapOutputRef,
  parsed: MapOutputIndex,
  partition: number,
  keepEmpty: boolean,
  source: Source,
  at: () => string,
): BlockRows | null {
  if (!(partition >= 0 && partition < ref.partitions)) throw new Error(`no reduce partition ${partition}`);
  const entry = hasRows(parsed, partition) ? entryOf(parsed, partition) : -1;
  if (entry < 0 && !(keepEmpty && parsed.chunkOffsets.length > 0)) return null;
  const start = entry <= 0 ? 0 : parsed.rowsEnd[entry - 1]!;
  const end = entry < 0 ? start : parsed.rowsEnd[entry]!;
  if (end < start) throw new Error(`expected rows ${start}..${end} to be a range`);
  const chunk = entry < 0 ? 0 : chunkIndexOf(parsed, start);
  const { block, bodyOffset } = chunkOf(parsed, chunk, source, at);
  const first = entry < 0 ? 0 : start - parsed.chunkFirstRows[chunk]!;
  const rows = end - start;
  if (first < 0 || first + rows > block.rows) throw new Error(`expected rows ${start}..${end} inside one chunk`);
  if (parsed.bytes !== null) {
    if (rows === 0) return { block, start: 0, end: 0, bytes: 0 };
    const checksum = segmentChecksum(parsed.bytes, parsed.ints!, block.columns, first, first + rows);
    if (checksum !== parsed.checksums[entry]) throw mismatch(at(), partition, rows);
    return { block, start: first, end: first + rows, bytes: segmentBytes };
  }
  return readSpilledRows(block, bodyOffset, first, rows, source, (sum) => {
    if (rows > 0 && sum !== parsed.checksums[entry]) throw mismatch(at(), partition, rows);
  });
}

function mismatch(where: string, partition: number, rows: number): BlockCorruptError {
  return new BlockCorruptError(where, `checksum mismatch over reduce partition ${partition}'s ${rows} rows`);
}

function hasRows(index: MapOutputIndex, partition: number): boolean {
  return ((index.nonEmpty[partition >>> 3]! >>> (partition & 7)) & 1) === 1;
}

/** The index entry of a partition that has rows: the set bits before its bit. */
function entryOf(index: MapOutputIndex, partition: number): number {
  const byte = partition >>> 3;
  const group = partition >>> 5;
  return (
    index.entriesBefore[group]! +
    countBits(index.nonEmpty, group * 4, byte) +
    countLowBits(index.nonEmpty[byte]!, partition & 7)
  );
}

/** Rows of each reduce partition of a map output (for fault injection). */
export function mapOutputRows(ref: MapOutputRef): number[] {
  return withSource(ref, (source) => {
    const index = parse(ref, source);
    const rows: number[] = [];
    for (let p = 0, entry = 0; p < ref.partitions; p++) {
      if (!hasRows(index, p)) {
        rows.push(0);
        continue;
      }
      rows.push(index.rowsEnd[entry]! - (entry === 0 ? 0 : index.rowsEnd[entry - 1]!));
      entry++;
    }
    return rows;
  });
}

/**
 * Where reduce partition `partition`'s values lie in the output (buffer or file): its first non-empty span of
 * values (else of offsets or validity bits), for a fault that flips a bit of them after their checksum was recorded. Null for an
 * empty partition.
 */
export function mapOutputBlockBytes(ref: MapOutputRef, partition: number): { offset: number; length: number } | null {
  return withSource(ref, (source) => {
    const index = parse(ref, source);
    if (!hasRows(index, partition)) return null;
    const entry = entryOf(index, partition);
    const start = entry === 0 ? 0 : index.rowsEnd[entry - 1]!;
    const chunk = chunkIndexOf(index, start);
    const { block, bodyOffset } = chunkOf(index, chunk, source, () => `map output ${partition}`);
    const first = start - index.chunkFirstRows[chunk]!;
    const base = index.bytes === null ? bodyOffset : 0;
    const count = spansOf(block.columns, first, first + index.rowsEnd[entry]! - start, (offset) =>
      new DataView(own(source.read(base + offset, 4))).getInt32(0, true),
    );
    const spans = Array.from({ length: count }, (_, i) => spanAt(i)).map((s) => ({ ...s, offset: base + s.offset }));
    // Values (or codes) first: a partition's offsets and bitmap bytes may be shared with its neighbours, its values
    // never are (a dictionary's strings may be: they are the chunk's).
    const unshared = (s: { column: number; part: number; length: number }) =>
      s.length > 0 && (s.part === 3 || (s.part === 2 && block.columns[s.column]!.type !== 'utf8-dict'));
    const span = spans.find(unshared) ?? spans.find((s) => s.length > 0);
    return span === undefined ? null : { offset: span.offset, length: span.length };
  });
}

/** The chunk holding output row `row` (chunks are in row order, few per output). */
function chunkIndexOf(index: MapOutputIndex, row: number): number {
  let chunk = index.chunkOffsets.length - 1;
  while (chunk > 0 && index.chunkFirstRows[chunk]! > row) chunk--;
  return chunk;
}

function parse(ref: MapOutputRef, source: Source): MapOutputIndex {
  let index = indexes.get(ref);
  if (index !== undefined) return index;
  const partitions = ref.partitions;
  const head = new DataView(own(source.read(0, HEAD_BYTES)));
  if (head.getUint32(0, true) !== OUTPUT_MAGIC || head.getUint32(4, true) !== partitions) {
    throw new Error(`expected a map output index of ${partitions} partitions`);
  }
  const trailerOffset = head.getFloat64(8, true);
  const counts = new Uint32Array(own(source.read(trailerOffset, 8)));
  const chunks = counts[0]!;
  const nonEmptyCount = counts[1]!;
  if (!(nonEmptyCount <= partitions && nonEmptyCount <= ref.rows)) {
    throw new Error(`expected at most ${partitions} non-empty partitions, found ${nonEmptyCount}`);
  }
  // In memory the index is read in place (the output's bytes never change); from a file it is read once.
  const length = trailerBytes(chunks, nonEmptyCount, partitions);
  const trailer =
    ref.kind === 'memory'
      ? source.read(trailerOffset, length)
      : new Uint8Array(own(source.read(trailerOffset, length)));
  const { buffer, byteOffset } = trailer;
  const numbers = new Float64Array(buffer, byteOffset + 8, chunks * 2);
  const entriesAt = byteOffset + 8 + chunks * 16;
  const nonEmpty = new Uint8Array(buffer, entriesAt + nonEmptyCount * 8, bitmapBytes(partitions));
  const groups = Math.ceil(nonEmpty.byteLength / 4);
  const entriesBefore = new Int32Array(groups + 1);
  for (let g = 0; g < groups; g++) {
    entriesBefore[g + 1] = entriesBefore[g]! + countBits(nonEmpty, g * 4, Math.min(nonEmpty.byteLength, g * 4 + 4));
  }
  if (entriesBefore[groups] !== nonEmptyCount) {
    throw new Error(`expected ${nonEmptyCount} non-empty partitions in the bitmap, found ${entriesBefore[groups]}`);
  }
  index = {
    bytes: ref.kind === 'memory' ? new Uint8Array(ref.buffer) : null,
    ints: ref.kind === 'memory' ? new Int32Array(ref.buffer, 0, ref.buffer.byteLength >>> 2) : null,
    memory: ref.kind === 'memory' ? source : null,
    chunkOffsets: numbers.subarray(0, chunks),
    chunkFirstRows: numbers.subarray(chunks),
    rowsEnd: new Int32Array(buffer, entriesAt, nonEmptyCount),
    checksums: new Uint32Array(buffer, entriesAt + nonEmptyCount * 4, nonEmptyCount),
    nonEmpty,
    entriesBefore,
    chunks: new Array<ParsedChunk | undefined>(chunks).fill(undefined),
  };
  for (let e = 0, previous = 0; e < nonEmptyCount; e++) {
    const end = index.rowsEnd[e]!;
    if (!(end > previous && end <= ref.rows)) throw new Error(`expected rows end ${end} after ${previous}`);
    previous = end;
  }
  indexes.set(ref, index);
  return index;
}

function chunkOf(index: MapOutputIndex, chunk: number, source: Source, where: () => string): ParsedChunk {
  const known = index.chunks[chunk];
  if (known !== undefined) return known;
  const at = index.chunkOffsets[chunk]!;
  const head = new Int32Array(own(source.read(at, IMAGE_WORDS * 4)));
  const [magic, rows, , byteLength, schemaBytes, columnCount] = head as unknown as number[];
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
  const bodyOffset = at + align8(wordsBytes + schemaBytes!);
  // In memory the chunk is a block over the output's buffer (its ranges moved by where its bytes start).
  const base = index.bytes === null ? 0 : bodyOffset;
  const moved = (range: { offset: number; length: number } | null) =>
    range === null ? null : { offset: range.offset + base, length: range.length };
  const columns: ColumnDescriptor[] = schema.columns.map(([name, type, timeZone], c) => {
    const w = IMAGE_WORDS + c * COLUMN_WORDS;
    return {
      name,
      type,
      nullCount: words[w]!,
      validity: moved(readRange(words, w + 1)),
      offsets: moved(readRange(words, w + 3)),
      data: moved(readRange(words, w + 5)),
      // Always present (null / -1 for none): every descriptor has one shape, and the span walk stays monomorphic.
      timeZone,
      codes: moved(readRange(words, w + 7)),
      dictionarySize: type === 'utf8-dict' ? words[w + 9]! : -1,
    };
  });
  const block: Block = {
    rows: rows!,
    shape: schema.shape,
    columns,
    // A spilled chunk's descriptor only: its bytes are read per reduce partition (`buffer` is unused).
    buffer: index.bytes === null ? (null as unknown as SharedArrayBuffer) : (index.bytes.buffer as SharedArrayBuffer),
    byteLength: base + byteLength!,
    checksum: 0,
  };
  // Read in place, its descriptor is checked once (ranges aligned and inside the output), not its bytes: each
  // reduce partition's checksum says its own rows' bytes are the ones written, and a flipped bit elsewhere in the
  // chunk concerns only the reader of those rows.
  if (index.bytes !== null) checkBlockStructure(block, `${where()}, chunk ${chunk}`, false);
  const entry = { block, bodyOffset };
  index.chunks[chunk] = entry;
  return entry;
}
