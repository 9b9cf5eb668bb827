import { constants as bufferConstants } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

import { assert } from '../common/assert.js';
import { describeValue } from '../common/describe-value.js';
import { InputError, PlanError } from '../common/errors.js';
import type { TextSplit } from '../protocol/pipeline.js';
import { rejectCompressedInput } from './compressed-input.js';
import { inputErrorFromFs } from './input-fs-error.js';

/** Bytes asked of the file per read call by default. */
export const DEFAULT_CHUNK_BYTES = 1024 * 1024;

/**
 * Most bytes read per call once past the split's end, where only the rest of the last line is needed (it grows if
 * that line is longer). Keeps many small splits of a big file from each reading a whole chunk they then drop.
 */
const TAIL_READ_BYTES = 8 * 1024;

/**
 * The longest line `textFile` and `readText` accept by default, in bytes without its terminator: the longest string
 * V8 can hold (`buffer.constants.MAX_STRING_LENGTH`, 2^29 - 24 bytes on 64-bit builds, about 512 MiB). A longer
 * line is an `InputError`; set `lineBytesMax` lower to fail fast on files that are not line-oriented.
 */
export const DEFAULT_LINE_BYTES_MAX: number = bufferConstants.MAX_STRING_LENGTH;

/**
 * `lineBytesMax` as a user gave it (`undefined`: the default), checked: an integer from 1 to
 * `DEFAULT_LINE_BYTES_MAX`, else `PlanError` `ERR_PLAN_INVALID_ARGUMENT` naming `where`.
 */
export function resolveLineBytesMax(value: unknown, where: string): number {
  if (value === undefined) return DEFAULT_LINE_BYTES_MAX;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1 && value <= DEFAULT_LINE_BYTES_MAX) {
    return value;
  }
  throw new PlanError(
    'ERR_PLAN_INVALID_ARGUMENT',
    `${where} lineBytesMax must be an integer from 1 to ${DEFAULT_LINE_BYTES_MAX}, found ${describeValue(value)}`,
  );
}

/** Options of `readLines`. All optional. */
export interface ReadLinesOptions {
  /**
   * Bytes per read call. Memory stays near this size, plus the longest line of the split.
   * @default DEFAULT_CHUNK_BYTES (1 MiB)
   */
  readonly chunkBytes?: number;
  /** Called after each read with the bytes it returned, for the task's `bytesRead` metric. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * Longest line accepted, in bytes without its terminator; a longer one throws `InputError`
   * `ERR_INPUT_INVALID_RECORD` instead of exhausting memory.
   * @default DEFAULT_LINE_BYTES_MAX (the longest string V8 can hold)
   */
  readonly lineBytesMax?: number;
  /**
   * Set to the file offset of each line's first byte as the line is returned, for readers that name a bad line
   * (`lineNumberAt`, on their error path only).
   * @default undefined: not tracked
   */
  readonly at?: LineAt;
}

/** Where the line a reader just returned starts (see `ReadLinesOptions.at`). */
export interface LineAt {
  lineOffset: number;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Streams the lines of one split of a text file, with Hadoop `LineRecordReader` semantics, synchronously:
 *
 * - a line ends at `\n`, `\r\n` or `\r`; the terminator is not part of the line; a last line without terminator is
 *   returned, and a file ending in a terminator has no extra empty line after it;
 * - the split owns the lines whose first byte lies in `[0, end]` for the first split and `(start, end]` otherwise,
 *   where `end = start + length`: a split that does not start at 0 drops the line it starts inside (or exactly at),
 *   and every split reads past its end to finish its last line. So for any way of cutting a file into contiguous
 *   splits, their lines together are the file's lines, each exactly once;
 * - a UTF-8 byte order mark at the start of the file is dropped (as Hadoop does); lines decode as UTF-8, and
 *   invalid bytes become U+FFFD.
 *
 * Reads up to `chunkBytes` at a time (less past the split's end); the whole file is never in memory, only the
 * current chunk and the current line.
 * The file opens on the first `next()` and closes when the generator finishes, throws or is `return()`ed.
 * WARNING: a generator abandoned without `return()` keeps its file descriptor open; `for…of` always closes it.
 *
 * Throws `InputError`: the file is missing (`ERR_INPUT_NOT_FOUND`), a directory or not a regular file
 * (`ERR_INPUT_NOT_A_FILE`), unreadable or compressed (`ERR_INPUT_UNREADABLE`), or holds a line longer than
 * `lineBytesMax` (`ERR_INPUT_INVALID_RECORD`).
 *
 * @example
 * for (const line of readLines({ path: '/data/a.txt', start: 0, length: 1024 })) console.log(line);
 */
export function* readLines(split: TextSplit, options: ReadLinesOptions = {}): Generator<string, void, undefined> {
  const { fd, scanner } = openSplit(split, options);
  try {
    const end = split.start + split.length;
    // The line this split starts inside (or exactly at) belongs to the previous split, which reads past its end.
    if (split.start !== 0 && !scanner.scan(true)) return;
    const at = options.at;
    while (scanner.nextLineOffset <= end && scanner.scan(false)) {
      if (at !== undefined) at.lineOffset = scanner.lineOffset;
      yield scanner.decodeLine();
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * `readLines` pushed instead of pulled: calls `sink` with each line of the split, in order, and closes the file
 * when done or when `sink` throws. Same lines, errors and options; no generator resumption per line (issue 11:
 * ~6 % of the RDD word count's worker time was the generator).
 *
 * @example
 * forEachLine({ path: '/data/a.txt', start: 0, length: 1024 }, {}, (line) => console.log(line));
 */
export function forEachLine(split: TextSplit, options: ReadLinesOptions, sink: (line: string) => void): void {
  const { fd, scanner } = openSplit(split, options);
  try {
    const end = split.start + split.length;
    if (split.start !== 0 && !scanner.scan(true)) return;
    const at = options.at;
    while (scanner.nextLineOffset <= end && scanner.scan(false)) {
      if (at !== undefined) at.lineOffset = scanner.lineOffset;
      sink(scanner.decodeLine());
    }
  } finally {
    closeSync(fd);
  }
}

/** Checks the options, opens the split's file and sets a scanner at the split's start. */
function openSplit(split: TextSplit, options: ReadLinesOptions): { fd: number; scanner: LineScanner } {
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const lineBytesMax = options.lineBytesMax ?? DEFAULT_LINE_BYTES_MAX;
  assert(Number.isSafeInteger(chunkBytes) && chunkBytes >= 1, `chunkBytes must be an integer >= 1: ${chunkBytes}`);
  assert(Number.isSafeInteger(lineBytesMax) && lineBytesMax >= 0, `lineBytesMax must be >= 0: ${lineBytesMax}`);
  assert(Number.isSafeInteger(split.start) && split.start >= 0, `split start must be >= 0: ${split.start}`);
  assert(Number.isSafeInteger(split.length) && split.length >= 0, `split length must be >= 0: ${split.length}`);
  rejectCompressedInput(split.path);
  const { fd, fileBytes } = openRegularFile(split.path);
  return { fd, scanner: new LineScanner(fd, fileBytes, split, chunkBytes, lineBytesMax, options.onBytes) };
}

/**
 * Opens a regular file for reading, with input errors that name the path: missing, unreadable, a directory or
 * anything else that is not a regular file. Returns its descriptor and its size now: the readers read the file as
 * it was when opened (knowing where it ends spares a read, and a buffer grown only to find the end). Shared by the
 * line reader and the columnar text source.
 */
export function openRegularFile(path: string): { fd: number; fileBytes: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw inputErrorFromFs(error, path, 'opening the file');
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const found = stats.isDirectory() ? 'a directory' : 'not a regular file';
      throw new InputError('ERR_INPUT_NOT_A_FILE', `Input path ${path} is ${found}: expected a regular text file`);
    }
    return { fd, fileBytes: stats.size };
  } catch (error) {
    closeSync(fd);
    throw error instanceof InputError ? error : inputErrorFromFs(error, path, 'reading file metadata');
  }
}

/**
 * Finds line boundaries in a window over the file. `buf[lo, hi)` holds bytes not yet consumed; `bufOffset` is the
 * file offset of `buf[0]`. A line longer than the window grows it; otherwise consumed bytes are shifted out.
 * Terminators are always parsed exactly as from the start of the file (a `\r` waits for the next byte to decide
 * whether it is `\r\n`), which is what keeps split boundaries from splitting or duplicating a line.
 */
class LineScanner {
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

/**
 * Throws `InputError` `ERR_INPUT_INVALID_RECORD` naming the file and the line's byte offset when a line (or the part
 * of it read so far) has more than `lineBytesMax` bytes. Shared by the line reader and the columnar text source.
 */
export function checkLineBytes(path: string, lineOffset: number, bytes: number, lineBytesMax: number): void {
  if (bytes <= lineBytesMax) return;
  throw new InputError(
    'ERR_INPUT_INVALID_RECORD',
    `Line starting at byte offset ${lineOffset} of ${path} is longer than lineBytesMax (${lineBytesMax} bytes): ` +
      `expected a line terminator ('\\n', '\\r\\n' or '\\r') within lineBytesMax bytes, found more ` +
      `(raise textFile's lineBytesMax option for longer lines)`,
  );
}

function indexOrEnd(view: Buffer, byte: number, from: number): number {
  const found = view.indexOf(byte, from);
  return found < 0 ? view.length : found;
}
