/**
 * JSON values with their integers exact. `JSON.parse` reads every number as a double, so an id such as
 * `1234567890123456789` comes back as 1234567890123456800: a silent wrong answer. The streaming `jsonlFiles` source
 * parses each line with `JSON.parse` as before, walks the value (cheaper than scanning the text: +10–20 % of the
 * parse, where a digit-run regex cost +80 %), and only when it holds an integer a double may have rounded
 * (magnitude ≥ 2^53) parses the line again here, where such an integer
 * written in plain digits becomes a `bigint` (as Spark and DuckDB read it into a 64-bit integer). Past int64's range
 * it stays a number (as the batch reader's inference gives float64), and so does a number with a fraction or an
 * exponent. Everything else is what `JSON.parse` gives.
 */
import { int64OfJsonNumber, isUnsafeInteger } from './json-number-text.js';

/**
 * The value of a line `JSON.parse` read as `parsed`, with integers past ±2^53 exact (see the module comment).
 *
 * @example
 * exactJsonValue('{"id":1234567890123456789}', JSON.parse('{"id":1234567890123456789}')); // { id: 1234567890123456789n }
 */
export function exactJsonValue(line: string, parsed: unknown): unknown {
  if (!holdsUnsafeInteger(parsed)) return parsed;
  const reader = { text: line, at: 0 };
  return readValue(reader);
}

function holdsUnsafeInteger(value: unknown): boolean {
  if (typeof value === 'number') return isUnsafeInteger(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (holdsUnsafeInteger(value[i])) return true;
    return false;
  }
  for (const key in value) if (holdsUnsafeInteger((value as Record<string, unknown>)[key])) return true;
  return false;
}

interface Reader {
  readonly text: string;
  at: number;
}

const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\]|\\.)*"/y;

/** A JSON value at `reader.at` (the line already parsed once, so it is valid JSON). */
function readValue(reader: Reader): unknown {
  skipSpace(reader);
  const char = reader.text[reader.at];
  if (char === '{') return readObject(reader);
  if (char === '[') return readArray(reader);
  if (char === '"') return readString(reader);
  if (char === 't' || char === 'f' || char === 'n') {
    const word = char === 't' ? 'true' : char === 'f' ? 'false' : 'null';
    reader.at += word.length;
    return char === 't' ? true : char === 'f' ? false : null;
  }
  NUMBER.lastIndex = reader.at;
  const text = NUMBER.exec(reader.text)![0];
  reader.at += text.length;
  const value = Number(text);
  if (!isUnsafeInteger(value) || !/^-?\d+$/.test(text)) return value;
  return int64OfJsonNumber(text) ?? value;
}

function readString(reader: Reader): string {
  STRING.lastIndex = reader.at;
  const token = STRING.exec(reader.text)![0];
  reader.at += token.length;
  return JSON.parse(token) as string;
}

function readArray(reader: Reader): unknown[] {
  reader.at++; // [
  const values: unknown[] = [];
  skipSpace(reader);
  if (reader.text[reader.at] === ']') {
    reader.at++;
    return values;
  }
  for (;;) {
    values.push(readValue(reader));
    skipSpace(reader);
    if (reader.text[reader.at++] === ']') return values; // else ','
  }
}

function readObject(reader: Reader): Record<string, unknown> {
  reader.at++; // {
  const object: Record<string, unknown> = {};
  skipSpace(reader);
  if (reader.text[reader.at] === '}') {
    reader.at++;
    return object;
  }
  for (;;) {
    skipSpace(reader);
    const key = readString(reader);
    skipSpace(reader);
    reader.at++; // :
    // As JSON.parse: an own property even for "__proto__", the last of repeated keys kept.
    Object.defineProperty(object, key, {
      value: readValue(reader),
      writable: true,
      enumerable: true,
      configurable: true,
    });
    skipSpace(reader);
    if (reader.text[reader.at++] === '}') return object; // else ','
  }
}

function skipSpace(reader: Reader): void {
  const text = reader.text;
  let at = reader.at;
  while (at < text.length) {
    const code = text.charCodeAt(at);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) break;
    at++;
  }
  reader.at = at;
}
