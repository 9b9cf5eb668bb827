/**
 * The bytes of a text split's lines as a few long spans, for readers to whom a line terminator is whitespace like
 * any other (the fused word count): each span is whole lines back to back, terminators between them included, so
 * its whitespace-separated tokens are exactly the tokens of those lines. Unlike `readTextBatches` nothing is done
 * per line: per read, two searches find the last terminator (the unfinished line is carried to the next read) and
 * the first (the only line whose length needs a check, see below). The read buffer is reused, by the next read and
 * by the next split on this thread, so reading allocates nothing once warm.
 * Line ownership is `readTextBatches`' (Hadoop's LineRecordReader): a split that does not start at 0 drops the
 * line it starts inside or at, and a split owns every line starting at or before its end.
 */
import { closeSync } from 'node:fs';

import { rejectCompressedInput } from '../../../io/text/compressed-input.js';
import { DEFAULT_LINE_BYTES_MAX, checkLineBytes } from '../../../io/text/line-bytes-limit.js';
import { openRegularFile } from '../../../io/files/regular-file.js';
import type { TextSplit } from '../../../protocol/pipeline.js';
import { readAt, readTextBatches, TEXT_BATCH_BYTES } from './text-source.js';

/** Whole lines `bytes[start, end)`: valid only until the generator is resumed (the buffer is reused). */
export interface TextSpan {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
  /**
   * The span's lines (as `readTextBatches` counts them, empty ones included) less its line ends inside
   * `[start, end)` (each `\n`, each `\r` not followed by `\n` inside the span, as `countWhitespaceTokens`
   * counts them): the terminator after `end` or an unterminated last line, less a `\n` at `start` that completes
   * the `\r\n` before it. The word count gets the lines it read without a pass of its own over the bytes.
   */
  readonly extraLines: number;
}

/** Most bytes read per call past the split's end, where only the rest of its last line is needed. */
const TAIL_READ_BYTES = 8 * 1024;

/** A buffer grown past this for one long line is not kept for the next split. */
const SPARE_BYTES_MAX = 4 * TEXT_BATCH_BYTES;

const LF = 0x0a;
const CR = 0x0d;

/** This thread's read buffer between splits (null while a split holds it). */
let spare: Buffer | null = null;

/**
 * The split's lines as spans of whole lines (see the file comment). Each read is at most `batchBytes`, so every
 * line of a span but its first lies inside one read and is at most `batchBytes` long; the first line (which may
 * have been carried over several reads) and the unfinished line are checked against `lineBytesMax` (`InputError`
 * `ERR_INPUT_INVALID_RECORD` naming the file and the line's byte offset, as `readTextBatches`). With a
 * `lineBytesMax` below `batchBytes` every line needs its check: the spans then come from `readTextBatches`.
 *
 * @example
 * for (const { bytes, start, end } of readTextSpans(split, () => {})) countTokens(bytes, start, end);
 */
export function* readTextSpans(
  split: TextSplit,
  onBytes: (bytes: number) => void,
  lineBytesMax: number = DEFAULT_LINE_BYTES_MAX,
  batchBytes = TEXT_BATCH_BYTES,
): Generator<TextSpan> {
  if (lineBytesMax < batchBytes) {
    for (const batch of readTextBatches(split, onBytes, lineBytesMax, batchBytes)) {
      const column = batch.columns[0]!;
      if (column.type !== 'utf8') continue; // never: text batches are one utf8 column
      // Exactly one terminator lies between two lines of a batch: rows - 1 line ends inside the span.
      yield { bytes: column.bytes, start: column.starts[0]!, end: column.ends[batch.rows - 1]!, extraLines: 1 };
    }
    return;
  }
  rejectCompressedInput(split.path);
  const { fd, fileBytes } = openRegularFile(split.path);
  const name = split.sourcePath ?? split.path; // for errors: a decompressed gzip split reads a temporary copy
  let buf = spare !== null && spare.length >= batchBytes ? spare : Buffer.allocUnsafe(batchBytes);
  spare = null;
  try {
    const end = split.start + split.length;
    // buf[0, hi) holds the bytes at file offset bufOffset …; buf[lo, hi) is not yet yielded (or skipped).
    let bufOffset = split.start;
    let hi = 0;
    let lo = 0;
    let eof = false;
    // The line this split starts inside (or exactly at) belongs to the previous split.
    let skipFirst = split.start !== 0;
    // The byte before buf[lo] (a terminator, consumed) was '\r': a '\n' at lo ends no line of its own.
    let crBefore = false;
    /** `TextSpan.extraLines` of buf[lo, stop): its last line ends at the terminator at `stop`, or (not `terminated`) at EOF. */
    const extraLines = (stop: number, terminated: boolean): number => {
      const lead = crBefore && stop > lo && buf[lo] === LF ? 1 : 0;
      if (!terminated) return (stop > lo && !isTerminator(buf[stop - 1]!) ? 1 : 0) - lead;
      const crlf = buf[stop] === LF && (stop > lo ? buf[stop - 1] === CR : crBefore);
      return (crlf ? 0 : 1) - lead;
    };
    for (;;) {
      if (lo > 0) {
        buf.copy(buf, 0, lo, hi);
        bufOffset += lo;
        hi -= lo;
        lo = 0;
      }
      const fileLeftBytes = fileBytes - (bufOffset + hi);
      if (fileLeftBytes <= 0) eof = true; // the file as it was opened
      if (!eof) {
        if (hi === buf.length) {
          // One line fills the buffer: grow geometrically, but not past what the rest of the file can add.
          const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, hi + fileLeftBytes));
          buf.copy(grown, 0, 0, hi);
          buf = grown;
        }
        // Past the split's end only the rest of the last line is needed: read little, but as much again as the
        // line so far, so a long last line takes a logarithmic number of reads (up to batchBytes a read).
        const wanted = bufOffset + hi <= end ? batchBytes : Math.max(TAIL_READ_BYTES, Math.min(hi, batchBytes));
        const n = readAt(fd, buf, hi, Math.min(buf.length - hi, wanted), bufOffset + hi, name, onBytes);
        if (n === 0) eof = true;
        hi += n;
      }
      if (skipFirst) {
        const t = firstTerminator(buf, lo, hi);
        if (t < 0) {
          lo = hi; // dropped as scanned, however long
          if (eof) return;
          continue;
        }
        lo = t + 1; // a '\n' after this '\r' starts the span: whitespace, it adds no token
        crBefore = buf[t] === CR;
        skipFirst = false;
      }
      if (bufOffset + lo > end) return; // the next line is the next split's
      if (bufOffset + hi > end || eof) {
        // The split's last line ends at the first terminator at or after its end (or at the end of the file).
        const t = firstTerminator(buf, Math.max(lo, end - bufOffset), hi);
        if (t >= 0 || eof) {
          const stop = t >= 0 ? t : hi;
          checkFirstLine(buf, lo, stop, name, bufOffset, lineBytesMax);
          const lines = extraLines(stop, t >= 0);
          if (stop > lo || lines !== 0) yield { bytes: buf, start: lo, end: stop, extraLines: lines };
          return;
        }
      }
      const t = lastTerminator(buf, lo, hi);
      if (t >= 0) {
        checkFirstLine(buf, lo, t, name, bufOffset, lineBytesMax);
        yield { bytes: buf, start: lo, end: t, extraLines: extraLines(t, true) };
        crBefore = buf[t] === CR;
        lo = t + 1;
      }
      checkLineBytes(name, bufOffset + lo, hi - lo, lineBytesMax); // the unfinished line, before reading on
    }
  } finally {
    closeSync(fd);
    if (buf.length <= SPARE_BYTES_MAX) spare = buf;
  }
}

/** Checks the line starting at `buf[lo]` (ending at its first terminator before `stop`, else at `stop`). */
function checkFirstLine(
  buf: Buffer,
  lo: number,
  stop: number,
  name: string,
  bufOffset: number,
  lineBytesMax: number,
): void {
  const t = firstTerminator(buf, lo, stop);
  checkLineBytes(name, bufOffset + lo, (t < 0 ? stop : t) - lo, lineBytesMax);
}

function isTerminator(byte: number): boolean {
  return byte === LF || byte === CR;
}

/** Index of the first '\n' or '\r' in `buf[from, to)`, or -1. */
function firstTerminator(buf: Buffer, from: number, to: number): number {
  if (from >= to) return -1;
  // indexOf may look past `to` (into stale bytes): what it finds there is ignored.
  const lf = buf.indexOf(LF, from);
  const limit = lf >= 0 && lf < to ? lf : to;
  const cr = buf.subarray(from, limit).indexOf(CR);
  if (cr >= 0) return from + cr;
  return limit < to ? limit : -1;
}

/** Index of the last '\n' or '\r' in `buf[from, to)`, or -1. */
function lastTerminator(buf: Buffer, from: number, to: number): number {
  if (from >= to) return -1;
  const lf = buf.lastIndexOf(LF, to - 1);
  const cr = buf.subarray(Math.max(from, lf + 1), to).lastIndexOf(CR);
  const last = cr >= 0 ? Math.max(from, lf + 1) + cr : lf;
  return last >= from ? last : -1;
}
