/**
 * String kernels over UTF-8 bytes: `lower`, `length` and UTF-16 ordering. ASCII is handled byte-wise; only a
 * value holding non-ASCII bytes is decoded (and only for `lower`), so results equal JS's own on that value.
 */
import type { Utf8Column } from '../batches/batch.js';

/**
 * Decodes `bytes[start, end)` as UTF-8 (invalid bytes become U+FFFD, as `textFile` does). Works on views of
 * SharedArrayBuffers, which `TextDecoder` refuses.
 */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('utf8');
}

/**
 * `toLowerCase()` of each of the first `rows` strings, into new bytes. ASCII values are mapped byte-wise; a value
 * with any byte ≥ 0x80 is decoded, mapped by JS and encoded again (lowering may change its byte length).
 *
 * @example
 * lowerUtf8(column, rows); // 'Straße' → 'straße', 'İ' → 'i̇'
 */
export function lowerUtf8(column: Utf8Column, rows: number): Utf8Column {
  return caseMapUtf8(column, rows, false);
}

/**
 * `toUpperCase()` of each of the first `rows` strings (ASCII byte-wise, others through JS), as `lowerUtf8`.
 *
 * @example
 * upperUtf8(column, rows); // 'straße' → 'STRASSE'
 */
export function upperUtf8(column: Utf8Column, rows: number): Utf8Column {
  return caseMapUtf8(column, rows, true);
}

function caseMapUtf8(column: Utf8Column, rows: number, upper: boolean): Utf8Column {
  const { bytes, starts, ends } = column;
  // ASCII letters differ by 0x20 between cases: [first, last] is the range that moves, by `shift`.
  const first = upper ? 0x61 : 0x41;
  const last = first + 25;
  const shift = upper ? -32 : 32;
  let total = 0;
  for (let row = 0; row < rows; row++) total += ends[row]! - starts[row]!;
  let out: Buffer = Buffer.allocUnsafe(total + 64);
  const outStarts = new Int32Array(rows);
  const outEnds = new Int32Array(rows);
  let at = 0;
  for (let row = 0; row < rows; row++) {
    const s = starts[row]!;
    const e = ends[row]!;
    outStarts[row] = at;
    let ascii = true;
    for (let i = s; i < e; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      if (at + (e - s) > out.length) out = grow(out, at, e - s);
      for (let i = s; i < e; i++) {
        const b = bytes[i]!;
        out[at++] = b >= first && b <= last ? b + shift : b;
      }
    } else {
      const text = decodeUtf8(bytes, s, e);
      const mapped = upper ? text.toUpperCase() : text.toLowerCase();
      // A UTF-16 code unit encodes to at most 3 UTF-8 bytes.
      if (at + mapped.length * 3 > out.length) out = grow(out, at, mapped.length * 3);
      at += out.write(mapped, at, 'utf8');
    }
    outEnds[row] = at;
  }
  return { type: 'utf8', bytes: out, starts: outStarts, ends: outEnds };
}

function grow(buffer: Buffer, used: number, needed: number): Buffer {
  const next = Buffer.allocUnsafe(Math.max(buffer.length * 2, used + needed + 64));
  buffer.copy(next, 0, 0, used);
  return next;
}

/**
 * The length of each string in UTF-16 code units (JS `.length`: a character outside the BMP counts 2), or in
 * Unicode code points with `codePoints`. Counted over the bytes: every byte that is not a continuation byte starts
 * a character; a 4-byte lead (≥ 0xF0) is a surrogate pair in UTF-16.
 *
 * @example
 * utf8Lengths(column, rows, false); // 'a😀' → 3; with codePoints → 2
 */
export function utf8Lengths(column: Utf8Column, rows: number, codePoints: boolean): Int32Array {
  const { bytes, starts, ends } = column;
  const out = new Int32Array(rows);
  for (let row = 0; row < rows; row++) {
    let n = 0;
    const e = ends[row]!;
    for (let i = starts[row]!; i < e; i++) {
      const b = bytes[i]!;
      if ((b & 0xc0) !== 0x80) n += !codePoints && b >= 0xf0 ? 2 : 1;
    }
    out[row] = n;
  }
  return out;
}

/**
 * Compares two UTF-8 strings in UTF-16 code unit order (JS `<`), without decoding. UTF-8 byte order is code point
 * order, which differs from UTF-16 order only between a supplementary character (4-byte, lead ≥ 0xF0: a surrogate
 * pair, D800–DFFF) and a BMP character at U+E000 or above (lead 0xEE or 0xEF): that one case is flipped.
 *
 * @example
 * compareUtf8(a, 0, 3, b, 0, 2); // < 0, 0 or > 0
 */
export function compareUtf8(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const x = a[as + k]!;
    const y = b[bs + k]!;
    if (x === y) continue;
    if (x >= 0xf0 && (y === 0xee || y === 0xef)) return -1;
    if (y >= 0xf0 && (x === 0xee || x === 0xef)) return 1;
    return x - y;
  }
  return ae - as - (be - bs);
}

/** True when the two byte ranges hold the same bytes. */
export function equalBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  if (ae - as !== be - bs) return false;
  for (let k = 0; k < ae - as; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}

/**
 * A string column from JS strings (null for a null row): one buffer of their UTF-8 bytes. For kernels whose output
 * strings are made by JS (casts of numbers, formatted dates), not for copying existing bytes.
 *
 * @example
 * utf8FromStrings(['1', null, '3']); // a Utf8Column with row 1 null
 */
export function utf8FromStrings(strings: readonly (string | null)[]): Utf8Column {
  const rows = strings.length;
  let total = 0;
  for (let i = 0; i < rows; i++) total += Buffer.byteLength(strings[i] ?? '', 'utf8');
  const bytes = Buffer.allocUnsafe(total);
  const starts = new Int32Array(rows);
  const ends = new Int32Array(rows);
  let valid: Uint8Array | undefined;
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const s = strings[i] ?? null;
    starts[i] = at;
    if (s === null) {
      valid ??= new Uint8Array(rows).fill(1);
      valid[i] = 0;
    } else at += bytes.write(s, at, 'utf8');
    ends[i] = at;
  }
  return { type: 'utf8', bytes, starts, ends, valid };
}
