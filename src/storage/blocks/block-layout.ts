/**
 * Lays columns out in one SharedArrayBuffer and seals them into a `Block`. Every column's size is known before the
 * buffer is allocated, so a block costs exactly one allocation of exactly its size; each buffer starts 8-byte
 * aligned (Arrow's requirement, and what Float64Array / BigInt64Array views need).
 */
import {
  dictionaryCodeBytes,
  type Block,
  type BufferRange,
  type ColumnDescriptor,
  type ColumnType,
  type RecordShape,
} from '../../protocol/block.js';
import { crc32 } from './crc32.js';

/** Views into the fresh (zeroed) block buffer where a column writes its bytes, each exactly the declared size. */
export interface ColumnTarget {
  readonly validity: Uint8Array | null;
  readonly offsets: Int32Array | null;
  readonly data: Uint8Array | null;
  /** The codes of a `utf8-dict` column; null for any other. */
  readonly codes: Uint8Array | null;
}

/** A column whose sizes are known and whose bytes are written once the block buffer exists. */
export interface PendingColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly nullCount: number;
  /** Bytes of the validity bitmap, or 0 for none (no nulls, or a `null` column). */
  readonly validityBytes: number;
  /** True for `utf8` and `binary-v8` (rows + 1 int32 offsets) and `utf8-dict` (dictionarySize + 1). */
  readonly hasOffsets: boolean;
  /** Strings in the dictionary of a `utf8-dict` column (its codes take `dictionaryCodeBytes` bytes a row). */
  readonly dictionarySize?: number;
  /** Bytes of values, or -1 for no data buffer (a `null` column). */
  readonly dataBytes: number;
  /** Time zone of a `timestamp-*` column. */
  readonly timeZone?: string | null;
  /** Writes the column into `target`. Bytes not written stay zero. */
  fill(target: ColumnTarget): void;
}

/** Rounds up to the next multiple of 8. */
export function align8(bytes: number): number {
  return (bytes + 7) & ~7;
}

/** Bytes of a bitmap with one bit per row (validity, `bool` values). */
export function bitmapBytes(rows: number): number {
  return (rows + 7) >>> 3;
}

/** Where each column of a block goes (8-byte aligned ranges, in column order) and the block's byte length. */
export function layoutColumns(
  rows: number,
  columns: readonly PendingColumn[],
): {
  descriptors: ColumnDescriptor[];
  byteLength: number;
} {
  let cursor = 0;
  const take = (bytes: number): BufferRange => {
    const range = { offset: cursor, length: bytes };
    cursor += align8(bytes);
    return range;
  };
  const descriptors: ColumnDescriptor[] = columns.map((column) => {
    const size = column.dictionarySize;
    const descriptor: ColumnDescriptor = {
      name: column.name,
      type: column.type,
      nullCount: column.nullCount,
      validity: column.validityBytes > 0 ? take(column.validityBytes) : null,
      offsets: column.hasOffsets ? take(((size ?? rows) + 1) * 4) : null,
      data: column.dataBytes >= 0 ? take(column.dataBytes) : null,
      ...(column.timeZone === undefined || column.timeZone === null ? {} : { timeZone: column.timeZone }),
    };
    if (size === undefined) return descriptor;
    return { ...descriptor, codes: take(rows * dictionaryCodeBytes(size)), dictionarySize: size };
  });
  return { descriptors, byteLength: cursor };
}

/**
 * Lets each column write itself into `buffer` (zeroed), at `base` plus the ranges `layoutColumns` gave it: a block
 * can be filled in place inside a bigger buffer (a packed map output).
 */
export function fillColumns(
  buffer: ArrayBufferLike,
  base: number,
  rows: number,
  columns: readonly PendingColumn[],
  descriptors: readonly ColumnDescriptor[],
): void {
  for (let c = 0; c < columns.length; c++) {
    const { validity, offsets, data, codes } = descriptors[c]!;
    columns[c]!.fill({
      validity: validity === null ? null : new Uint8Array(buffer, base + validity.offset, validity.length),
      offsets: offsets === null ? null : new Int32Array(buffer, base + offsets.offset, offsets.length >>> 2),
      data: data === null ? null : new Uint8Array(buffer, base + data.offset, data.length),
      codes: codes === undefined || codes === null ? null : new Uint8Array(buffer, base + codes.offset, codes.length),
    });
  }
}

/**
 * Allocates one SharedArrayBuffer (a plain ArrayBuffer when not `shared`) for all `columns`, lets each write
 * itself, and computes the checksum (unless not `checksummed`: a private copy, already checked, that is decoded at
 * once and never handed on; its checksum is 0). The result is committed: nothing may write into its buffer afterwards (DESIGN.md §3).
 *
 * @example
 * const block = assembleBlock({ kind: 'scalar' }, rows, [encodeColumn('value', values, scratch)]);
 */
export function assembleBlock(
  shape: RecordShape,
  rows: number,
  columns: readonly PendingColumn[],
  shared = true,
  checksummed = true,
): Block {
  const { descriptors, byteLength } = layoutColumns(rows, columns);
  // A block only copied elsewhere needs no shared memory of its own.
  const buffer = shared
    ? new SharedArrayBuffer(byteLength)
    : (new ArrayBuffer(byteLength) as unknown as SharedArrayBuffer);
  fillColumns(buffer, 0, rows, columns, descriptors);
  const checksum = checksummed ? crc32(new Uint8Array(buffer, 0, byteLength)) : 0;
  return { rows, shape, columns: descriptors, buffer, byteLength, checksum };
}
