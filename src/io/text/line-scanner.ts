import { readSync } from 'node:fs';

import type { TextSplit } from '../../protocol/pipeline.js';
import { inputErrorFromFs } from '../files/input-fs-error.js';
import { checkLineBytes } from './line-bytes-limit.js';

/**
 * Most bytes read per call once past the split's end, where only the rest of the last line is needed (it grows if
 * that line is longer). Keeps many small splits of a big file from each reading a whole chunk they then drop.
 */
const TAIL_READ_BYTES = 8 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Finds line boundaries in a window over the file. `buf[lo, hi)` holds bytes not yet consumed; `bufOffset` is the
 * file offset of `buf[0]`. A line longer than the window grows it; otherwise consumed bytes are shifted out.
 * Terminators are always parsed exactly as from the start of the file (a `\r` waits for the next byte to decide
 * whether it is `\r\n`), which is what keeps split boundaries from splitting or duplicating a line. The engine under
 * `readLines` and `forEachLine` (`line-reader.ts`), which own the split's rules of which lines are its own.
 */
export class LineScanner {
  private buf: Buffer;
  /** `buf` up to `hi`, so `indexOf` never sees stale bytes past the valid data. */
  private view: Buffer;
  private bufOffset: number;
  private lo = 0;
  private hi = 0;
  private eof = false;
  /** Cached positions of the next `\n` / `\r` at or after the scan point; `hi` means none before `hi`. */
  private lfAt = -1;
  private crAt = -1;
  private lineStart = 0;
  private lineEnd = 0;

  private readonly fd: number;
  private readonly fileBytes: number;
  private readonly path: string;
  /** File offset of the split's end: the last offset at which a line of this split may start. */
  private readonly end: number;
  private readonly chunkBytes: number;
  private readonly lineBytesMax: number;
  private readonly onBytes: ((bytes: number) => void) | undefined;

  constructor(
    fd: number,
    fileBytes: number,
    split: TextSplit,
    chunkBytes: number,
    lineBytesMax: number,
    onBytes: ((bytes: number) => void) | undefined,
  ) {
    this.fd = fd;
    this.fileBytes = fileBytes;
    this.path = split.sourcePath ?? split.path;
    this.end = split.start + split.length;
    this.chunkBytes = chunkBytes;
    this.lineBytesMax = lineBytesMax;
    this.onBytes = onBytes;
    this.buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(TAIL_READ_BYTES, split.length + 1)));
    this.view = this.buf.subarray(0, 0);
    this.bufOffset = split.start;
  }

  /** File offset where the next line starts (the byte after the last consumed terminator). */
  get nextLineOffset(): number {
    return this.bufOffset + this.lo;
  }

  /** File offset of the first byte of the line `scan(false)` just consumed. */
  get lineOffset(): number {
    return this.bufOffset + this.lineStart;
  }

  /**
   * Consumes the next line and its terminator; false at end of file. With `discard`, the line's bytes are dropped
   * as they are scanned (no growth, no length limit): used to skip the line a split starts inside.
   */
  scan(discard: boolean): boolean {
    let i = this.lo;
    for (;;) {
      const t = this.findTerminator(i);
      if (t >= 0) {
        if (this.buf[t] === LF) return this.consume(t, t + 1, discard);
        if (t + 1 < this.hi) return this.consume(t, this.buf[t + 1] === LF ? t + 2 : t + 1, discard);
        if (this.eof) return this.consume(t, t + 1, discard);
        i = t; // a '\r' at the window's end: read on to see whether '\n' follows
      } else {
        if (this.eof) return this.lo < this.hi && this.consume(this.hi, this.hi, discard);
        i = this.hi;
      }
      if (discard) this.lo = i;
      else this.checkLineLength(i - this.lo);
      i -= this.fill();
    }
  }

  /** The line `scan(false)` just consumed, decoded; a BOM at file offset 0 is dropped. */
  decodeLine(): string {
    const { buf, lineStart, lineEnd } = this;
    const hasBom =
      this.bufOffset + lineStart === 0 &&
      lineEnd - lineStart >= 3 &&
      buf[lineStart] === 0xef &&
      buf[lineStart + 1] === 0xbb &&
      buf[lineStart + 2] === 0xbf;
    return buf.toString('utf8', hasBom ? lineStart + 3 : lineStart, lineEnd);
  }

  private consume(lineEnd: number, next: number, discard: boolean): true {
    if (!discard) this.checkLineLength(lineEnd - this.lo);
    this.lineStart = this.lo;
    this.lineEnd = lineEnd;
    this.lo = next;
    return true;
  }

  /** Index of the first `\n` or `\r` in `buf[i, hi)`, or -1. Each byte is searched once per fill. */
  private findTerminator(i: number): number {
    if (this.lfAt < i) this.lfAt = indexOrEnd(this.view, LF, i);
    if (this.crAt < i) this.crAt = indexOrEnd(this.view, CR, i);
    const t = Math.min(this.lfAt, this.crAt);
    return t < this.hi ? t : -1;
  }

  /** Reads the next chunk after `hi`, first making room; returns how far indices shifted down. */
  private fill(): number {
    const fileLeftBytes = this.fileBytes - (this.bufOffset + this.hi);
    if (fileLeftBytes <= 0) {
      this.eof = true;
      return 0;
    }
    const bytesUntilEnd = this.end + 1 - (this.bufOffset + this.hi);
    // Past the split's end, read as much again as the line so far: a long last line takes few reads.
    const wantedBytes = Math.max(TAIL_READ_BYTES, bytesUntilEnd, this.hi - this.lo);
    const readBytes = Math.min(this.chunkBytes, wantedBytes, fileLeftBytes);
    let shift = 0;
    if (this.buf.length - this.hi < readBytes) {
      const kept = this.hi - this.lo;
      if (kept + readBytes <= this.buf.length) {
        this.buf.copyWithin(0, this.lo, this.hi);
      } else {
        // The current line fills the window: grow geometrically so a long line costs amortized linear copying,
        // but never past what the rest of the file can add to it.
        const grown = Buffer.allocUnsafe(
          Math.max(Math.min(this.buf.length * 2, kept + fileLeftBytes), kept + readBytes),
        );
        this.buf.copy(grown, 0, this.lo, this.hi);
        this.buf = grown;
      }
      shift = this.lo;
      this.bufOffset += shift;
      this.lo = 0;
      this.hi = kept;
    }
    let bytes: number;
    try {
      bytes = readSync(this.fd, this.buf, this.hi, readBytes, this.bufOffset + this.hi);
    } catch (error) {
      throw inputErrorFromFs(error, this.path, `reading at byte offset ${this.bufOffset + this.hi}`);
    }
    if (bytes === 0) this.eof = true;
    this.hi += bytes;
    this.view = this.buf.subarray(0, this.hi);
    // New bytes after the old end: cached "none before hi" answers are stale.
    this.lfAt = -1;
    this.crAt = -1;
    if (bytes > 0) this.onBytes?.(bytes);
    return shift;
  }

  private checkLineLength(bytes: number): void {
    checkLineBytes(this.path, this.bufOffset + this.lo, bytes, this.lineBytesMax);
  }
}

function indexOrEnd(view: Buffer, byte: number, from: number): number {
  const found = view.indexOf(byte, from);
  return found < 0 ? view.length : found;
}
