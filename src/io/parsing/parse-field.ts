/**
 * Typed values from the bytes of a text field (CSV), without making a JS string on the common paths: integers and
 * plain decimals are read digit by digit, `YYYY-MM-DD` dates field by field; anything else goes through JS's own
 * parsers on the decoded text. Every parser returns null for text that is not a value of its type. Also the type
 * lattice of schema inference.
 */
import { parseDate, parseTimestampMs } from './temporal-text.js';

/** Types a text field may be inferred as or read into (the `cast` names). */
export type FieldType = 'int32' | 'int64' | 'float64' | 'bool' | 'utf8' | 'date' | 'timestamp';

/** Exact powers of ten: `mantissa / 10^k` is correctly rounded for mantissa < 2^53 and k ≤ 22 (Clinger). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const numberPattern = /^[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)$|^NaN$/;

function text(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/** An int32, or null. @example parseInt32(bytes, 0, 3) // '-42' → -42 */
export function parseInt32(bytes: Uint8Array, start: number, end: number): number | null {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) negative = bytes[i++] === 0x2d;
  if (i === end || end - i > 10) return null;
  let value = 0;
  for (; i < end; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) return null;
    value = value * 10 + d;
  }
  const signed = negative ? -value : value;
  return signed >= -2147483648 && signed <= 2147483647 ? signed : null;
}

/** An int64, or null. */
export function parseInt64(bytes: Uint8Array, start: number, end: number): bigint | null {
  const small = parseInt32(bytes, start, end);
  if (small !== null) return BigInt(small);
  const s = text(bytes, start, end);
  if (!/^[+-]?\d{1,19}$/.test(s)) return null;
  const value = BigInt(s);
  return value === BigInt.asIntN(64, value) ? value : null;
}

/** A float64 (`1`, `-2.5`, `1e3`, `NaN`, `Infinity`), or null. */
export function parseFloat64(bytes: Uint8Array, start: number, end: number): number | null {
  return parsePlainDecimal(bytes, start, end) ?? parseSlow(bytes, start, end);
}

/**
 * A float64 written as plain digits with an optional sign and point and at most 15 significant digits (read
 * digit by digit, correctly rounded), or null for any other text (which `parseFloat64` hands to JS's parser).
 *
 * @example
 * parsePlainDecimal(Buffer.from('-2.5'), 0, 4); // -2.5
 */
export function parsePlainDecimal(bytes: Uint8Array, start: number, end: number): number | null {
  return scanPlainDecimal(bytes, start, end, -1);
}

/** Where the last `scanPlainDecimal` that found a number stopped. */
export const decimalScan = { end: 0 };

/**
 * `parsePlainDecimal` of the bytes from `start` up to the first `stop` byte, line terminator (`\n`, `\r`) or
 * `end`, with the position it stopped at in `decimalScan.end`: a reader that has not found its field's end (nor
 * its line's) yet parses while it scans. A `stop` of -1 stops at `end` only (a terminator is then not a number).
 *
 * @example
 * const v = scanPlainDecimal(bytes, fs, lineEnd, 0x2c); // then decimalScan.end is the comma's index (or lineEnd)
 */
export function scanPlainDecimal(bytes: Uint8Array, start: number, end: number, stop: number): number | null {
  return scanPlainDecimalInto(bytes, start, end, stop, scanned, 0) ? scanned[0]! : null;
}

/** The value `scanPlainDecimal` found last (through `scanPlainDecimalInto`). */
const scanned = new Float64Array(1);

/**
 * `scanPlainDecimal` that stores the number at `out[at]` and returns whether it found one (false: nothing
 * stored). A reader of many fields stores them so: a float64 returned from a call V8 does not inline is boxed, a
 * heap number per field (a CSV load's float column: ~16 bytes a row of young garbage, most of its collections).
 *
 * @example
 * if (!scanPlainDecimalInto(bytes, fs, lineEnd, 0x2c, column.values, row)) return -1; // not plain
 */
export function scanPlainDecimalInto(
  bytes: Uint8Array,
  start: number,
  end: number,
  stop: number,
  out: Float64Array,
  at: number,
): boolean {
  // The common form, digits [. digits] of at most 15 digits in all, in two tight loops (a third of the per-byte
  // tests of one loop that tracks every case): the same mantissa and scale as `scanDecimalDigits` finds for it.
  // A `stop` that may be part of a number ends it there: only the careful loop tests it first.
  if ((stop >= 0x30 && stop <= 0x39) || stop === 0x2e || stop === 0x2b || stop === 0x2d) {
    return scanDecimalDigits(bytes, start, end, stop, out, at);
  }
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) negative = bytes[i++] === 0x2d;
  const digitsFrom = i;
  let mantissa = 0;
  for (; i < end; i++) {
    const d = bytes[i]! - 0x30;
    if (d < 0 || d > 9) break;
    mantissa = mantissa * 10 + d;
  }
  let digits = i - digitsFrom;
  let scale = 0;
  if (i < end && bytes[i] === 0x2e) {
    const fractionFrom = ++i;
    for (; i < end; i++) {
      const d = bytes[i]! - 0x30;
      if (d < 0 || d > 9) break;
      mantissa = mantissa * 10 + d;
    }
    scale = i - fractionFrom;
    digits += scale;
  }
  if (i < end) {
    const b = bytes[i]!;
    if (b !== stop && (stop < 0 || (b !== 0x0a && b !== 0x0d))) return false;
  }
  // More than 15 digits may still be at most 15 significant ones (leading zeros): the careful loop decides.
  if (digits > 15) return scanDecimalDigits(bytes, start, end, stop, out, at);
  if (digits === 0 || scale > 22) return false;
  decimalScan.end = i;
  const value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  out[at] = negative ? -value : value;
  return true;
}

/** `scanPlainDecimal` one byte at a time, counting significant digits only (leading zeros are not). */
function scanDecimalDigits(
  bytes: Uint8Array,
  start: number,
  end: number,
  stop: number,
  out: Float64Array,
  at: number,
): boolean {
  let i = start;
  let negative = false;
  if (i < end && (bytes[i] === 0x2d || bytes[i] === 0x2b)) negative = bytes[i++] === 0x2d;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let dot = false;
  let sawDigit = false;
  for (; i < end; i++) {
    const b = bytes[i]!;
    if (b === stop) break;
    const d = b - 0x30;
    if (d >= 0 && d <= 9) {
      if (digits === 15) return false;
      mantissa = mantissa * 10 + d;
      if (mantissa > 0) digits++;
      if (dot) scale++;
      sawDigit = true;
    } else if (b === 0x2e && !dot) dot = true;
    else if ((b === 0x0a || b === 0x0d) && stop >= 0) break;
    else return false;
  }
  if (!sawDigit || scale > 22) return false;
  decimalScan.end = i;
  const value = scale === 0 ? mantissa : mantissa / POW10[scale]!;
  out[at] = negative ? -value : value;
  return true;
}

function parseSlow(bytes: Uint8Array, start: number, end: number): number | null {
  const s = text(bytes, start, end).trim();
  return numberPattern.test(s) ? Number(s) : null;
}

/** 1 for true, 0 for false (`true`/`false` in any case), or null. */
export function parseBool(bytes: Uint8Array, start: number, end: number): number | null {
  const n = end - start;
  if (n !== 4 && n !== 5) return null;
  const s = text(bytes, start, end).toLowerCase();
  return s === 'true' ? 1 : s === 'false' ? 0 : null;
}

/** Days since the epoch of a `YYYY-MM-DD` field, or null. */
export function parseDateField(bytes: Uint8Array, start: number, end: number): number | null {
  if (end - start === 10 && bytes[start + 4] === 0x2d && bytes[start + 7] === 0x2d) {
    const year = digitsAt(bytes, start, 4);
    const month = digitsAt(bytes, start + 5, 2);
    const day = digitsAt(bytes, start + 8, 2);
    if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)) {
      return daysFromCivil(year, month, day);
    }
    return null;
  }
  return parseDate(text(bytes, start, end));
}

/** Milliseconds since the epoch of an ISO 8601 date-time field (UTC unless it names an offset), or null. */
export function parseTimestampField(bytes: Uint8Array, start: number, end: number): number | null {
  return parseTimestampMs(text(bytes, start, end));
}

function digitsAt(bytes: Uint8Array, at: number, n: number): number {
  let value = 0;
  for (let k = 0; k < n; k++) {
    const d = bytes[at + k]! - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/**
 * The narrowest type of a field's text: int32, int64, float64, bool, date, timestamp, else utf8.
 *
 * @example
 * sniffType(Buffer.from('2024-01-31'), 0, 10); // 'date'
 */
export function sniffType(bytes: Uint8Array, start: number, end: number): FieldType {
  if (parseInt32(bytes, start, end) !== null) return 'int32';
  if (parseInt64(bytes, start, end) !== null) return 'int64';
  if (parseFloat64(bytes, start, end) !== null) return 'float64';
  if (parseBool(bytes, start, end) !== null) return 'bool';
  if (parseDateField(bytes, start, end) !== null) return 'date';
  if (parseTimestampField(bytes, start, end) !== null) return 'timestamp';
  return 'utf8';
}

/**
 * The narrowest type of a number parsed from JSON: int32, int64 while JavaScript holds it exactly, else float64.
 *
 * @example
 * jsonNumberType(2 ** 40); // 'int64'
 */
export function jsonNumberType(value: number): FieldType {
  if (!Number.isInteger(value)) return 'float64';
  return (value | 0) === value ? 'int32' : Number.isSafeInteger(value) ? 'int64' : 'float64';
}

/**
 * The type that holds values of both `a` and `b` (null: no value seen yet): integers widen to int64 then float64,
 * dates to timestamps; anything else mixed is utf8.
 */
export function widerType(a: FieldType | null, b: FieldType): FieldType {
  if (a === null || a === b) return b;
  const numbers: FieldType[] = ['int32', 'int64', 'float64'];
  if (numbers.includes(a) && numbers.includes(b)) return numbers[Math.max(numbers.indexOf(a), numbers.indexOf(b))]!;
  if ((a === 'date' && b === 'timestamp') || (a === 'timestamp' && b === 'date')) return 'timestamp';
  return 'utf8';
}
