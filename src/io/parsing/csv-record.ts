/**
 * RFC 4180 records as byte ranges: splits one record into its fields without decoding anything, and finds where a
 * record ends when quoted fields may hold newlines (`multiLine`). A quoted field's quotes are removed and its
 * escapes (`""`, or `escape` + quote) undone in place, so every field is a plain byte range of the same buffer.
 */

/** The bytes that structure a CSV file. */
export interface CsvFormat {
  readonly delimiter: number;
  readonly quote: number;
  /** Escapes a quote inside a quoted field; equal to `quote` for RFC 4180's doubled quote. */
  readonly escape: number;
}

/** `splitCsvRecord`: a quoted field does not end before the record does. */
export const UNTERMINATED_QUOTE = -1;
/** `splitCsvRecord`: a closing quote is followed by something other than a delimiter. */
export const TEXT_AFTER_QUOTE = -2;

/** Where `splitCsvRecord` writes the fields it finds (grown by the caller as needed). */
export interface CsvFields {
  starts: Int32Array;
  ends: Int32Array;
  /** 1 for a field that was quoted (a quoted empty field is an empty string, never null). */
  quoted: Uint8Array;
}

/**
 * Splits the record `bytes[start, end)` into fields, writing the first `fields.starts.length` of them; returns the
 * field count, or `UNTERMINATED_QUOTE` / `TEXT_AFTER_QUOTE`. WARNING: rewrites quoted fields in place.
 *
 * @example
 * const n = splitCsvRecord(bytes, 0, bytes.length, { delimiter: 44, quote: 34, escape: 34 }, fields);
 */
export function splitCsvRecord(
  bytes: Uint8Array,
  start: number,
  end: number,
  format: CsvFormat,
  fields: CsvFields,
): number {
  const { delimiter, quote, escape } = format;
  const capacity = fields.starts.length;
  let count = 0;
  let i = start;
  for (;;) {
    let fieldStart = i;
    let fieldEnd: number;
    let isQuoted = 0;
    if (i < end && bytes[i] === quote) {
      isQuoted = 1;
      let r = i + 1;
      let w = r;
      fieldStart = r;
      for (;;) {
        if (r >= end) return UNTERMINATED_QUOTE;
        const b = bytes[r]!;
        if (b === escape && r + 1 < end && (bytes[r + 1] === quote || (escape !== quote && bytes[r + 1] === escape))) {
          bytes[w++] = bytes[r + 1]!;
          r += 2;
        } else if (b === quote) {
          r++;
          break;
        } else {
          if (w !== r) bytes[w] = b;
          w++;
          r++;
        }
      }
      fieldEnd = w;
      i = r;
      if (i < end && bytes[i] !== delimiter) return TEXT_AFTER_QUOTE;
    } else {
      while (i < end && bytes[i] !== delimiter) i++;
      fieldEnd = i;
    }
    if (count < capacity) {
      fields.starts[count] = fieldStart;
      fields.ends[count] = fieldEnd;
      fields.quoted[count] = isQuoted;
    }
    count++;
    if (i >= end) return count;
    i++; // the delimiter; a record ending in one has an empty last field
  }
}

/**
 * The end of the record starting at `from` in `bytes[from, end)` when quoted fields may span lines: the index of
 * the first `\n` outside quotes, or `end`. (A `\r` before it belongs to the terminator; the caller drops it.)
 *
 * @example
 * const recordEnd = findRecordEnd(bytes, at, bytes.length, format);
 */
export function findRecordEnd(bytes: Uint8Array, from: number, end: number, format: CsvFormat): number {
  const { quote, escape } = format;
  let inQuotes = false;
  for (let i = from; i < end; i++) {
    const b = bytes[i]!;
    if (inQuotes && b === escape && escape !== quote && i + 1 < end) {
      i++;
    } else if (b === quote) {
      inQuotes = !inQuotes;
    } else if (b === 0x0a && !inQuotes) {
      return i;
    }
  }
  return end;
}
