/**
 * How `csv-source.ts` puts a parsed field into a batch's column: a number, bool, date or timestamp parsed from the
 * field's bytes into its row, and the strings of a batch copied out of the read buffer when they cannot stay coded.
 */
import { assert } from '../../../common/assert.js';
import {
  parseBool,
  parseDateField,
  parseFloat64,
  parseInt32,
  parseInt64,
  parseTimestampField,
} from '../../../io/parsing/parse-field.js';
import type { Column } from '../batches/batch.js';
import { setPresent, type FieldColumn } from './field-columns.js';
import { appendString, type StringBytes } from '../kernels/csv-string-bytes.js';

/** The strings `bytes[starts[i], ends[i])` copied back to back into a buffer of their own. */
export function copiedStrings(
  bytes: Uint8Array,
  starts: Int32Array,
  ends: Int32Array,
  valid: Uint8Array | undefined,
): Column {
  let total = 0;
  for (let i = 0; i < starts.length; i++) total += ends[i]! - starts[i]!;
  const target: StringBytes = { bytes: new Uint8Array(total), length: 0 };
  const copiedStarts = new Int32Array(starts.length);
  const copiedEnds = new Int32Array(starts.length);
  for (let i = 0; i < starts.length; i++) {
    copiedStarts[i] = appendString(target, bytes, starts[i]!, ends[i]!);
    copiedEnds[i] = target.length;
  }
  return { type: 'utf8', bytes: target.bytes, starts: copiedStarts, ends: copiedEnds, valid };
}

/**
 * Parses `bytes[fs, fe)` into row `row` of `column`; false when it is not a value of the column's type. Not for
 * strings: they are copied into the batch's string bytes (`appendString`).
 */
export function storeField(column: FieldColumn, row: number, bytes: Uint8Array, fs: number, fe: number): boolean {
  switch (column.type) {
    case 'utf8':
      assert(false, 'a CSV string field is copied by appendString, not stored in place');
      break;
    case 'int32': {
      const v = parseInt32(bytes, fs, fe);
      if (v === null) return false;
      (column.values as Int32Array)[row] = v;
      break;
    }
    case 'float64': {
      const v = parseFloat64(bytes, fs, fe);
      if (v === null) return false;
      (column.values as Float64Array)[row] = v;
      break;
    }
    case 'int64': {
      const v = parseInt64(bytes, fs, fe);
      if (v === null) return false;
      (column.values as BigInt64Array)[row] = v;
      break;
    }
    case 'bool': {
      const v = parseBool(bytes, fs, fe);
      if (v === null) return false;
      (column.values as Uint8Array)[row] = v;
      break;
    }
    case 'date': {
      const v = parseDateField(bytes, fs, fe);
      if (v === null) return false;
      (column.values as Int32Array)[row] = v;
      break;
    }
    case 'timestamp': {
      const v = parseTimestampField(bytes, fs, fe);
      if (v === null) return false;
      (column.values as Float64Array)[row] = v;
      break;
    }
  }
  setPresent(column, row);
  return true;
}
