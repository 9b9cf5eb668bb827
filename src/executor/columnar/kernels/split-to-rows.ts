/**
 * `splitToRows`: one output row per token of each input string, as views into the same bytes (no copy). With no
 * separator, tokens are the maximal runs of non-whitespace (JS `\s`), which equals `s.split(/\s+/)` without its
 * empty strings; with a separator, exactly `s.split(separator)` (empty parts included).
 */
import type { Utf8Column } from '../batches/batch.js';
import { spaceClass, wideSpaceBytes } from './utf8-whitespace.js';

/** The tokens, and for each the input row it came from (to repeat the other columns). */
export interface SplitRows {
  readonly rows: number;
  readonly parents: Int32Array;
  readonly column: Utf8Column;
}

/** Growable output of a split: parent row, start and end per token. */
class TokenSink {
  parents: Int32Array;
  starts: Int32Array;
  ends: Int32Array;
  count = 0;
  constructor(capacity: number) {
    this.parents = new Int32Array(capacity);
    this.starts = new Int32Array(capacity);
    this.ends = new Int32Array(capacity);
  }
  grow(): void {
    const capacity = this.parents.length * 2 + 16;
    const grown = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    this.parents = grown(this.parents);
    this.starts = grown(this.starts);
    this.ends = grown(this.ends);
  }
  result(bytes: Uint8Array): SplitRows {
    const n = this.count;
    return {
      rows: n,
      parents: this.parents.subarray(0, n),
      column: { type: 'utf8', bytes, starts: this.starts.subarray(0, n), ends: this.ends.subarray(0, n) },
    };
  }
}

/**
 * Splits each of the first `rows` strings on whitespace (JS `\s`, Unicode spaces included), byte by byte.
 *
 * @example
 * splitOnWhitespace(column, rows).column; // the words, pointing into column.bytes
 */
export function splitOnWhitespace(column: Utf8Column, rows: number): SplitRows {
  const { bytes, starts, ends } = column;
  // About one token per 6 bytes of text: sized so a typical batch never grows.
  const sink = new TokenSink(Math.max(16, ((bytes.length / 6) | 0) + rows));
  const space = spaceClass;
  for (let row = 0; row < rows; row++) {
    const end = ends[row]!;
    let i = starts[row]!;
    while (i < end) {
      const kind = space[bytes[i]!]!;
      if (kind !== 0) {
        if (kind === 1) {
          i++;
          continue;
        }
        const w = wideSpaceBytes(bytes, i, end);
        if (w > 0) {
          i += w;
          continue;
        }
      }
      const tokenStart = i++;
      while (i < end) {
        const k = space[bytes[i]!]!;
        if (k !== 0 && (k === 1 || wideSpaceBytes(bytes, i, end) > 0)) break;
        i++;
      }
      if (sink.count === sink.parents.length) sink.grow();
      const k = sink.count++;
      sink.parents[k] = row;
      sink.starts[k] = tokenStart;
      sink.ends[k] = i;
    }
  }
  return sink.result(bytes);
}

/**
 * Splits each of the first `rows` strings at every occurrence of `separator` (its UTF-8 bytes, non-empty), as JS
 * `s.split(separator)`: `'a,,b'` gives `a`, ``, `b`; an empty string gives one empty token.
 *
 * @example
 * splitOnSeparator(column, rows, new TextEncoder().encode(','));
 */
export function splitOnSeparator(column: Utf8Column, rows: number, separator: Uint8Array): SplitRows {
  const { bytes, starts, ends } = column;
  const sink = new TokenSink(rows * 2 + 16);
  const first = separator[0]!;
  const n = separator.length;
  const emit = (row: number, s: number, e: number) => {
    if (sink.count === sink.parents.length) sink.grow();
    const k = sink.count++;
    sink.parents[k] = row;
    sink.starts[k] = s;
    sink.ends[k] = e;
  };
  for (let row = 0; row < rows; row++) {
    const end = ends[row]!;
    let tokenStart = starts[row]!;
    let i = tokenStart;
    while (i + n <= end) {
      if (bytes[i] === first && matchesAt(bytes, i, separator)) {
        emit(row, tokenStart, i);
        i += n;
        tokenStart = i;
      } else i++;
    }
    emit(row, tokenStart, end);
  }
  return sink.result(bytes);
}

function matchesAt(bytes: Uint8Array, at: number, separator: Uint8Array): boolean {
  for (let j = 1; j < separator.length; j++) if (bytes[at + j] !== separator[j]) return false;
  return true;
}
