/**
 * The CSV reader's coded string columns: while a column's strings repeat (ids, categories), each is looked up in a
 * dictionary kept for the whole split as it is parsed and the row stores its code (in the column's `starts`), so
 * the string is never copied and the batch's column is a dictionary-read column (`dictionary-column.ts`) whose
 * codes a cached block takes as they are (`dictionary-encode.ts`): no second pass over the strings.
 *
 * A column stops being coded for good when it does not pay: a string longer than the short-key table takes (12
 * bytes; the rows coded so far in the batch are then copied out as plain strings), or, checked after each batch,
 * nearly as many distinct strings as rows (the block coder's own rule) or more than a quarter of a long split's.
 */
import type { Utf8Column } from '../batch.js';
import { dictionaryColumn } from '../dictionary-column.js';
import type { FieldColumn } from '../field-columns.js';
import type { StringBytes } from './csv-string-bytes.js';

/** From this many rows on, a column of more distinct strings than 15 in 16 rows is nearly unique: not coded. */
const PREFIX_ROWS = 65_536;
/** From this many rows on, a column of more distinct strings than a quarter of its rows is not coded. */
const QUARTER_ROWS = 1 << 20;

/**
 * Stops coding `target`'s column: the strings of its first `rows` rows in the batch are copied out of the
 * dictionary into `target`'s bytes (their starts and ends replacing the codes), and its later strings are copied
 * as they are parsed.
 *
 * @example
 * if (coder.code(bytes, fs, fe) < 0) stopCoding(strings[c], columns[c], out);
 */
export function stopCoding(target: StringBytes, column: FieldColumn, rows: number): void {
  const coder = target.coder!;
  target.coder = null;
  const { bytes: dictionary, offsets } = coder;
  const starts = column.starts!;
  const ends = column.ends!;
  const valid = column.valid;
  const out = target.bytes;
  let at = target.length;
  for (let r = 0; r < rows; r++) {
    if (valid !== null && valid[r] === 0) continue; // a null row views an empty range already
    const code = starts[r]!;
    starts[r] = at;
    for (let k = offsets[code]!, e = offsets[code + 1]!; k < e; k++) out[at++] = dictionary[k]!;
    ends[r] = at;
  }
  target.length = at;
}

/**
 * The first `rows` rows of a coded column as a dictionary-read column over the split's dictionary so far; then
 * decides whether the split's later batches are still worth coding.
 *
 * @example
 * const column = codedColumn(strings[c], columns[c], out, valid);
 */
export function codedColumn(
  target: StringBytes,
  column: FieldColumn,
  rows: number,
  valid: Uint8Array | undefined,
): Utf8Column {
  const coder = target.coder!;
  const size = coder.size;
  const codes = column.starts!.subarray(0, rows);
  // Views of the dictionary as it is now: it only grows by appending, so they stay true while later batches code.
  const coded = dictionaryColumn(coder.bytes, coder.offsets.subarray(0, size + 1), size, codes, valid, coder);
  const seen = (target.codedRows += rows);
  if ((seen >= PREFIX_ROWS && size > seen - (seen >>> 4)) || (seen >= QUARTER_ROWS && size > seen >>> 2)) {
    target.coder = null;
  }
  return coded;
}
