/**
 * Datetime format patterns, a subset of Spark's, compiled to tokens: `yyyy` (4 digits), `yy` (2 digits,
 * 2000–2099), `y` (1–4 digits), `MM` / `dd` / `HH` / `mm` / `ss` (2 digits), `M` / `d` / `H` / `m` / `s` (1–2
 * digits), `S`… (as many fraction digits as letters, up to 9), text in single quotes (`''` is a quote), and any
 * other non-letter character as itself. Shared by the API (which refuses a bad format when the plan is built) and
 * the executor's parser.
 */

export type DateField = 'year' | 'year2' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

/** One step of a compiled format: bytes to match, or a field of `min`–`max` digits. */
export type FormatToken =
  | { readonly kind: 'text'; readonly bytes: Uint8Array }
  | { readonly kind: 'field'; readonly field: DateField; readonly min: number; readonly max: number };

const LETTERS: Readonly<Record<string, DateField>> = {
  y: 'year',
  M: 'month',
  d: 'day',
  H: 'hour',
  m: 'minute',
  s: 'second',
  S: 'fraction',
};

/**
 * The format as tokens, or a message naming what is not in the supported subset.
 *
 * @example
 * compileFormat("yyyy-MM-dd'T'HH:mm"); // [year, '-', month, '-', day, 'T', hour, ':', minute]
 */
export function compileFormat(format: string): FormatToken[] | string {
  const tokens: FormatToken[] = [];
  const text = (s: string) => tokens.push({ kind: 'text', bytes: Buffer.from(s, 'utf8') });
  for (let i = 0; i < format.length;) {
    const c = format[i]!;
    if (c === "'") {
      const close = format.indexOf("'", i + 1);
      if (close < 0) return `the format '${format}' opens a quote it does not close`;
      text(close === i + 1 ? "'" : format.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      text(c);
      i++;
      continue;
    }
    let n = 1;
    while (format[i + n] === c) n++;
    const field = LETTERS[c];
    if (field === undefined) {
      return `the format letter '${c}' of '${format}' is not supported (yyyy yy y MM M dd d HH H mm m ss s S…, 'text')`;
    }
    if (field === 'fraction') {
      if (n > 9) return `at most 9 fraction digits (S) are supported, found ${n} in '${format}'`;
      tokens.push({ kind: 'field', field, min: n, max: n });
    } else if (field === 'year') {
      if (n === 3 || n > 4) return `the year must be y, yy or yyyy, found ${'y'.repeat(n)} in '${format}'`;
      tokens.push({ kind: 'field', field: n === 2 ? 'year2' : 'year', min: n === 1 ? 1 : n, max: n === 1 ? 4 : n });
    } else {
      if (n > 2) return `'${c.repeat(n)}' is not supported in '${format}' (at most two letters)`;
      tokens.push({ kind: 'field', field, min: n, max: 2 });
    }
    i += n;
  }
  return tokens;
}

/** Units of `dateTrunc` (Spark's `date_trunc`), with Spark's aliases. */
export const TRUNC_UNITS: Readonly<Record<string, TruncUnit>> = {
  year: 'year',
  yyyy: 'year',
  yy: 'year',
  quarter: 'quarter',
  month: 'month',
  mon: 'month',
  mm: 'month',
  week: 'week',
  day: 'day',
  dd: 'day',
  hour: 'hour',
  minute: 'minute',
  second: 'second',
  millisecond: 'millisecond',
  microsecond: 'microsecond',
};

export type TruncUnit =
  'year' | 'quarter' | 'month' | 'week' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond' | 'microsecond';
