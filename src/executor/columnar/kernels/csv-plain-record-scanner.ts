/**
 * `scanPlainRecord` generated once per column layout: the same scan with the loop over columns unrolled and each
 * column's kind, the delimiter, the quote and the null text known when the code is made, so a record costs no
 * per-field dispatch on the kind nor loads of the format (the generic scan, `csv-plain-record.ts`, tests the kind
 * of every field of every record). Its results are exactly the generic scan's: the same tests in the same order,
 * the same values, the same -1 cases. Compiled functions are cached per thread by layout, at most
 * `COMPILED_LAYOUTS_MAX` of them.
 */
import { decimalScan, scanPlainDecimalInto } from '../../../io/parsing/parse-field.js';
import {
  CR,
  FLOAT64,
  IN_PLACE,
  INT32,
  LF,
  MINUS,
  OTHER,
  PLUS,
  scanPlainRecord,
  UTF8,
  type PlainRecordFormat,
} from './csv-plain-record.js';

/** The signature of `scanPlainRecord`, which a compiled scan shares. */
export type PlainRecordScan = typeof scanPlainRecord;

/** Layouts compiled per thread; past it the oldest is dropped (a thread reads few schemas). */
export const COMPILED_LAYOUTS_MAX = 64;

/**
 * Columns up to which a layout is compiled: a wider record makes one function too large for V8 to optimize, and
 * its per-field dispatch matters less next to its many fields. Wider ones use the generic scan.
 */
export const COMPILED_COLUMNS_MAX = 128;

const compiled = new Map<string, PlainRecordScan>();

/**
 * The scan for `format`'s present layout (its kinds, delimiter, quote and null text): compiled on first use in the
 * thread, then taken from the cache. Called with the same arguments as `scanPlainRecord`, it returns the same and
 * stores the same.
 *
 * WARNING: a scan is made for the kinds it was asked with: after `keepStringsInPlace` changes a column's kind, ask
 * again (a stale scan would copy strings the reader means to code, or the reverse).
 *
 * @example
 * let scan = plainRecordScan(plain);
 * const end = scan(bytes, start, limit, READ_END, plain, columns, strings, row);
 */
export function plainRecordScan(format: PlainRecordFormat): PlainRecordScan {
  if (format.kinds.length > COMPILED_COLUMNS_MAX) return scanPlainRecord;
  const key = `${format.kinds.join(',')}|${format.delimiter}|${format.quote}|${format.nullBytes.join(',')}`;
  let scan = compiled.get(key);
  if (scan === undefined) {
    scan = compileScan(format);
    if (compiled.size >= COMPILED_LAYOUTS_MAX) compiled.delete(compiled.keys().next().value!);
    compiled.set(key, scan);
  }
  return scan;
}

/**
 * Generates the scan. The source is built from numbers only (column indexes, kinds, and the delimiter, quote and
 * null bytes as integers, each checked to be one), never from a column name or any other text of the user's, so
 * nothing a user passes can become code.
 */
function compileScan(format: PlainRecordFormat): PlainRecordScan {
  const delimiter = byteOf(format.delimiter);
  const quote = byteOf(format.quote);
  const nullBytes = Array.from(format.nullBytes, byteOf);
  const n = format.kinds.length;
  const isFieldEnd = (b: string) => `(${b} === ${delimiter} || ${b} === ${LF} || ${b} === ${CR})`;
  const lines: string[] = ['let i = start;', 'let fs = 0;', 'let column;'];
  for (let c = 0; c < n; c++) {
    const kind = format.kinds[c]!;
    lines.push(`// column ${c}, kind ${kind}`, 'fs = i;', `column = columns[${c}];`);
    if (kind === INT32) {
      lines.push(
        '{',
        'let negative = false;',
        `if (i < limit && (bytes[i] === ${MINUS} || bytes[i] === ${PLUS})) negative = bytes[i++] === ${MINUS};`,
        'const digitsFrom = i;',
        'let value = 0;',
        'for (; i < limit; i++) { const d = bytes[i] - 48; if (d < 0 || d > 9) break; value = value * 10 + d; }',
        `if (i < limit && !${isFieldEnd('bytes[i]')}) return -1;`,
        'if (i === digitsFrom || i - digitsFrom > 10) return -1;',
        'const signed = negative ? -value : value;',
        'if (signed < -2147483648 || signed > 2147483647) return -1;',
        'column.values[row] = signed;',
        '}',
      );
    } else if (kind === IN_PLACE) {
      lines.push(
        `if (i < limit && bytes[i] === ${quote}) return -1;`,
        `for (; i < limit; i++) { const b = bytes[i]; if (b === ${delimiter} || (b <= ${CR} && (b === ${LF} || b === ${CR}))) break; }`,
        'column.starts[row] = fs;',
        'column.ends[row] = i;',
      );
    } else if (kind === FLOAT64) {
      lines.push(
        `if (!scanPlainDecimalInto(bytes, i, limit, ${delimiter}, column.values, row)) return -1;`,
        'i = decimalScan.end;',
      );
    } else if (kind === UTF8) {
      lines.push(
        `if (i < limit && bytes[i] === ${quote}) return -1;`,
        '{',
        `const target = strings[${c}];`,
        'const out = target.bytes;',
        'const at = target.length;',
        'let o = at;',
        `for (; i < limit; i++) { const b = bytes[i]; if (b === ${delimiter} || (b <= ${CR} && (b === ${LF} || b === ${CR}))) break; out[o++] = b; }`,
        'column.starts[row] = at;',
        'column.ends[row] = o;',
        '}',
      );
    } else if (kind === OTHER) {
      lines.push(
        `if (i < limit && bytes[i] === ${quote}) return -1;`,
        `while (i < limit && !${isFieldEnd('bytes[i]')}) i++;`,
      );
    } else {
      throw new Error(`csv-plain-record-scanner: unknown column kind ${kind}`);
    }
    lines.push('if (i === fs) return -1;');
    if (nullBytes.length > 0) {
      const same = nullBytes.map((b, k) => `bytes[fs + ${k}] === ${b}`).join(' && ');
      lines.push(`if (i - fs === ${nullBytes.length} && ${same}) return -1;`);
    }
    if (kind === OTHER) lines.push('if (!format.storeOther(column, row, bytes, fs, i)) return -1;');
    lines.push(
      c === n - 1
        ? `if (i < limit && bytes[i] === ${delimiter}) return -1;`
        : `if (i < limit && bytes[i] === ${delimiter}) i++; else return -1;`,
    );
  }
  // RECORD_END = 0, READ_END = 2 (csv-plain-record.ts).
  lines.push(
    `if (limitIs === 0 ? i !== limit : limitIs === 2 && (i === limit || (i === limit - 1 && bytes[i] === ${CR}))) return -1;`,
  );
  for (let c = 0; c < n; c++) {
    lines.push(`column = columns[${c}];`, 'if (column.valid !== null) column.valid[row] = 1;');
    if (format.kinds[c] === UTF8) lines.push(`strings[${c}].length = column.ends[row];`);
  }
  lines.push('return i;');
  const body = lines.join('\n');
  const make = new Function(
    'scanPlainDecimalInto',
    'decimalScan',
    `return function scanPlainRecordCompiled(bytes, start, limit, limitIs, format, columns, strings, row) {\n${body}\n};`,
  ) as (scan: typeof scanPlainDecimalInto, end: typeof decimalScan) => PlainRecordScan;
  return make(scanPlainDecimalInto, decimalScan);
}

/** `value` when it is a byte (0–255), else an error: only numbers checked so reach the generated source. */
function byteOf(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) {
    throw new Error(`csv-plain-record-scanner: expected a byte, found ${value}`);
  }
  return value;
}
