/**
 * Reading a `utf8-dict` column (protocol/block.ts): its codes as a typed array of their stored width, and its
 * dictionary as JS strings, decoded once per column (a block read in chunks decodes each string once, not per row).
 */
import { dictionaryCodeBytes, type ColumnDescriptor } from '../../protocol/block.js';

/** Codes as stored: one byte, two bytes or an int32 per row. */
export type DictionaryCodes = Uint8Array | Uint16Array | Int32Array;

/**
 * Codes of rows [start, start + rows) of a `utf8-dict` column (views of the block's buffer).
 *
 * @example
 * const codes = dictionaryCodesOf(block.buffer, descriptor, 0, block.rows);
 */
export function dictionaryCodesOf(
  buffer: ArrayBufferLike,
  column: ColumnDescriptor,
  start: number,
  rows: number,
): DictionaryCodes {
  const width = dictionaryCodeBytes(column.dictionarySize!);
  const offset = column.codes!.offset + start * width;
  if (width === 1) return new Uint8Array(buffer, offset, rows);
  return width === 2 ? new Uint16Array(buffer, offset, rows) : new Int32Array(buffer, offset, rows);
}

const decoded = new WeakMap<ColumnDescriptor, string[]>();

/**
 * The dictionary of a `utf8-dict` column as strings, through `decode(from, to)` of its data bytes; kept per
 * descriptor (a block's descriptors are as immutable as its bytes).
 *
 * @example
 * const strings = dictionaryStringsOf(block.buffer, descriptor, (from, to) => bytes.toString('utf8', from, to));
 */
export function dictionaryStringsOf(
  buffer: ArrayBufferLike,
  column: ColumnDescriptor,
  decode: (from: number, to: number) => string,
): string[] {
  let strings = decoded.get(column);
  if (strings !== undefined) return strings;
  const size = column.dictionarySize!;
  const offsets = new Int32Array(buffer, column.offsets!.offset, size + 1);
  strings = new Array<string>(size);
  for (let d = 0; d < size; d++) strings[d] = decode(offsets[d]!, offsets[d + 1]!);
  decoded.set(column, strings);
  return strings;
}
