/**
 * Splits the bytes of a file into lines, a window at a time, for every reader of lines: the text sources
 * (`io/text/line-reader.ts`, which own a split's rules of which lines are its own) and the event log reader
 * (`events/event-log-reader.ts`, which must tell a crash-cut last line from a whole one). Lines are decoded only
 * once whole, so a character cut by a read's end reads right, and the file is never in memory as a whole.
 */

const LF = 0x0a;
const CR = 0x0d;

/**
 * Most bytes read per call once past the region's end, where only the rest of the last line is needed (it grows if
 * that line is longer). Keeps many small splits of a big file from each reading a whole chunk they then drop.
 */
const TAIL_READ_BYTES = 8 * 1024;

/** What a `LineScanner` reads and how; the failures it cannot name itself are the caller's to word. */
export interface LineSource {
  /** Reads into `buffer[at, at + length)` the bytes from file offset `position`; returns how many it read. */
  read(buffer: Buffer, at: number, length: number, position: number): number;
  /** The file's size: bytes past it are never asked for. */
  readonly fileBytes: number;
  /** File offset of the first byte to scan. */
  readonly start: number;
  /** File offset of the region's end: past it reads shrink to what finishing the last line needs. */
  readonly end: number;
  /** Most bytes asked of `read` at a time while within the region. */
  readonly chunkBytes: number;
  /** Longest line accepted, in bytes without its terminator. */
  readonly lineBytesMax: number;
  /** Throws the caller's error for a line longer than `lineBytesMax` that starts at file offset `lineOffset`. */
  tooLong(lineOffset: number): never;
  /** Called after each read with the bytes it returned. */
  readonly onBytes?: ((bytes: number) => void) | undefined;
}

/**
 * Finds line boundaries in a window over the file: a line ends at `\n`, `\r\n` or `\r`, and a last line without
 * terminator is a line too (`terminated` tells which). `buf[lo, hi)` holds bytes not yet consumed; `bufOffset` is
 * the file offset of `buf[0]`. A line longer than the window grows it; otherwise consumed bytes are shifted out.
 * Terminators are always parsed exactly as from the start of the file (a `\r` waits for the next byte to decide
 * whether it is `\r\n`), which is what keeps split boundaries from splitting or duplicating a line.
 *
 * @example
 * const scanner = new LineScanner(source);
 * while (scanner.scan(false)) console.log(scanner.decodeLine(), scanner.terminated);
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
  private lineTerminated = false;

  private readonly source: LineSource;
  private readonly fileBytes: number;
  private readonly end: number;
  private readonly chunkBytes: number;
  private readonly lineBytesMax: number;

  constructor(source: LineSource) {
    this.source = source;
    this.fileBytes = source.fileBytes;
    this.end = source.end;
    this.chunkBytes = source.chunkBytes;
    this.lineBytesMax = source.lineBytesMax;
    this.buf = Buffer.allocUnsafe(
      Math.min(source.chunkBytes, Math.max(TAIL_READ_BYTES, source.end - source.start + 1)),
    );
    this.view = this.buf.subarray(0, 0);
    this.bufOffset = source.start;
  }

  /** File offset where the next line starts (the byte after the last consumed terminator). */
  get nextLineOffset(): number {
    return this.bufOffset + this.lo;
  }

  /** File offset of the first byte of the line `scan(false)` just consumed. */
  get lineOffset(): number {
    return this.bufOffset + this.lineStart;
  }

  /** Whether the line just consumed ended with a terminator (false only for a last line the file cuts short). */
  get terminated(): boolean {
    return this.lineTerminated;
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

  /** The line `scan(false)` just consumed, decoded as UTF-8 (invalid bytes become U+FFFD); a BOM at file offset 0 is dropped. */
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
    this.lineTerminated = next > lineEnd;
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
    // Past the region's end, read as much again as the line so far: a long last line takes few reads.
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
    const bytes = this.source.read(this.buf, this.hi, readBytes, this.bufOffset + this.hi);
    if (bytes === 0) this.eof = true;
    this.hi += bytes;
    this.view = this.buf.subarray(0, this.hi);
    // New bytes after the old end: cached "none before hi" answers are stale.
    this.lfAt = -1;
    this.crAt = -1;
    if (bytes > 0) this.source.onBytes?.(bytes);
    return shift;
  }

  private checkLineLength(bytes: number): void {
    if (bytes > this.lineBytesMax) this.source.tooLong(this.bufOffset + this.lo);
  }
}

function indexOrEnd(view: Buffer, byte: number, from: number): number {
  const found = view.indexOf(byte, from);
  return found < 0 ? view.length : found;
}
