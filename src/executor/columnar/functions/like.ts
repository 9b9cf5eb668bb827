/**
 * SQL `LIKE` over UTF-8 bytes (see `common/like-pattern.ts` for the pattern's rules): the pattern is compiled once
 * into segments between `%`s; a row is matched by anchoring the first and last segments and finding the middle
 * ones leftmost (enough for patterns of `%` and `_` only), without decoding the row.
 */
import { ANY_CHAR, type LikePattern } from '../../../common/like-pattern.js';
import type { Utf8Column } from '../batches/batch.js';

/** Where `segment` matching at `p` ends, or -1. */
function matchSegment(bytes: Uint8Array, p: number, end: number, segment: Int16Array): number {
  for (let k = 0; k < segment.length; k++) {
    if (p >= end) return -1;
    const item = segment[k]!;
    if (item === ANY_CHAR) {
      p++;
      while (p < end && (bytes[p]! & 0xc0) === 0x80) p++;
    } else if (bytes[p] !== item) return -1;
    else p++;
  }
  return p;
}

function likeRow(bytes: Uint8Array, s: number, e: number, segments: readonly Int16Array[]): boolean {
  const n = segments.length;
  if (n === 1) return matchSegment(bytes, s, e, segments[0]!) === e;
  let p = matchSegment(bytes, s, e, segments[0]!);
  if (p < 0) return false;
  for (let k = 1; k < n - 1; k++) {
    const segment = segments[k]!;
    let found = -1;
    for (let q = p; q <= e && found < 0; q++) {
      if (q < e && (bytes[q]! & 0xc0) === 0x80) continue; // inside a character
      found = matchSegment(bytes, q, e, segment);
    }
    if (found < 0) return false;
    p = found;
  }
  const last = segments[n - 1]!;
  for (let q = p; q <= e; q++) {
    if (q < e && (bytes[q]! & 0xc0) === 0x80) continue;
    if (matchSegment(bytes, q, e, last) === e) return true;
  }
  return false;
}

/**
 * True where the string matches `pattern` (a boolean column; null rows stay null).
 *
 * @example
 * like(column, rows, compileLike('%son', '\\') as LikePattern);
 */
export function like(
  column: Utf8Column,
  rows: number,
  pattern: LikePattern,
): { type: 'bool'; values: Uint8Array; valid: Uint8Array | undefined } {
  const values = new Uint8Array(rows);
  const { bytes, starts, ends } = column;
  const segments = pattern.segments;
  for (let i = 0; i < rows; i++) values[i] = likeRow(bytes, starts[i]!, ends[i]!, segments) ? 1 : 0;
  return { type: 'bool', values, valid: column.valid };
}
