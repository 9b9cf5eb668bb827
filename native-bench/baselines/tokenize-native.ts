/**
 * Native baseline of the tokenize micro bench: one pass over UTF-8 bytes writing each word's start and end into
 * typed arrays (the same output as the engine's `splitOnWhitespace`: views into the bytes, no copies).
 */
import { SPACE_BYTE } from './ascii-space.js';

/** Word boundaries: word `i` is `bytes[starts[i], ends[i])`. */
export interface Tokens {
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/**
 * Splits `bytes` into maximal runs of non-whitespace. `starts` and `ends` must hold at least `bytes.length / 2 + 1`
 * entries (the most words a text can have); pass the same arrays every call to allocate nothing.
 *
 * @example
 * const t = tokenizeBytes(text, new Int32Array(text.length / 2 + 1), new Int32Array(text.length / 2 + 1));
 */
export function tokenizeBytes(bytes: Uint8Array, starts: Int32Array, ends: Int32Array): Tokens {
  const space = SPACE_BYTE;
  const n = bytes.length;
  let count = 0;
  let i = 0;
  while (i < n) {
    while (i < n && space[bytes[i]!] === 1) i++;
    if (i === n) break;
    const start = i++;
    while (i < n && space[bytes[i]!] === 0) i++;
    starts[count] = start;
    ends[count] = i;
    count++;
  }
  return { count, starts, ends };
}
