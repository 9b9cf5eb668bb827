/**
 * `toDate(col, format)` and `toTimestamp(col, format)`: strings parsed with a subset of Spark's datetime patterns,
 * straight from their UTF-8 bytes. A string that does not match the whole pattern, or names no real date or time,
 * becomes null (as Spark's non-ANSI parsing). The pattern subset is in `io/parsing/datetime-pattern.ts`. Times are UTC.
 */
import type { FormatToken } from '../../../io/parsing/datetime-pattern.js';
import type { Column, Utf8Column } from '../batches/batch.js';
import { daysFromCivil, isRealDate } from './civil-date.js';

const parsed = new Float64Array(7);

/** Parses `bytes[s, e)` into `parsed` (year, month, day, hour, minute, second, fraction ms); false on no match. */
function parseRow(bytes: Uint8Array, s: number, e: number, tokens: readonly FormatToken[]): boolean {
  parsed.fill(0);
  parsed[0] = 1970;
  parsed[1] = 1;
  parsed[2] = 1;
  let p = s;
  for (const token of tokens) {
    if (token.kind === 'text') {
      const t = token.bytes;
      if (p + t.length > e) return false;
      for (let k = 0; k < t.length; k++) if (bytes[p + k] !== t[k]) return false;
      p += t.length;
      continue;
    }
    let value = 0;
    let digits = 0;
    while (digits < token.max && p < e && bytes[p]! >= 0x30 && bytes[p]! <= 0x39) {
      value = value * 10 + bytes[p]! - 0x30;
      p++;
      digits++;
    }
    if (digits < token.min) return false;
    switch (token.field) {
      case 'year':
        parsed[0] = value;
        break;
      case 'year2':
        parsed[0] = 2000 + value;
        break;
      case 'month':
        parsed[1] = value;
        break;
      case 'day':
        parsed[2] = value;
        break;
      case 'hour':
        parsed[3] = value;
        break;
      case 'minute':
        parsed[4] = value;
        break;
      case 'second':
        parsed[5] = value;
        break;
      case 'fraction':
        // Milliseconds: digits below a millisecond are dropped (timestamps here are in ms).
        parsed[6] = digits <= 3 ? value * 10 ** (3 - digits) : Math.floor(value / 10 ** (digits - 3));
        break;
    }
  }
  if (p !== e) return false;
  return isRealDate(parsed[0]!, parsed[1]!, parsed[2]!) && parsed[3]! < 24 && parsed[4]! < 60 && parsed[5]! < 60;
}

/**
 * Strings parsed with `tokens` as dates (`to: 'date'`) or timestamps in milliseconds (UTC), null where they do not
 * parse.
 *
 * @example
 * parseWithFormat(strings, rows, compileFormat('dd/MM/yyyy') as FormatToken[], 'date');
 */
export function parseWithFormat(
  column: Utf8Column,
  rows: number,
  tokens: readonly FormatToken[],
  to: 'date' | 'timestamp',
): Column {
  const { bytes, starts, ends } = column;
  const valid = new Uint8Array(rows);
  const days = to === 'date' ? new Int32Array(rows) : null;
  const ms = to === 'timestamp' ? new Float64Array(rows) : null;
  for (let i = 0; i < rows; i++) {
    if (column.valid !== undefined && column.valid[i] === 0) continue;
    if (!parseRow(bytes, starts[i]!, ends[i]!, tokens)) continue;
    valid[i] = 1;
    const day = daysFromCivil(parsed[0]!, parsed[1]!, parsed[2]!);
    if (days !== null) days[i] = day;
    else ms![i] = day * 86_400_000 + ((parsed[3]! * 60 + parsed[4]!) * 60 + parsed[5]!) * 1000 + parsed[6]!;
  }
  if (days !== null) return { type: 'date', values: days, valid };
  return { type: 'timestamp', values: ms!, unit: 'ms', zone: null, valid };
}
