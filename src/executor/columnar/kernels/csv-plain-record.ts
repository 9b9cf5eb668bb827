/**
 * The CSV reader's fast path: a plain record (no quoted field, no empty or null field, exactly one field per column,
 * numbers as digits with an optional sign and point) is parsed field by field straight into the batch's columns,
 * each byte read once: an int32 or float64 is parsed as its field is scanned, by the rules of the general path's
 * `parseInt32` and by its `parsePlainDecimal` itself (`io/parsing/parse-field.ts`), so the values are exactly its.
 * The record may also be found as it is scanned (`scanPlainRecord`: it ends at the line terminator after its last
 * field), so a line is read once, not split first and then scanned. Anything else makes it return false (-1), and
 * the caller parses the record on the general path (`io/parsing/csv-record.ts` + `io/parsing/parse-field.ts`), which writes every column of the row again. It spares
 * the general path's field table, its per-field null and type dispatch and its fallbacks through JS strings.
 * A string is copied into its column's `StringBytes` as it is scanned (the bytes are in cache then), so a batch
 * holds its strings packed, not the whole read buffer; or, in a column the reader codes before it reuses its read
 * buffer (`keepStringsInPlace`), only its range is kept.
 */
import { decimalScan, scanPlainDecimalInto } from '../../../io/parsing/parse-field.js';
import type { FieldColumn } from '../sources/field-columns.js';
import type { StringBytes } from './csv-string-bytes.js';

/** How the fast path reads a column (`PlainRecordFormat.kinds`; also `csv-plain-record-scanner.ts`'s). */
export const UTF8 = 0;
export const INT32 = 1;
export const FLOAT64 = 2;
/** Scanned to its delimiter, then parsed by the caller's `storeOther`. */
export const OTHER = 3;
/** A string left where it is: its starts and ends index the record's bytes (`keepStringsInPlace`). */
export const IN_PLACE = 4;

/** Bytes the scan tests for (also baked into `csv-plain-record-scanner.ts`'s generated code). */
export const MINUS = 0x2d;
export const LF = 0x0a;
export const CR = 0x0d;
export const PLUS = 0x2b;
/** Bytes of a plain number: digits, signs and the point. */
const NUMBER_BYTES = [...'0123456789+-.'].map((ch) => ch.charCodeAt(0));

/** Parses a field of a type the fast path does not read itself; false when the text is not a value of it. */
export type StoreField = (column: FieldColumn, row: number, bytes: Uint8Array, start: number, end: number) => boolean;

/** The fast path's settings for one read: per column kind, and the bytes that structure a record. */
export interface PlainRecordFormat {
  readonly kinds: Uint8Array;
  readonly delimiter: number;
  readonly quote: number;
  /** An unquoted field with exactly these bytes is null (empty: only empty fields are). */
  readonly nullBytes: Uint8Array;
  readonly storeOther: StoreField;
}

/**
 * The fast path's format for `columns`, or null when there are none (every record then has a field too many) or
 * the delimiter or the quote may be part of a number (`-`, `+`, `.`, a digit).
 *
 * @example
 * const plain = plainRecordFormat(spec.columns, spec, nullBytes, storeField);
 */
export function plainRecordFormat(
  columns: readonly { readonly type: FieldColumn['type'] }[],
  format: { readonly delimiter: number; readonly quote: number },
  nullBytes: Uint8Array,
  storeOther: StoreField,
): PlainRecordFormat | null {
  if (columns.length === 0) return null;
  // A number is parsed as its field is scanned: a delimiter that may be part of a number would be read as one, and
  // a number does not test for a quote (one that may start a number would be read as part of it).
  if (NUMBER_BYTES.includes(format.delimiter) || NUMBER_BYTES.includes(format.quote)) return null;
  const kinds = Uint8Array.from(columns, ({ type }) =>
    type === 'utf8' ? UTF8 : type === 'int32' ? INT32 : type === 'float64' ? FLOAT64 : OTHER,
  );
  return { kinds, delimiter: format.delimiter, quote: format.quote, nullBytes, storeOther };
}

/**
 * Stores the record `bytes[start, end)` into row `row` of `columns` when it is plain (see the file comment) and
 * returns true; otherwise returns false, having written only values the general path overwrites. A string column
 * `c` gets its bytes appended to `strings[c]` (its starts and ends index that), whose `length` moves only when the
 * record is stored; one kept in place (`keepStringsInPlace`) its range of `bytes`.
 *
 * @example
 * if (!storePlainRecord(bytes, s, e, plain, columns, strings, out)) parseGeneral(bytes, s, e, out);
 */
export function storePlainRecord(
  bytes: Uint8Array,
  start: number,
  end: number,
  format: PlainRecordFormat,
  columns: readonly FieldColumn[],
  strings: readonly (StringBytes | null)[],
  row: number,
): boolean {
  return scanPlainRecord(bytes, start, end, RECORD_END, format, columns, strings, row) === end;
}

/**
 * Makes the fast path keep the strings of column `c` where they are (`on`: its starts and ends index the record's
 * bytes, for a reader that codes them before it reuses its buffer) or copy them (not `on`).
 *
 * @example
 * keepStringsInPlace(plain, c, false); // the column is no longer coded: copy its strings from here on
 */
export function keepStringsInPlace(format: PlainRecordFormat, c: number, on: boolean): void {
  format.kinds[c] = on ? IN_PLACE : UTF8;
}

/** What `limit` is to `scanPlainRecord`: the record's end (a terminator before it is not plain) … */
export const RECORD_END = 0;
/** … the file's end (the last line may lack a terminator) … */
export const FILE_END = 1;
/** … or the end of the bytes read so far (a line that reaches it, or a `\r` just before it, may go on). */
export const READ_END = 2;

/**
 * `storePlainRecord` of the line starting at `start`, its end not known yet: the record ends at the first line
 * terminator (`\n` or `\r`) after its last field, or at `limit` (what that is: `limitIs`). Returns where it ended
 * (the terminator's index, or `limit`), or -1 when the record is not plain or the line may go on past `limit`.
 * So the line split and the record scan are one pass over the bytes. On -1 nothing is kept (as
 * `storePlainRecord`).
 *
 * @example
 * const lineEnd = scanPlainRecord(buf, lo, hi, eof ? FILE_END : READ_END, plain, columns, strings, out);
 */
export function scanPlainRecord(
  bytes: Uint8Array,
  start: number,
  limit: number,
  limitIs: typeof RECORD_END | typeof FILE_END | typeof READ_END,
  format: PlainRecordFormat,
  columns: readonly FieldColumn[],
  strings: readonly (StringBytes | null)[],
  row: number,
): number {
  const { kinds, delimiter, quote, nullBytes } = format;
  const nullLength = nullBytes.length;
  const n = columns.length;
  let i = start;
  for (let c = 0; c < n; c++) {
    const fs = i;
    const column = columns[c]!;
    const kind = kinds[c]!;
    // Most tested first: a table's numbers outnumber its strings. A quote is not a digit: a quoted number is
    // refused by its parse, so only a string or another type's field tests for one.
    if (kind === INT32) {
      // parseInt32: an optional sign, then 1 to 10 digits, in int32's range.
      let negative = false;
      if (i < limit && (bytes[i] === MINUS || bytes[i] === PLUS)) negative = bytes[i++] === MINUS;
      const digitsFrom = i;
      let value = 0;
      for (; i < limit; i++) {
        const d = bytes[i]! - 0x30;
        if (d < 0 || d > 9) break;
        value = value * 10 + d;
      }
      // Only the field's end may stop the digits.
      if (i < limit && !isFieldEnd(bytes[i]!, delimiter)) return -1;
      if (i === digitsFrom || i - digitsFrom > 10) return -1;
      const signed = negative ? -value : value;
      if (signed < -2147483648 || signed > 2147483647) return -1;
      (column.values as Int32Array)[row] = signed;
    } else if (kind === IN_PLACE) {
      if (i < limit && bytes[i] === quote) return -1;
      for (; i < limit; i++) {
        const b = bytes[i]!;
        if (b === delimiter || (b <= CR && (b === LF || b === CR))) break;
      }
      column.starts![row] = fs;
      column.ends![row] = i;
    } else if (kind === FLOAT64) {
      // An exponent, NaN, many digits …: not plain, the general path decides.
      if (!scanPlainDecimalInto(bytes, i, limit, delimiter, column.values as Float64Array, row)) return -1;
      i = decimalScan.end;
    } else if (kind === UTF8) {
      if (i < limit && bytes[i] === quote) return -1;
      // Scan and copy in one loop; the copy is only kept when the whole record is stored.
      const target = strings[c]!;
      const out = target.bytes;
      const at = target.length;
      let o = at;
      for (; i < limit; i++) {
        const b = bytes[i]!;
        if (b === delimiter || (b <= CR && (b === LF || b === CR))) break;
        out[o++] = b;
      }
      column.starts![row] = at;
      column.ends![row] = o;
    } else {
      if (i < limit && bytes[i] === quote) return -1;
      while (i < limit && !isFieldEnd(bytes[i]!, delimiter)) i++;
    }
    if (i === fs) return -1; // empty: null, on the general path
    if (nullLength > 0 && i - fs === nullLength && isNullField(bytes, fs, nullBytes)) return -1;
    if (kind === OTHER && !format.storeOther(column, row, bytes, fs, i)) return -1;
    if (i < limit && bytes[i] === delimiter) {
      if (c === n - 1) return -1; // too many fields
      i++;
    } else if (c !== n - 1) return -1; // too few fields (the line or the bytes end)
  }
  // The last field stopped at a terminator or at the limit.
  if (
    limitIs === RECORD_END ? i !== limit : limitIs === READ_END && (i === limit || (i === limit - 1 && bytes[i] === CR))
  ) {
    return -1;
  }
  for (let c = 0; c < n; c++) {
    const column = columns[c]!;
    if (column.valid !== null) column.valid[row] = 1;
    if (kinds[c] === UTF8) strings[c]!.length = column.ends![row]!;
  }
  return i;
}

/** Whether `b` ends an unquoted field: the delimiter or a line terminator. */
function isFieldEnd(b: number, delimiter: number): boolean {
  return b === delimiter || b === LF || b === CR;
}

function isNullField(bytes: Uint8Array, at: number, nullBytes: Uint8Array): boolean {
  for (let k = 0; k < nullBytes.length; k++) if (bytes[at + k] !== nullBytes[k]) return false;
  return true;
}
