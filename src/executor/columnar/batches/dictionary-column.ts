/**
 * A string column read from a dictionary-coded block column (`utf8-dict`): to every kernel an ordinary view column
 * (`starts`/`ends` into the dictionary's bytes, made on first use, so a query that never reads the column's
 * strings never builds them), and to kernels that ask (`dictionaryOf`: the group-by's key assignment) its codes,
 * for work done once per dictionary string instead of once per row.
 *
 * The codes live beside the column (a WeakMap), not in it: a kernel that derives a column by spreading this one
 * with other starts/ends (a slice, a gather) gets a plain column, never one whose codes disagree with its rows.
 */
import { Buffer } from 'node:buffer';

import type { DictionaryCodes } from '../../../storage/blocks/dictionary-codes.js';
import type { Column, Utf8Column } from './batch.js';

/** The codes of a dictionary-read column: row `i` is dictionary string `codes[i]`, `bytes[offsets[c], offsets[c + 1])`. */
export interface DictionaryView {
  readonly codes: DictionaryCodes;
  /** Strings in the dictionary (codes are below it). */
  readonly size: number;
  /** `size + 1` offsets into the column's `bytes`. */
  readonly offsets: Int32Array;
}

const views = new WeakMap<Column, DictionaryView>();

/**
 * The codes of `column` when it was read from a dictionary-coded block column, else undefined.
 *
 * @example
 * const coded = dictionaryOf(keyColumn);
 * if (coded !== undefined) for (let i = 0; i < rows; i++) groupIds[i] = groupOfCode[coded.codes[i]!]!;
 */
export function dictionaryOf(column: Column): DictionaryView | undefined {
  return column.type === 'utf8' ? views.get(column) : undefined;
}

/**
 * A string column whose rows are the dictionary strings `codes` name (a null row views an empty range).
 *
 * @example
 * const column = dictionaryColumn(dictionaryBytes, dictionaryOffsets, size, codes, valid);
 */
export function dictionaryColumn(
  bytes: Uint8Array,
  offsets: Int32Array,
  size: number,
  codes: DictionaryCodes,
  valid: Uint8Array | undefined,
): Utf8Column {
  let starts: Int32Array | null = null;
  let ends: Int32Array | null = null;
  const build = () => {
    const rows = codes.length;
    starts = new Int32Array(rows);
    ends = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const code = codes[i]!;
      starts[i] = offsets[code]!;
      ends[i] = offsets[code + 1]!;
    }
    if (valid !== undefined) for (let i = 0; i < rows; i++) if (valid[i] === 0) starts[i] = ends[i] = 0;
  };
  const column = { type: 'utf8', bytes, valid } as { type: 'utf8'; bytes: Uint8Array; valid: Uint8Array | undefined };
  // Enumerable, so a spread copy (`{ ...column, valid }`) carries the built arrays as plain properties.
  Object.defineProperty(column, 'starts', { enumerable: true, get: () => starts ?? (build(), starts!) });
  Object.defineProperty(column, 'ends', { enumerable: true, get: () => ends ?? (build(), ends!) });
  const utf8 = column as unknown as Utf8Column;
  views.set(utf8, { codes, size, offsets });
  return utf8;
}

/**
 * Rows [start, end) of a dictionary-read column, still dictionary-read (its codes a view, no strings built).
 *
 * @example
 * const part = sliceDictionaryColumn(column, view, 0, 4096);
 */
export function sliceDictionaryColumn(
  column: Utf8Column,
  view: DictionaryView,
  start: number,
  end: number,
): Utf8Column {
  const valid = column.valid?.subarray(start, end);
  return dictionaryColumn(column.bytes, view.offsets, view.size, view.codes.subarray(start, end), valid);
}

/**
 * Rows `indices[0 … count)` of a dictionary-read column, still dictionary-read: its codes gathered (one small read
 * per row), no per-row starts/ends built for the source's rows. An index of -1 gives a null row (the unmatched side
 * of an outer join).
 *
 * @example
 * const right = gatherDictionaryColumn(column, view, rightRows, count);
 */
export function gatherDictionaryColumn(
  column: Utf8Column,
  view: DictionaryView,
  indices: Int32Array,
  count: number,
): Utf8Column {
  const from = view.codes;
  const codes = new (from.constructor as new (n: number) => DictionaryCodes)(count);
  const source = column.valid;
  let valid: Uint8Array | undefined;
  for (let i = 0; i < count; i++) {
    const row = indices[i]!;
    if (row >= 0) codes[i] = from[row]!;
    if (row < 0 || (source !== undefined && source[row] === 0)) {
      // Rows before the first null were all valid.
      valid ??= new Uint8Array(count).fill(1);
      valid[i] = 0;
    }
  }
  return dictionaryColumn(column.bytes, view.offsets, view.size, codes, valid);
}

/**
 * How many strings two dictionaries (`size` strings each, string c at `bytes[offsets[c], offsets[c + 1])`) hold code
 * for code from their first: all of the smaller one's when it is a prefix of the other (the same offsets and the
 * same bytes, compared as memory, not string by string: one memcmp), else those before the first that differs.
 * The cached partitions of a dataset share one dictionary per string column, each a prefix of it
 * (`caching/shared-dictionary-codes.ts`); a shuffle chunk's dictionary may begin with one and go on with strings of its
 * own.
 *
 * @example
 * const kept = sharedPrefixSize(was.bytes, was.offsets, was.size, bytes, view.offsets, view.size);
 */
export function sharedPrefixSize(
  aBytes: Uint8Array,
  aOffsets: Int32Array,
  aSize: number,
  bBytes: Uint8Array,
  bOffsets: Int32Array,
  bSize: number,
): number {
  let size = Math.min(aSize, bSize);
  if (size === 0 || (aOffsets === bOffsets && aBytes === bBytes)) return size;
  const start = aOffsets[0]!;
  if (bOffsets[0] !== start) return 0;
  const offsetBytes = (offsets: Int32Array) => new Uint8Array(offsets.buffer, offsets.byteOffset, (size + 1) * 4);
  if (Buffer.compare(offsetBytes(aOffsets), offsetBytes(bOffsets)) !== 0) {
    // Strings up to the first offset that differs.
    let c = 1;
    while (aOffsets[c] === bOffsets[c]) c++;
    size = c - 1;
  }
  const end = aOffsets[size]!;
  if (Buffer.compare(aBytes.subarray(start, end), bBytes.subarray(start, end)) === 0) return size;
  // Strings that end before the first byte that differs.
  let at = start;
  while (aBytes[at] === bBytes[at]) at++;
  let low = 0;
  let high = size;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (aOffsets[mid]! <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}
