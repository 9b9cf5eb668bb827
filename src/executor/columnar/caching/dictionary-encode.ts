/**
 * Dictionary coding of a string column as it is written into a cached partition's block: each distinct string is
 * stored once, and each row as a 1-, 2- or 4-byte code (protocol/block.ts `utf8-dict`). db-benchmark's ids take
 * 1–2 bytes a row instead of 9–16, and a group-by on them assigns groups once per dictionary string.
 *
 * Whether a column is coded is decided per block and column: only when its distinct strings stay at most a quarter
 * of its rows (coding stops as soon as they pass that, and the column is written plain).
 *
 * A partition of a cached dataset then codes into the dataset's shared dictionary of the column
 * (`shared-dictionary-codes.ts`), so that all its partitions share one: its own dictionary's strings are looked up
 * there once each, and the rows' codes mapped through as they are narrowed.
 */
import { dictionaryCodeBytes } from '../../../protocol/block.js';
import { bitmapBytes, type ColumnTarget, type PendingColumn } from '../../../storage/blocks/block-layout.js';
import type { DictionaryCodes } from '../../../storage/blocks/dictionary-codes.js';
import type { Utf8Column } from '../batches/batch.js';
import { ByteKeyTable } from '../kernels/byte-key-table.js';
import { hashBytes } from '../kernels/hash-bytes.js';
import { INLINE_BYTES } from '../kernels/inline-key-words.js';
import { readCodedParts } from './read-time-dictionary.js';
import { sharedCodesOf, type Dictionary } from './shared-dictionary-codes.js';
import { ShortKeyCodes } from './short-key-codes.js';

/** Below this many rows a column is written plain (a dictionary saves too little to matter). */
const ROWS_MIN = 1024;
/** Rows between checks of the distinct count while coding. */
const CHECK_ROWS = 4096;
/**
 * After this many rows, a column whose rows so far are nearly all distinct (more than 15 in 16: a unique id) is
 * refused at once instead of after a quarter of the block, which had doubled the load of tables with such columns.
 * A column of 1e5 ids in 625 k rows (db-benchmark's id3) is 73 % distinct at that point, and is coded.
 */
const PREFIX_ROWS = 65536;

/** Why coding stopped: a key the table does not take (longer than 12 bytes), or too many distinct strings. */
type Refusal = 'key' | 'distinct';

/** Tables per thread, emptied for each column (their arrays kept at their grown size). */
const shortKeys = new ShortKeyCodes();
let longKeys: ByteKeyTable | null = null;
/** Per thread: the int32 codes of the column being coded, before they are narrowed to their stored width. */
let scratch = new Int32Array(0);

/** The first `rows` rows of a string column. */
export interface Utf8Part {
  readonly column: Utf8Column;
  readonly rows: number;
}

/**
 * The rows of `parts` (back to back) as a pending `utf8-dict` column, or null when they are better written plain
 * (few rows, more distinct strings than a quarter of the rows, or no value at all). `fillValidity` writes the
 * validity bitmap, as for a plain column.
 *
 * @example
 * const pending = dictionaryPendingColumn('id1', [{ column, rows }], rows, nullCount, fillValidity);
 */
export function dictionaryPendingColumn(
  name: string,
  parts: readonly Utf8Part[],
  rows: number,
  nullCount: number,
  fillValidity: (target: ColumnTarget) => void,
): PendingColumn | null {
  if (rows < ROWS_MIN || nullCount === rows) return null;
  const limit = rows >>> 2;
  const read = readCodedParts(parts);
  if (read !== null) {
    // Coded as they were read: the same dictionary and codes, and the same refusals, without a pass over the strings.
    if (read.size > limit || !prefixChecksPass(parts, read.codes, read.size)) return null;
    const shared = sharedCodesOf(name, read, limit);
    const narrow = narrowCodes((shared?.dictionary ?? read).size, rows);
    let at = 0;
    for (let p = 0; p < parts.length; p++) {
      const codes = read.codes[p]!;
      if (shared === null) narrow.set(codes, at);
      else mapCodes(codes, shared.codeOf, parts[p]!.column.valid, narrow, at);
      at += codes.length;
    }
    return pendingOf(name, shared?.dictionary ?? read, narrow, rows, nullCount, fillValidity);
  }
  if (scratch.length < rows) scratch = new Int32Array(Math.max(rows, scratch.length * 2));
  const short = codeShortKeys(parts, scratch, limit);
  // Only a key too long for the short-key table is worth a second try; too many strings stay too many.
  const dictionary = short === 'key' ? codeAnyKeys(parts, scratch, limit) : short;
  if (dictionary === 'distinct' || dictionary === 'key') return null;
  const shared = sharedCodesOf(name, dictionary, limit);
  const narrow = narrowCodes((shared?.dictionary ?? dictionary).size, rows);
  if (shared === null) narrow.set(scratch.subarray(0, rows));
  else {
    let at = 0;
    for (const { column, rows: n } of parts) {
      mapCodes(scratch.subarray(at, at + n), shared.codeOf, column.valid, narrow, at);
      at += n;
    }
  }
  return pendingOf(name, shared?.dictionary ?? dictionary, narrow, rows, nullCount, fillValidity);
}

/** `narrow[at + i] = codeOf[codes[i]]` for each row i of a part (a null row: 0, as a null row's code always is). */
function mapCodes(
  codes: Int32Array,
  codeOf: Int32Array,
  valid: Uint8Array | undefined,
  narrow: DictionaryCodes,
  at: number,
): void {
  const n = codes.length;
  if (valid === undefined) for (let i = 0; i < n; i++) narrow[at + i] = codeOf[codes[i]!]!;
  else for (let i = 0; i < n; i++) narrow[at + i] = valid[i] === 0 ? 0 : codeOf[codes[i]!]!;
}

/**
 * Whether a reader coding a column's strings as it reads them (`read-time-dictionary.ts`) should go on, after
 * `seen` rows with `distinct` strings, of about `rowsExpected`: false once the cache would surely write it plain
 * (nearly every row distinct, as `PREFIX_ROWS`; or more distinct strings than a quarter of the expected rows, with
 * a margin for the estimate). Only a guess that saves work: the cache decides on the rows themselves either way.
 *
 * @example
 * if (!codingPaysSoFar(table.size, rows, expectedRows)) stopCoding(c);
 */
export function codingPaysSoFar(distinct: number, seen: number, rowsExpected: number): boolean {
  if (seen >= PREFIX_ROWS && distinct > seen - (seen >>> 4)) return false;
  return distinct <= (rowsExpected / 4) * 1.25;
}

/**
 * `codeRows`'s check of nearly unique columns on codes in first-seen order: at every `CHECK_ROWS`-th row (when it
 * is not null) past `PREFIX_ROWS`, the strings seen so far are the largest code so far plus one. A column of
 * `size` strings, fewer than the check can refuse, needs no pass.
 */
function prefixChecksPass(parts: readonly Utf8Part[], codes: readonly Int32Array[], size: number): boolean {
  if (size <= PREFIX_ROWS - (PREFIX_ROWS >>> 4)) return true;
  let max = 0;
  let seen = 0;
  for (let p = 0; p < parts.length; p++) {
    const part = codes[p]!;
    const valid = parts[p]!.column.valid;
    for (let i = 0; i < part.length; i++) {
      const code = part[i]!;
      if (code > max) max = code;
      seen++;
      if (seen % CHECK_ROWS === 0 && seen >= PREFIX_ROWS && (valid === undefined || valid[i] !== 0)) {
        if (max + 1 > seen - (seen >>> 4)) return false;
      }
    }
  }
  return true;
}

/** Codes of `rows` rows at the stored width for a dictionary of `size` strings. */
function narrowCodes(size: number, rows: number): DictionaryCodes {
  const width = dictionaryCodeBytes(size);
  return width === 1 ? new Uint8Array(rows) : width === 2 ? new Uint16Array(rows) : new Int32Array(rows);
}

/**
 * Codes every valid row of `parts` into `codes` (0 for a null row) with `code`, which returns -1 for a key it
 * does not take; null when all are coded, else why it stopped: a key refused, or more than `limit` strings seen
 * (or nearly every row so far, past `PREFIX_ROWS`).
 */
function codeRows(
  parts: readonly Utf8Part[],
  codes: Int32Array,
  limit: number,
  code: (bytes: Uint8Array, start: number, end: number) => number,
  size: () => number,
): Refusal | null {
  let at = 0;
  for (const { column, rows } of parts) {
    const { bytes, starts, ends, valid } = column;
    for (let i = 0; i < rows; i++) {
      if (valid !== undefined && valid[i] === 0) {
        codes[at + i] = 0;
        continue;
      }
      const c = code(bytes, starts[i]!, ends[i]!);
      if (c < 0) return 'key';
      codes[at + i] = c;
      const seen = at + i + 1;
      if (seen % CHECK_ROWS === 0) {
        const distinct = size();
        if (distinct > limit || (seen >= PREFIX_ROWS && distinct > seen - (seen >>> 4))) return 'distinct';
      }
    }
    if (size() > limit) return 'distinct';
    at += rows;
  }
  return null;
}

/** The dictionary of a column whose strings are all at most 12 bytes (`short-key-codes.ts`), else why not. */
function codeShortKeys(parts: readonly Utf8Part[], codes: Int32Array, limit: number): Dictionary | Refusal {
  const table = shortKeys;
  table.clear();
  const width = firstWidth(parts);
  const refusal =
    width > 0 && width <= INLINE_BYTES
      ? codeFixedWidthRows(parts, codes, limit, table, width)
      : codeRows(
          parts,
          codes,
          limit,
          (bytes, start, end) => table.code(bytes, start, end),
          () => table.size,
        );
  if (refusal !== null) return refusal;
  const size = table.size;
  const offsets = table.offsets.slice(0, size + 1);
  return { size, bytes: table.bytes.slice(0, offsets[size]), offsets };
}

/** The length of the first valid row of `parts` (0 when none has a value). */
function firstWidth(parts: readonly Utf8Part[]): number {
  for (const { column, rows } of parts) {
    for (let i = 0; i < rows; i++) {
      if (column.valid === undefined || column.valid[i] !== 0) return column.ends[i]! - column.starts[i]!;
    }
  }
  return 0;
}

/**
 * `codeRows` through the short-key table for a column whose strings are mostly `width` bytes (ids): runs of rows
 * without nulls are coded by `codeFixedWidth` (no call per row); a null or a row of another length is coded by
 * itself, and the run goes on after it. The same codes, the same checks at the same rows, the same refusals.
 */
function codeFixedWidthRows(
  parts: readonly Utf8Part[],
  codes: Int32Array,
  limit: number,
  table: ShortKeyCodes,
  width: number,
): Refusal | null {
  let at = 0;
  for (const { column, rows } of parts) {
    const { bytes, starts, ends, valid } = column;
    for (let i = 0; i < rows;) {
      // Rows [i, next): up to the next row whose count of rows seen is a multiple of CHECK_ROWS.
      const next = Math.min(rows, i + CHECK_ROWS - ((at + i) % CHECK_ROWS));
      if (table.codeRows(bytes, starts, ends, valid, i, next, width, codes, at) >= 0) return 'key';
      const seen = at + next;
      // As codeRows: a null row is not checked after.
      if (seen % CHECK_ROWS === 0 && (valid === undefined || valid[next - 1] !== 0)) {
        const distinct = table.size;
        if (distinct > limit || (seen >= PREFIX_ROWS && distinct > seen - (seen >>> 4))) return 'distinct';
      }
      i = next;
    }
    if (table.size > limit) return 'distinct';
    at += rows;
  }
  return null;
}

/** The dictionary of any column of at most `limit` distinct strings, through a byte-key table; else why not. */
function codeAnyKeys(parts: readonly Utf8Part[], codes: Int32Array, limit: number): Dictionary | Refusal {
  const table = (longKeys ??= new ByteKeyTable(1 << 12));
  table.clear();
  const refusal = codeRows(
    parts,
    codes,
    limit,
    (bytes, start, end) => table.findOrInsert(bytes, start, end, hashBytes(bytes, start, end)),
    () => table.size,
  );
  if (refusal !== null) return refusal;
  const size = table.size;
  // The table's arena holds its keys back to back in code order: the dictionary's bytes and offsets as they are.
  const dataBytes = table.keyEnds[size - 1]!;
  const offsets = new Int32Array(size + 1);
  offsets.set(table.keyStarts.subarray(0, size));
  offsets[size] = dataBytes;
  return { size, bytes: table.arena.slice(0, dataBytes), offsets };
}

function pendingOf(
  name: string,
  dictionary: Dictionary,
  narrow: DictionaryCodes,
  rows: number,
  nullCount: number,
  fillValidity: (target: ColumnTarget) => void,
): PendingColumn {
  const { size, bytes, offsets } = dictionary;
  return {
    name,
    type: 'utf8-dict',
    nullCount,
    validityBytes: nullCount > 0 ? bitmapBytes(rows) : 0,
    hasOffsets: true,
    dataBytes: bytes.length,
    dictionarySize: size,
    timeZone: null,
    fill: (target) => {
      fillValidity(target);
      target.offsets!.set(offsets);
      target.data!.set(bytes);
      target.codes!.set(new Uint8Array(narrow.buffer, narrow.byteOffset, narrow.byteLength));
    },
  };
}
