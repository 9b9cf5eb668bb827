/**
 * Native baseline of the word-count macro bench: one thread reads each file in 8 MiB chunks, scans the bytes once,
 * hashing each word while it scans it, and counts words in a {@link WordTable}. No JS string per word.
 */
import { closeSync, openSync, readSync } from 'node:fs';

import { SPACE_BYTE } from './ascii-space.js';
import { avalanche, WordTable } from './word-table.js';

const CHUNK_BYTES = 8 * 1024 * 1024;

/** The distinct words and total words of a word count. */
export interface WordCountSummary {
  readonly distinct: number;
  readonly total: number;
}

/**
 * Counts the words (maximal runs of non-whitespace bytes) of the files.
 *
 * @example
 * countWordsNative(['/tmp/corpus/part-1.txt']); // { distinct: 64542, total: 371234 }
 */
export function countWordsNative(paths: readonly string[], chunkBytes = CHUNK_BYTES): WordCountSummary {
  const table = countWordsNativeTable(paths, chunkBytes);
  return { distinct: table.size, total: table.total };
}

/**
 * {@link countWordsNative}, returning the table itself (for checks: `table.toMap()`). `chunkBytes` is the read
 * buffer's initial size (tests make it tiny to cross chunk boundaries inside words).
 *
 * @example
 * countWordsNativeTable(paths, 16).toMap().get('the');
 */
export function countWordsNativeTable(paths: readonly string[], chunkBytes = CHUNK_BYTES): WordTable {
  const table = new WordTable();
  for (const path of paths) countFile(path, table, chunkBytes);
  return table;
}

/**
 * Counts the words of `text` into `table` (for the in-memory micro bench).
 *
 * @example
 * countWordsInBytes(text, new WordTable()).size;
 */
export function countWordsInBytes(text: Uint8Array, table: WordTable): WordTable {
  scan(text, 0, text.length, table, true);
  return table;
}

function countFile(path: string, table: WordTable, chunkBytes: number): void {
  let buffer = new Uint8Array(chunkBytes);
  const fd = openSync(path, 'r');
  try {
    let kept = 0; // bytes of an unfinished word carried to the front of the buffer
    for (;;) {
      const read = readSync(fd, buffer, kept, buffer.length - kept, null);
      const end = kept + read;
      const last = read === 0;
      const consumed = scan(buffer, 0, end, table, last);
      if (last) break;
      kept = end - consumed;
      if (kept === buffer.length) {
        // One word longer than the buffer: grow it.
        const grown = new Uint8Array(buffer.length * 2);
        grown.set(buffer);
        buffer = grown;
      } else buffer.copyWithin(0, consumed, end);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Counts every word of `bytes[from, to)`; a word touching `to` counts only when `final` (else it may continue in the
 * next chunk). Returns where the unconsumed tail starts.
 */
function scan(bytes: Uint8Array, from: number, to: number, table: WordTable, final: boolean): number {
  const space = SPACE_BYTE;
  let i = from;
  for (;;) {
    while (i < to && space[bytes[i]!] === 1) i++;
    if (i === to) return to;
    const start = i;
    let h = 0x811c9dc5;
    let b = bytes[i]!;
    do {
      h = Math.imul(h ^ b, 0x01000193);
      i++;
    } while (i < to && space[(b = bytes[i]!)] === 0);
    if (i === to && !final) return start;
    table.add(bytes, start, i, avalanche(h));
  }
}
