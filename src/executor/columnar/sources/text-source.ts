/**
 * `readText`'s source: the lines of one text split as batches of one Utf8 column `value`, read straight from the
 * file into a byte buffer; each line is a start and an end in that buffer. Nothing is decoded into JS strings.
 * Line ownership is `textFile`'s (Hadoop's LineRecordReader, see `io/text/line-reader.ts`): a split that does not
 * start at 0 drops the line it starts inside or at, every split reads past its end to finish its last line, lines
 * end at `\n`, `\r\n` or `\r`, and a UTF-8 BOM at file offset 0 is dropped.
 * WARNING: bytes that are not valid UTF-8 stay as they are (`textFile` turns them into U+FFFD when decoding).
 */
import { closeSync, readSync } from 'node:fs';

import { rejectCompressedInput } from '../../../io/text/compressed-input.js';
import { DEFAULT_LINE_BYTES_MAX, checkLineBytes } from '../../../io/text/line-bytes-limit.js';
import { openRegularFile } from '../../../io/files/regular-file.js';
import { inputErrorFromFs } from '../../../io/files/input-fs-error.js';
import type { TextSplit } from '../../../protocol/pipeline.js';
import type { Batch } from '../batches/batch.js';

/** Bytes read per batch: big enough to amortize per-batch work, small enough to keep memory flat. */
export const TEXT_BATCH_BYTES = 4 * 1024 * 1024;

/** Most bytes read per call past the split's end, where only the rest of its last line is needed. */
export const TAIL_READ_BYTES = 8 * 1024;

const LF = 0x0a;
const CR = 0x0d;

/**
 * Batches of the split's lines. Each batch owns a fresh buffer (batches may be kept by later operators), whose
 * byte 0 is at the file offset passed to `onFileOffset` just before the batch is yielded. With `reuseBuffer` the
 * reader keeps one buffer (and one starts / ends pair) for the whole split instead.
 * WARNING: with `reuseBuffer` a batch is valid only until the next one is asked for (the caller copies what it
 * keeps); its bytes are overwritten then.
 * Linear in the split's bytes however long its lines are: each byte is searched for a terminator once, a long
 * line grows the buffer geometrically, reads past the split's end grow with the line, and the line a split starts
 * inside is dropped as it is scanned. Memory stays near `batchBytes` plus the longest line.
 *
 * Throws `InputError` `ERR_INPUT_INVALID_RECORD` naming the file and the line's byte offset for a line longer than
 * `lineBytesMax` bytes (without its terminator), before reading much past that bound.
 *
 * @example
 * for (const batch of readTextBatches({ path: 'a.txt', start: 0, length: 1 << 20 }, () => {})) console.log(batch.rows);
 */
export function* readTextBatches(
  split: TextSplit,
  onBytes: (bytes: number) => void,
  lineBytesMax: number = DEFAULT_LINE_BYTES_MAX,
  batchBytes = TEXT_BATCH_BYTES,
  onFileOffset: (offset: number) => void = () => {},
  reuseBuffer = false,
): Generator<Batch> {
  rejectCompressedInput(split.path);
  const { fd, fileBytes } = openRegularFile(split.path);
  const name = split.sourcePath ?? split.path; // for errors: a decompressed gzip split reads a temporary copy
  try {
    const end = split.start + split.length;
    let buf: Buffer = Buffer.allocUnsafe(Math.min(batchBytes, Math.max(TAIL_READ_BYTES, split.length + 1)));
    // buf[0, hi) holds the bytes at file offset bufOffset …; the next line starts at lo, and no terminator of it
    // lies in buf[lo, scanFrom) (so each byte is searched once, however many reads a long line takes).
    let bufOffset = split.start;
    let hi = 0;
    let lo = 0;
    let scanFrom = 0;
    let eof = false;
    // The line this split starts inside (or exactly at) belongs to the previous split.
    let skipFirst = split.start !== 0;
    let starts: Int32Array = new Int32Array(1024);
    let ends: Int32Array = new Int32Array(1024);
    let rows = 0;
    // Cached positions of the next '\n' / '\r' at or after the scan point (hi: none before hi); -1: unknown.
    let lfAt = -1;
    let crAt = -1;
    // buf[0, hi) as a view, made again only when buf or hi changes (once per read): the search never sees the
    // stale bytes past hi, and costs no view object per line.
    let data: Buffer = buf.subarray(0, 0);
    let dataOf: Buffer = buf;
    const findTerminator = (from: number): number => {
      if (dataOf !== buf || data.length !== hi) {
        data = buf.subarray(0, hi);
        dataOf = buf;
      }
      if (lfAt < from) lfAt = indexOrEnd(data, LF, from);
      if (crAt < from) crAt = indexOrEnd(data, CR, from);
      const t = Math.min(lfAt, crAt);
      return t < hi ? t : -1;
    };
    for (;;) {
      let done = false;
      while (skipFirst || bufOffset + lo <= end) {
        const t = findTerminator(Math.max(lo, scanFrom));
        let lineEnd: number;
        let next: number;
        if (t < 0) {
          scanFrom = hi;
          if (!eof) break;
          if (lo === hi) {
            done = true;
            break;
          }
          lineEnd = hi;
          next = hi;
        } else if (buf[t] === CR && t + 1 === hi && !eof) {
          scanFrom = t;
          break; // a '\r' at the end of the data: read on to see whether '\n' follows
        } else {
          lineEnd = t;
          next = buf[t] === CR && t + 1 < hi && buf[t + 1] === LF ? t + 2 : t + 1;
        }
        if (skipFirst) skipFirst = false;
        else {
          checkLineBytes(name, bufOffset + lo, lineEnd - lo, lineBytesMax);
          let s = lo;
          const bom = buf[s] === 0xef && buf[s + 1] === 0xbb && buf[s + 2] === 0xbf;
          if (bufOffset + s === 0 && lineEnd - s >= 3 && bom) s += 3;
          if (rows === starts.length) {
            starts = grow(starts);
            ends = grow(ends);
          }
          starts[rows] = s;
          ends[rows++] = lineEnd;
        }
        lo = next;
        scanFrom = next;
      }
      if (!skipFirst && bufOffset + lo > end) done = true;
      // The batch's byte 0 is at this file offset (readers that report lines of errors need it).
      onFileOffset(bufOffset);
      if (done) {
        if (rows > 0) yield { rows, names: ['value'], columns: [{ type: 'utf8', bytes: buf, starts, ends }] };
        return;
      }
      // The unfinished line: dropped as scanned when it is the previous split's, else checked against the bound.
      if (skipFirst) lo = scanFrom;
      else checkLineBytes(name, bufOffset + lo, scanFrom - lo, lineBytesMax);
      if (rows > 0 && !reuseBuffer) {
        yield { rows, names: ['value'], columns: [{ type: 'utf8', bytes: buf, starts, ends }] };
        // The batch keeps its buffer (a later operator may hold it): carry the unfinished line into a fresh one.
        const fresh = Buffer.allocUnsafe(Math.max(buf.length, 2 * (hi - lo)));
        buf.copy(fresh, 0, lo, hi);
        buf = fresh;
        starts = new Int32Array(starts.length);
        ends = new Int32Array(ends.length);
        rows = 0;
      } else {
        if (rows > 0) {
          yield { rows, names: ['value'], columns: [{ type: 'utf8', bytes: buf, starts, ends }] };
          rows = 0; // the caller is done with the batch: its buffer and arrays serve the next one
        }
        if (lo > 0) buf.copy(buf, 0, lo, hi);
      }
      bufOffset += lo;
      hi -= lo;
      scanFrom -= lo;
      lo = 0;
      // Cached terminator positions are in the old coordinates (and a read adds bytes they have not seen).
      lfAt = -1;
      crAt = -1;
      const read = readOn(fd, name, buf, hi, bufOffset, fileBytes, end, batchBytes, onBytes);
      buf = read.buf;
      hi = read.hi;
      if (read.eof) eof = true;
    }
  } finally {
    closeSync(fd);
  }
}

/** The read buffer after `readOn`: `buf[0, hi)` holds data; `eof` once the file (as it was opened) is all read. */
export interface ReadOn {
  readonly buf: Buffer;
  readonly hi: number;
  readonly eof: boolean;
}

/**
 * Reads on after `buf[0, hi)` (byte 0 at file offset `bufOffset`) for a reader of the lines of the split ending at
 * `end`: into the same buffer, or a grown one when a line fills it. Shared by the text and the CSV line readers.
 *
 * @example
 * ({ buf, hi, eof } = readOn(fd, path, buf, hi, bufOffset, fileBytes, end, batchBytes, onBytes));
 */
export function readOn(
  fd: number,
  name: string,
  buf: Buffer,
  hi: number,
  bufOffset: number,
  fileBytes: number,
  end: number,
  batchBytes: number,
  onBytes: (bytes: number) => void,
): ReadOn {
  const fileLeftBytes = fileBytes - (bufOffset + hi);
  // The file as it was opened: no read (and no bigger buffer) just to find its end.
  if (fileLeftBytes <= 0) return { buf, hi, eof: true };
  if (hi === buf.length) {
    // One line fills the buffer: grow geometrically, but not past what the rest of the file can add.
    const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, hi + fileLeftBytes));
    buf.copy(grown, 0, 0, hi);
    buf = grown;
  }
  // Past the split's end only the rest of the last line is needed: read little there, but as much again as
  // the line so far, so a long last line takes a logarithmic number of reads.
  const wanted = Math.max(TAIL_READ_BYTES, end + 1 - (bufOffset + hi), Math.min(hi, batchBytes));
  const n = readAt(fd, buf, hi, Math.min(buf.length - hi, wanted), bufOffset + hi, name, onBytes);
  return { buf, hi: hi + n, eof: n === 0 };
}

/**
 * Reads up to `bytes` bytes at file offset `fileOffset` into `buf[at, …)`, reports them to `onBytes` and returns
 * how many were read (0 at the end of the file); a failed read is an `InputError` naming `name` and the offset.
 *
 * @example
 * hi += readAt(fd, buf, hi, buf.length - hi, bufOffset + hi, split.path, onBytes);
 */
export function readAt(
  fd: number,
  buf: Buffer,
  at: number,
  bytes: number,
  fileOffset: number,
  name: string,
  onBytes: (bytes: number) => void,
): number {
  let n: number;
  try {
    n = readSync(fd, buf, at, bytes, fileOffset);
  } catch (error) {
    throw inputErrorFromFs(error, name, `reading at byte offset ${fileOffset}`);
  }
  if (n > 0) onBytes(n);
  return n;
}

/** Index of `byte` in `data` at or after `from`, or `data.length`. */
function indexOrEnd(data: Buffer, byte: number, from: number): number {
  const found = data.indexOf(byte, from);
  return found < 0 ? data.length : found;
}

function grow(array: Int32Array): Int32Array {
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}
