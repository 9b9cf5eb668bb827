/**
 * The exact text of a JSON number, for the values `JSON.parse` cannot give exactly: it reads every number as a
 * double, so `9007199254740993` (2^53 + 1) comes back as 9007199254740992. Spark, DuckDB and Polars read such a
 * number into a 64-bit integer column exactly. Node 20's `JSON.parse` reviver has no access to the source text
 * (`context.source` came in later V8s), so the JSON readers parse as before and, only for a number whose double is
 * an integer past ±2^53 (where the double may have rounded), scan the line for that member's text. Lines of
 * smaller numbers pay one `Number.isSafeInteger` check.
 */
import type { FieldType } from './parse-field.js';
import { jsonNumberType } from './parse-field.js';

/** A JSON integer in plain digits (the usual form), read by `BigInt` directly. */
const PLAIN_INTEGER = /^-?\d{1,19}$/;

/** A JSON number's parts: sign, integer digits, fraction digits, exponent. */
const JSON_NUMBER = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Decimal digits of the largest int64 magnitude (2^63 = 9223372036854775808). */
const INT64_DIGITS_MAX = 19;

/**
 * True when `value` is an integer a double may not hold exactly (magnitude at least 2^53): the only numbers whose
 * source text the readers look up.
 */
export function isUnsafeInteger(value: number): boolean {
  return Number.isInteger(value) && !Number.isSafeInteger(value);
}

/**
 * The exact int64 value of JSON number text, or null when it is not an integer or is outside int64's range. An
 * exponent or a fraction of zeros is taken when the value is integral (`1e3` is 1000, `5.0` is 5), as `JSON.parse`
 * takes them for smaller numbers; `1.5` and `1e-1` are null.
 *
 * @example
 * int64OfJsonNumber('9007199254740993'); // 9007199254740993n
 * int64OfJsonNumber('18446744073709551616'); // null (2^64 is past int64)
 */
export function int64OfJsonNumber(text: string): bigint | null {
  if (PLAIN_INTEGER.test(text)) {
    const value = BigInt(text);
    return BigInt.asIntN(64, value) === value ? value : null;
  }
  const parts = JSON_NUMBER.exec(text);
  if (parts === null) return null;
  const [, sign, whole, fraction = '', exponentText = '0'] = parts;
  let digits = (whole! + fraction).replace(/^0+/, '');
  if (digits === '') return 0n;
  let exponent = Number(exponentText) - fraction.length;
  const trailingZeros = digits.length - digits.replace(/0+$/, '').length;
  if (exponent < 0) {
    const dropped = Math.min(trailingZeros, -exponent);
    digits = digits.slice(0, digits.length - dropped);
    exponent += dropped;
    if (exponent < 0) return null; // a fraction that is not zero
  }
  if (digits.length + exponent > INT64_DIGITS_MAX) return null;
  const value = BigInt(sign + digits + '0'.repeat(exponent));
  return BigInt.asIntN(64, value) === value ? value : null;
}

/**
 * The column type of a number `JSON.parse` read as `value` from member `key` of the object on `line`: as
 * `jsonNumberType`, except that an integer past ±2^53 is int64 when its text is an integer int64 holds (exactly
 * read by `int64OfJsonNumber`), and float64 otherwise (past int64's range, as 2^64: a rounded int64 would be a
 * silently wrong value, and DuckDB reads it as a double too).
 *
 * @example
 * exactJsonNumberType(2 ** 53, '{"id": 9007199254740993}', 'id'); // 'int64'
 */
export function exactJsonNumberType(value: number, line: string, key: string): FieldType {
  if (!isUnsafeInteger(value)) return jsonNumberType(value);
  const text = memberNumberText(line, key);
  return text !== null && int64OfJsonNumber(text) !== null ? 'int64' : 'float64';
}

/**
 * The source text of the number that is the value of member `key` of the JSON object on `line` (a line
 * `JSON.parse` has read: the scan trusts it to be valid JSON), or null when that member is not a number. Only the
 * object's own members count, not those of objects nested in it; of repeated keys the last counts, as in
 * `JSON.parse`. Keys are compared decoded (`"i\u0064"` is `id`).
 *
 * @example
 * memberNumberText('{"a": {"id": 1}, "id": 9007199254740993}', 'id'); // '9007199254740993'
 */
export function memberNumberText(line: string, key: string): string | null {
  let at = skipSpace(line, 0);
  if (line.charCodeAt(at) !== 0x7b /* { */) return null;
  at = skipSpace(line, at + 1);
  let found: string | null = null;
  while (line.charCodeAt(at) === 0x22 /* " */) {
    const keyEnd = stringEnd(line, at);
    const matches = keyEquals(line, at, keyEnd, key);
    at = skipSpace(line, keyEnd);
    at = skipSpace(line, at + 1); // past ':'
    const valueEnd = skipValue(line, at);
    if (matches) found = isNumberStart(line.charCodeAt(at)) ? line.slice(at, valueEnd) : null;
    at = skipSpace(line, valueEnd);
    if (line.charCodeAt(at) !== 0x2c /* , */) break;
    at = skipSpace(line, at + 1);
  }
  return found;
}

/** True when the string from `start` to `end` (quotes included) decodes to `key`. */
function keyEquals(line: string, start: number, end: number, key: string): boolean {
  const raw = end - start - 2;
  if (raw === key.length && line.startsWith(key, start + 1)) return !key.includes('\\');
  // An escape makes the text longer than what it decodes to; without one, different text is a different key.
  return raw > key.length && line.lastIndexOf('\\', end - 2) > start && JSON.parse(line.slice(start, end)) === key;
}

function isNumberStart(code: number): boolean {
  return code === 0x2d /* - */ || (code >= 0x30 && code <= 0x39);
}

function skipSpace(line: string, at: number): number {
  let code = line.charCodeAt(at);
  while (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) code = line.charCodeAt(++at);
  return at;
}

/** The index just past the string that opens at `at` (its closing quote included). */
function stringEnd(line: string, at: number): number {
  for (let i = at + 1; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code === 0x5c /* \ */) i++;
    else if (code === 0x22) return i + 1;
  }
  return line.length;
}

/** The index just past the JSON value that starts at `at`. */
function skipValue(line: string, at: number): number {
  const code = line.charCodeAt(at);
  if (code === 0x22) return stringEnd(line, at);
  if (code === 0x7b || code === 0x5b /* [ */) {
    let depth = 0;
    for (let i = at; i < line.length; i++) {
      const c = line.charCodeAt(i);
      if (c === 0x22) i = stringEnd(line, i) - 1;
      else if (c === 0x7b || c === 0x5b) depth++;
      else if ((c === 0x7d || c === 0x5d) && --depth === 0) return i + 1;
    }
    return line.length;
  }
  // A number or a literal: up to the next delimiter.
  let i = at;
  for (; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) break;
  }
  return i;
}
