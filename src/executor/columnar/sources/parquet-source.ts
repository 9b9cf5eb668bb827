/**
 * `kc.read.parquet`'s source: the row groups of one split of a Parquet file as batches of typed columns, one batch
 * per row group. Only the columns the stage reads are fetched and decoded (each column chunk is one `readSync` of
 * its byte range), and a row group whose min/max statistics rule out the stage's leading filters is skipped
 * unread. Pages are decoded by hyparquet's synchronous column reader (tasks run synchronously; its public reader
 * is async); values land in typed arrays with validity bytes, strings as one byte buffer with ranges (copied once
 * from the pages, never decoded to JS strings; a dictionary value shared by many rows is copied once).
 */
import { closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';

import type { ColumnMetaData, DecodedArray } from 'hyparquet';
import { parquetReader } from '../../../io/parquet-modules.js';
import type { Compressors, ParquetParsers, SchemaTree } from 'hyparquet/src/types.js';
import type * as Fzstd from 'fzstd';

import { InputError } from '../../../common/errors.js';
import { openInput } from '../../../io/files/input-fs-error.js';
import { decodeLz4Block } from '../../../io/lz4-block.js';
import { decimalScale, decimalsOf } from '../../../io/parquet-decimal.js';
import {
  corrupt,
  parquetColumns,
  readAt,
  readParquetFooter,
  unreadableColumn,
  VALUE_PARSERS,
  type ParquetColumn,
} from '../../../io/parquet-footer.js';
import { TEMPORAL_LITERALS } from '../../../io/parsing/temporal-text.js';
import type { ColumnarStage } from '../../../protocol/columnar.js';
import type { FileColumn, ParquetSplit, PartitionColumn } from '../../../protocol/file-formats.js';
import { columnsReadBy, leadingFilters, rowGroupMayMatch } from '../../../protocol/scan-pushdown.js';
import type { Batch, Column } from '../batches/batch.js';

/**
 * Zstandard, Polars' default Parquet codec (and DuckDB's and Spark's on request): fzstd, a small pure-JS decoder
 * (Node 20's zlib has none), loaded at a thread's first ZSTD page. Its CommonJS build loads synchronously on any Node.
 */
let zstd: typeof Fzstd | null = null;

/**
 * Decompressors beyond hyparquet's built-in Snappy: GZIP and BROTLI from Node's zlib, ZSTD from fzstd, LZ4_RAW
 * (one LZ4 block a page) our own (io/lz4-block.ts).
 */
const COMPRESSORS: Compressors = {
  LZ4_RAW: (input, outputLength) => decodeLz4Block(input, outputLength),
  GZIP: (input) => gunzipSync(input),
  BROTLI: (input) => brotliDecompressSync(input),
  ZSTD: (input, outputLength) => {
    zstd ??= createRequire(import.meta.url)('fzstd') as typeof Fzstd;
    return zstd.decompress(input, new Uint8Array(outputLength));
  },
};

let parsers: ParquetParsers | null = null;

/** hyparquet's value parsers with ours (built on first use: hyparquet is loaded per thread when needed). */
function parsersOf(): ParquetParsers {
  parsers ??= { ...parquetReader().convert.DEFAULT_PARSERS, ...VALUE_PARSERS } as ParquetParsers;
  return parsers;
}

/** What a read reports besides its batches. */
export interface ParquetReadProgress {
  onBytes(bytes: number): void;
  /** A row group skipped from its statistics. */
  onSkipped?(rowGroup: number): void;
}

/**
 * Batches of the split's row groups that may hold rows the stage keeps, with the partition columns left to the
 * caller. `stage` is the columnar stage reading the source (null: every column, no pruning).
 *
 * @example
 * for (const batch of readParquetBatches(split, stage, { onBytes: (n) => (read += n) })) rows += batch.rows;
 */
export function* readParquetBatches(
  split: ParquetSplit,
  partition: readonly PartitionColumn[],
  stage: ColumnarStage | null,
  progress: ParquetReadProgress,
): Generator<Batch> {
  const path = split.path;
  const unreadable = split.unreadable ?? [];
  const names = [
    ...split.columns.map((c) => c.name),
    ...unreadable.map((c) => c.name),
    ...partition.map((p) => p.name),
  ];
  const read = stage === null ? null : columnsReadBy(stage, names);
  const blocked = unreadable.find((c) => read === null || read.has(c.name));
  if (blocked !== undefined) throw unreadableColumn(path, blocked, read === null);
  const filters = stage === null ? [] : leadingFilters(stage);
  const { metadata, fileBytes } = readParquetFooter(path, false);
  const columns = parquetColumns(metadata).readable;
  checkSameSchema(columns, split.columns, path);
  const wanted = columns.filter((c) => read === null || read.has(c.name));
  const tree = parquetReader().hyparquet.parquetSchema(metadata);
  const fd = openInput(path);
  try {
    for (const group of split.rowGroups) {
      if (!rowGroupMayMatch(filters, split, partition, group, TEMPORAL_LITERALS)) {
        progress.onSkipped?.(group.index);
        continue;
      }
      const rowGroup = metadata.row_groups[group.index];
      if (rowGroup === undefined || Number(rowGroup.num_rows) !== group.rows) {
        throw corrupt(path, `row group ${group.index} changed since the dataset was defined (re-create it)`);
      }
      const out: Column[] = [];
      for (const column of wanted) {
        const meta = rowGroup.columns[column.chunk]?.meta_data;
        if (meta === undefined) throw corrupt(path, `row group ${group.index}, column '${column.name}': no metadata`);
        const chunk = readChunk(fd, meta, fileBytes, path, group.index, column.name);
        progress.onBytes(chunk.length);
        out.push(decodeChunk(chunk, meta, column, tree, group.rows, `${path}: row group ${group.index}`));
      }
      yield { rows: group.rows, names: wanted.map((c) => c.name), columns: out };
    }
  } finally {
    closeSync(fd);
  }
}

function checkSameSchema(found: readonly FileColumn[], planned: readonly FileColumn[], path: string): void {
  const text = (cs: readonly FileColumn[]) => cs.map((c) => `${c.name}: ${c.type}`).join(', ');
  if (text(found) !== text(planned)) {
    throw new InputError(
      'ERR_INPUT_SCHEMA_MISMATCH',
      `${path}: its columns [${text(found)}] changed since the dataset was defined, expected [${text(planned)}]`,
    );
  }
}

/** The bytes of one column chunk (dictionary page, if any, then data pages). */
function readChunk(fd: number, meta: ColumnMetaData, fileBytes: number, path: string, group: number, name: string) {
  const dictionary = meta.dictionary_page_offset;
  // Some writers put 0 for "no dictionary"; a dictionary page always comes before the data pages.
  const start = Number(
    dictionary !== undefined && dictionary > 0n && dictionary < meta.data_page_offset
      ? dictionary
      : meta.data_page_offset,
  );
  const length = Number(meta.total_compressed_size);
  if (start < 4 || length < 0 || start + length > fileBytes) {
    throw corrupt(
      path,
      `row group ${group}, column '${name}': its chunk spans bytes ${start}–${start + length}, ` +
        `outside the file's ${fileBytes} bytes (truncated?)`,
    );
  }
  const buffer = readAt(fd, start, length);
  if (buffer.length < length) throw corrupt(path, `row group ${group}, column '${name}': the file ends inside it`);
  return buffer;
}

function decodeChunk(
  chunk: Buffer,
  meta: ColumnMetaData,
  column: ParquetColumn,
  tree: SchemaTree,
  rows: number,
  where: string,
): Column {
  let data: DecodedArray[];
  try {
    const schemaPath = parquetReader().schema.getTreePath(tree, meta.path_in_schema);
    const element = schemaPath[schemaPath.length - 1]!.element;
    const scale = decimalScale(element);
    const reader = { view: new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), offset: 0 };
    const decoder = {
      pathInSchema: meta.path_in_schema,
      // A decimal's stored integers (or bytes, not text) as they are: hyparquet's own conversion rounds them wrongly
      // past 2^53 (see io/parquet-decimal.ts).
      element: scale === null ? element : { ...element, converted_type: undefined, logical_type: undefined },
      schemaPath,
      type: meta.type,
      codec: meta.codec,
      compressors: COMPRESSORS,
      parsers: parsersOf(),
      utf8: scale === null,
    };
    data = parquetReader().column.readColumn(
      reader,
      { groupStart: 0, selectStart: 0, selectEnd: rows, groupRows: rows },
      decoder,
    ).data;
    if (scale !== null) data = data.map((part) => decimalsOf(part, scale));
  } catch (error) {
    const message = (error as Error).message;
    const codec = /no decompressor|unsupported (compression )?codec|compressor/i.test(message)
      ? ` (codec ${meta.codec}: kindling reads UNCOMPRESSED, SNAPPY, GZIP, BROTLI, ZSTD and LZ4_RAW)`
      : '';
    throw new InputError(
      'ERR_INPUT_CORRUPT',
      `${where}, column '${column.name}': cannot decode its pages: ${message}${codec}`,
      { cause: error },
    );
  }
  let total = 0;
  for (const part of data) total += part.length;
  if (total !== rows) {
    throw new InputError(
      'ERR_INPUT_CORRUPT',
      `${where}, column '${column.name}': expected ${rows} values, found ${total}`,
    );
  }
  return toColumn(data, rows, column, where);
}

/** The largest int64: an unsigned 64-bit Parquet column (read as int64) holding more fails the read. */
const INT64_MAX = 0x7fffffffffffffffn;

/** The decoded parts (typed arrays, or arrays with null / undefined for nulls) as one column. */
function toColumn(parts: readonly DecodedArray[], rows: number, column: FileColumn, where: string): Column {
  let valid: Uint8Array | undefined;
  const markNull = (row: number) => {
    valid ??= new Uint8Array(rows).fill(1);
    valid[row] = 0;
  };
  if (column.type === 'utf8') return utf8Column(parts, rows, markNull, () => valid);
  const values =
    column.type === 'int32' || column.type === 'date'
      ? new Int32Array(rows)
      : column.type === 'int64'
        ? new BigInt64Array(rows)
        : column.type === 'bool'
          ? new Uint8Array(rows)
          : new Float64Array(rows);
  let row = 0;
  for (const part of parts) {
    if (ArrayBuffer.isView(part) && !(values instanceof BigInt64Array) === !(part instanceof BigInt64Array)) {
      (values as Float64Array).set(part as unknown as Float64Array, row); // typed to typed: no nulls here
      row += part.length;
      continue;
    }
    const items = part as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++, row++) {
      const v = items[i];
      if (v === null || v === undefined) markNull(row);
      else if (values instanceof BigInt64Array) {
        const big = typeof v === 'bigint' ? v : BigInt(v as number);
        // Unsigned 64-bit values come as a BigUint64Array or bigints: storing one past int64 would wrap it.
        if (big > INT64_MAX) throw unsignedOverflow(where, column.name, big);
        values[row] = big;
      } else if (typeof v === 'boolean') values[row] = v ? 1 : 0;
      else values[row] = Number(v);
    }
  }
  switch (column.type) {
    case 'int32':
      return { type: 'i32', values: values as Int32Array, valid };
    case 'date':
      return { type: 'date', values: values as Int32Array, valid };
    case 'int64':
      return { type: 'i64', values: values as BigInt64Array, valid };
    case 'bool':
      return { type: 'bool', values: values as Uint8Array, valid };
    case 'timestamp':
      return {
        type: 'timestamp',
        values: values as Float64Array,
        unit: column.unit ?? 'ms',
        zone: column.zone ?? null,
        valid,
      };
    default:
      return { type: 'f64', values: values as Float64Array, valid };
  }
}

function unsignedOverflow(where: string, name: string, value: bigint): InputError {
  return new InputError(
    'ERR_INPUT_SCHEMA_MISMATCH',
    `${where}, column '${name}': unsigned 64-bit value ${value} does not fit int64, the type kindling reads ` +
      `unsigned 64-bit columns as (expected at most ${INT64_MAX})`,
  );
}

function utf8Column(
  parts: readonly DecodedArray[],
  rows: number,
  markNull: (row: number) => void,
  validOf: () => Uint8Array | undefined,
): Column {
  // A dictionary-encoded column hands out the same bytes object for every row of one value: copy it once.
  const offsets = new Map<Uint8Array, number>();
  let size = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const v = part[i] as unknown;
      if (v instanceof Uint8Array && !offsets.has(v)) {
        offsets.set(v, -1);
        size += v.length;
      }
    }
  }
  const bytes = new Uint8Array(size);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let used = 0;
  let row = 0;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++, row++) {
      const v = part[i] as unknown;
      if (!(v instanceof Uint8Array)) {
        markNull(row);
        continue;
      }
      let at = offsets.get(v)!;
      if (at < 0) {
        at = used;
        bytes.set(v, at);
        used += v.length;
        offsets.set(v, at);
      }
      starts[row] = at;
      ends[row] = at + v.length;
    }
  }
  return { type: 'utf8', bytes, starts, ends, valid: validOf() };
}
