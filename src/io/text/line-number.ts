/**
 * The line number of a byte offset in a file, for error messages of readers that work on byte ranges (a split
 * does not know how many lines come before it). Only run on the error path: it reads the file up to the offset.
 */
import { closeSync, openSync, readSync } from 'node:fs';

const CHUNK_BYTES = 1 << 20;

const LF = 0x0a;
const CR = 0x0d;

/**
 * The number of the line that starts at byte `offset` of the file at `path`: 1 + the line terminators before it,
 * counted as the line readers end lines (`\n`, `\r\n` or a lone `\r`, common/line-scanner.ts), or null when the file cannot
 * be read.
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
    let crEnded = false; // the previous chunk ended with '\r'
    for (let at = 0; at < offset;) {
      const n = readSync(fd, buf, 0, Math.min(CHUNK_BYTES, offset - at), at);
      if (n === 0) break;
      const view = buf.subarray(0, n);
      // Every '\n' and every '\r' ends a line, but a '\r\n' ends one.
      for (let i = view.indexOf(LF); i >= 0; i = view.indexOf(LF, i + 1)) line++;
      for (let i = view.indexOf(CR); i >= 0; i = view.indexOf(CR, i + 1)) if (view[i + 1] !== LF) line++;
      // A '\r' counted at the end of the last chunk, whose '\n' begins this one.
      if (crEnded && view[0] === LF) line--;
      crEnded = view[n - 1] === CR;
      at += n;
    }
    return line;
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
