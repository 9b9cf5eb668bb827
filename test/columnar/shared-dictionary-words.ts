// Words coded into a shared string dictionary's column (storage/shared-dictionary.ts) as a cached partition's
// dictionary would be, for the tests of its lock and its adds.
import {
  codingIntoSharedDictionaries,
  sharedCodesOf,
  type Dictionary,
} from '../../src/executor/columnar/caching/shared-dictionary-codes.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A partition's own dictionary of `words`, in their order. */
export function dictionaryOf(words: readonly string[]): Dictionary {
  const parts = words.map((w) => encoder.encode(w));
  const offsets = new Int32Array(words.length + 1);
  parts.forEach((p, i) => (offsets[i + 1] = offsets[i]! + p.length));
  const bytes = new Uint8Array(offsets[words.length]!);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  return { size: words.length, bytes, offsets };
}

/** The strings of a dictionary, in code order. */
export function wordsOf({ size, bytes, offsets }: Dictionary): string[] {
  return Array.from({ length: size }, (_, c) => decoder.decode(bytes.subarray(offsets[c]!, offsets[c + 1]!)));
}

/**
 * `words` coded into column k of the shared dictionaries `buffer`: the shared words and each word's code, or null
 * when the partition keeps its own dictionary (the lock not to be had, or too many strings).
 */
export function addWords(
  buffer: SharedArrayBuffer,
  words: readonly string[],
): { shared: string[]; codes: number[] } | null {
  const result = codingIntoSharedDictionaries(buffer, () => sharedCodesOf('k', dictionaryOf(words), 1000));
  return result === null ? null : { shared: wordsOf(result.dictionary), codes: [...result.codeOf] };
}
