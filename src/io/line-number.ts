/**
 * The line number of a byte offset in a file, for error messages of readers that work on byte ranges (a split
 * does not know how many lines come before it). Only run on the error path: it reads the file up to the offset.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

/**
 * 1 + the number of `\n` bytes before `offset` in the file at `path` (or null when it cannot be read).
 *
 * @example
 * lineNumberAt('data.csv', 120); // 3
 */
export function lineNumberAt(path: string, offset: number): number | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let line = 1;
    for (let at = 0; at < offset;) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, offset - at), at);
      if (n === 0) break;
      for (let i = buf.indexOf(0x0a, 0); i >= 0 && i < n; i = buf.indexOf(0x0a, i + 1)) line++;
      at += n;
    }
    return line;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
