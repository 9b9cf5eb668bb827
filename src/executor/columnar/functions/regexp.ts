/**
 * `regexpExtract` and `regexpReplace` with JavaScript `RegExp` syntax (Spark uses Java's; the common subset reads
 * the same). Each row is decoded to a JS string, matched, and the results encoded into one new buffer.
 */
import type { Utf8Column } from '../batches/batch.js';
import { decodeUtf8, utf8FromStrings } from '../kernels/utf8-strings.js';

/**
 * Spark's `regexp_extract(str, pattern, idx)`: group `group` (0 = the whole match) of the first match, or '' when
 * the pattern does not match or the group took no part in it.
 *
 * @example
 * regexpExtract(column, rows, '(\\d+)-(\\d+)', 2); // '10-20' → '20'
 */
export function regexpExtract(column: Utf8Column, rows: number, pattern: string, group: number): Utf8Column {
  const regexp = new RegExp(pattern);
  return mapStrings(column, rows, (s) => regexp.exec(s)?.[group] ?? '');
}

/**
 * Spark's `regexp_replace(str, pattern, replacement)`: every match replaced; `$1` … in `replacement` name groups.
 *
 * @example
 * regexpReplace(column, rows, '\\s+', ' ');
 */
export function regexpReplace(column: Utf8Column, rows: number, pattern: string, replacement: string): Utf8Column {
  const regexp = new RegExp(pattern, 'g');
  return mapStrings(column, rows, (s) => s.replace(regexp, replacement));
}

function mapStrings(column: Utf8Column, rows: number, fn: (s: string) => string): Utf8Column {
  const { bytes, starts, ends, valid } = column;
  const out: (string | null)[] = new Array<string | null>(rows);
  for (let i = 0; i < rows; i++)
    out[i] = valid !== undefined && valid[i] === 0 ? null : fn(decodeUtf8(bytes, starts[i]!, ends[i]!));
  return utf8FromStrings(out);
}
