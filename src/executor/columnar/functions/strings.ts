/**
 * String functions over UTF-8 bytes, with Spark's semantics. Most results are views of the input's bytes (no
 * copy): `trim` / `ltrim` / `rtrim` (the space character only, as Spark, unless other characters are given),
 * `substring` (1-based positions in characters, negative from the end), `splitPart` (Spark's `split_part`).
 * `concat` copies; `contains` / `startsWith` / `endsWith` compare bytes. Positions count Unicode code points.
 */
import type { Column, Utf8Column } from '../batches/batch.js';
import { castColumn } from '../expressions/cast.js';
import { bothValid } from '../batches/validity.js';

/** The byte offset `count` code points after `from` (at most `end`). */
function advanceChars(bytes: Uint8Array, from: number, end: number, count: number): number {
  let p = from;
  for (let k = 0; k < count && p < end; k++) {
    p++;
    while (p < end && (bytes[p]! & 0xc0) === 0x80) p++;
  }
  return p;
}

function countChars(bytes: Uint8Array, from: number, end: number): number {
  let n = 0;
  for (let p = from; p < end; p++) if ((bytes[p]! & 0xc0) !== 0x80) n++;
  return n;
}

/**
 * Spark's `substring(str, pos, len)`: `pos` 1-based, 0 acting as 1, negative counting from the end; `len` null
 * for the rest of the string. Views of the input's bytes.
 *
 * @example
 * substring(column, rows, -3, 2); // 'Spark SQL' → 'SQ'
 */
export function substring(column: Utf8Column, rows: number, pos: number, len: number | null): Utf8Column {
  const { bytes, starts: s0, ends: e0 } = column;
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  const length = len ?? Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < rows; i++) {
    const s = s0[i]!;
    const e = e0[i]!;
    let from = pos > 0 ? pos - 1 : pos < 0 ? countChars(bytes, s, e) + pos : 0;
    const to = from + length;
    from = Math.max(from, 0);
    if (from >= to) {
      starts[i] = ends[i] = s;
      continue;
    }
    const start = advanceChars(bytes, s, e, from);
    starts[i] = start;
    ends[i] = to - from >= e - start ? e : advanceChars(bytes, start, e, to - from);
  }
  return { type: 'utf8', bytes, starts, ends, valid: column.valid };
}

/**
 * Strips `chars` (each a character; null for the space, as Spark's `trim`) from the start (`ltrim`), the end
 * (`rtrim`) or both (`trim`). Views of the input's bytes.
 *
 * @example
 * trim(column, rows, 'trim', null); // '  a b  ' → 'a b'
 */
export function trim(
  column: Utf8Column,
  rows: number,
  side: 'trim' | 'ltrim' | 'rtrim',
  chars: string | null,
): Utf8Column {
  const { bytes } = column;
  const strip = [...(chars ?? ' ')].map((c) => Buffer.from(c, 'utf8'));
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  const startsWithAt = (p: number, end: number): number => {
    for (const c of strip) if (p + c.length <= end && matchesAt(bytes, p, c)) return c.length;
    return 0;
  };
  const endsWithAt = (start: number, p: number): number => {
    for (const c of strip) if (p - c.length >= start && matchesAt(bytes, p - c.length, c)) return c.length;
    return 0;
  };
  for (let i = 0; i < rows; i++) {
    let s = column.starts[i]!;
    let e = column.ends[i]!;
    if (side !== 'rtrim') for (let n = startsWithAt(s, e); n > 0; n = startsWithAt(s, e)) s += n;
    if (side !== 'ltrim') for (let n = endsWithAt(s, e); n > 0; n = endsWithAt(s, e)) e -= n;
    starts[i] = s;
    ends[i] = e;
  }
  return { type: 'utf8', bytes, starts, ends, valid: column.valid };
}

function matchesAt(bytes: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let k = 0; k < needle.length; k++) if (bytes[at + k] !== needle[k]) return false;
  return true;
}

/**
 * Spark's `concat`: the strings of every column joined, null where any is null. Other types are cast to strings.
 *
 * @example
 * concat([first, lit(' '), last], rows);
 */
export function concat(columns: readonly Column[], rows: number): Utf8Column {
  const strings = columns.map((c) => (c.type === 'utf8' ? c : (castColumn(c, 'utf8', rows) as Utf8Column)));
  let valid: Uint8Array | undefined;
  for (const c of strings) valid = bothValid(valid, c.valid, rows);
  let total = 0;
  for (const c of strings) for (let i = 0; i < rows; i++) total += c.ends[i]! - c.starts[i]!;
  const out = Buffer.allocUnsafe(total);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    starts[i] = at;
    if (valid === undefined || valid[i] === 1) {
      for (const c of strings) {
        const s = c.starts[i]!;
        const e = c.ends[i]!;
        // Short strings byte by byte: a subarray per value costs more than copying it.
        if (e - s > 32) out.set(c.bytes.subarray(s, e), at);
        else for (let k = s; k < e; k++) out[at + k - s] = c.bytes[k]!;
        at += e - s;
      }
    }
    ends[i] = at;
  }
  return { type: 'utf8', bytes: out, starts, ends, valid };
}

/**
 * `contains`, `startsWith` or `endsWith` of two string columns (the second often a literal), byte-wise, as a
 * boolean column; null where either is null.
 *
 * @example
 * matchString('contains', names, lit('an'), rows);
 */
export function matchString(
  fn: 'contains' | 'startsWith' | 'endsWith',
  a: Utf8Column,
  b: Utf8Column,
  rows: number,
): Column {
  const values = new Uint8Array(rows);
  const x = a.bytes;
  const y = b.bytes;
  for (let i = 0; i < rows; i++) {
    const as = a.starts[i]!;
    const ae = a.ends[i]!;
    const bs = b.starts[i]!;
    const n = b.ends[i]! - bs;
    if (n > ae - as) continue;
    let at = fn === 'endsWith' ? ae - n : as;
    const last = fn === 'contains' ? ae - n : at;
    for (; at <= last; at++) {
      let k = 0;
      while (k < n && x[at + k] === y[bs + k]) k++;
      if (k === n) {
        values[i] = 1;
        break;
      }
    }
  }
  return { type: 'bool', values, valid: bothValid(a.valid, b.valid, rows) };
}

/**
 * Spark's `split_part(str, delimiter, part)`: the `part`-th piece (1-based; negative counts from the end) of the
 * string split on the literal `delimiter`, or '' when there is no such piece; an empty delimiter does not split.
 * Views of the input's bytes.
 *
 * @example
 * splitPart(column, rows, ',', -1); // 'a,b,c' → 'c'
 */
export function splitPart(column: Utf8Column, rows: number, delimiter: string, part: number): Utf8Column {
  const { bytes } = column;
  const d = Buffer.from(delimiter, 'utf8');
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  const cuts: number[] = [];
  for (let i = 0; i < rows; i++) {
    const s = column.starts[i]!;
    const e = column.ends[i]!;
    // Piece k spans [cuts[2k], cuts[2k + 1]).
    cuts.length = 0;
    cuts.push(s);
    if (d.length > 0) {
      for (let p = s; p + d.length <= e;) {
        if (matchesAt(bytes, p, d)) {
          cuts.push(p, p + d.length);
          p += d.length;
        } else p++;
      }
    }
    cuts.push(e);
    const pieces = cuts.length / 2;
    const k = part > 0 ? part - 1 : pieces + part;
    if (k < 0 || k >= pieces) {
      starts[i] = ends[i] = s;
      continue;
    }
    starts[i] = cuts[2 * k]!;
    ends[i] = cuts[2 * k + 1]!;
  }
  return { type: 'utf8', bytes, starts, ends, valid: column.valid };
}
