/**
 * The records of one split of a CSV file without `multiLine`, found as they are parsed: each record is one line
 * (the text reader's split alignment and terminators, `text-source.ts`), and a plain record's parse finds its
 * line's end as it scans its last field, so most lines are read once, not split by a terminator search first and
 * then scanned again (the search, `Buffer.indexOf` per line, was ~10 % of the load's CPU). A line the plain scan
 * refuses is found by that search and parsed on the general path.
 */
import { rejectCompressedInput } from '../../../io/text/compressed-input.js';
import { checkLineBytes } from '../../../io/text/line-bytes-limit.js';
import { openRegularFile } from '../../../io/files/regular-file.js';
import type { TextSplit } from '../../../protocol/pipeline.js';
import { closeSync } from 'node:fs';
import type { Batch } from '../batches/batch.js';
import { readOn, TAIL_READ_BYTES } from './text-source.js';

/** Fewest bytes per row assumed for the first batch's columns, sized by its first line before any record. */
const FIRST_BYTES_PER_ROW_MIN = 8;

const LF = 0x0a;
const CR = 0x0d;

/** What parses a split's records into batches (`csv-source.ts`'s batch reader). */
export interface LineRecordSink {
  /**
   * Starts a batch of at most `capacity` records taken from at most `recordBytes` bytes of input, all in `bytes`
   * (which is not reused before `finish`).
   */
  begin(capacity: number, recordBytes: number, bytes: Uint8Array): void;
  /** Records stored in the batch so far. */
  readonly rows: number;
  /**
   * Stores the record at `bytes[start, …)` when it is plain and returns where its line ends (its terminator, or
   * `limit`); -1 when it is not plain or its line may go on past `limit` (`atFileEnd` false).
   */
  plain(bytes: Uint8Array, start: number, limit: number, atFileEnd: boolean): number;
  /** Parses the line `bytes[start, end)` (not blank) on the general path; byte 0 is at `fileOffset`. */
  general(bytes: Uint8Array, start: number, end: number, fileOffset: number): void;
  /** The batch of the records stored since `begin`. */
  finish(): Batch;
}

/**
 * Batches of the split's records, `sink` parsing them out of a read buffer of about `batchBytes` that is reused:
 * the sink copies what a batch keeps. With `header`, the file's first line is not a record.
 *
 * @example
 * for (const batch of readLineRecords(split, reader, (n) => (bytesRead += n), TEXT_BATCH_BYTES, lineBytesMax, true)) …
 */
export function* readLineRecords(
  split: TextSplit,
  sink: LineRecordSink,
  onBytes: (bytes: number) => void,
  batchBytes: number,
  lineBytesMax: number,
  header: boolean,
): Generator<Batch> {
  rejectCompressedInput(split.path);
  const { fd, fileBytes } = openRegularFile(split.path);
  const name = split.sourcePath ?? split.path;
  try {
    const end = split.start + split.length;
    let buf: Buffer = Buffer.allocUnsafe(Math.min(batchBytes, Math.max(TAIL_READ_BYTES, split.length + 1)));
    // buf[0, hi) holds the bytes at file offset bufOffset …; the next line starts at lo.
    let bufOffset = split.start;
    let hi = 0;
    // buf[0, hi) as a view, made once per read, which the terminator search runs over: bytes past hi are stale (a
    // grown buffer, a short read), and a search over all of buf read them again at each read of a long line (a
    // 300 MB line took minutes), where a view made per search cost an object per quoted line.
    let data: Buffer = buf.subarray(0, 0);
    let lo = 0;
    let eof = false;
    // No terminator of the line at lo lies in buf[lo, scannedTo): a line longer than a read is searched once, as
    // its bytes arrive, and parsed once it is whole, not parsed again from its start after every read.
    let scannedTo = 0;
    // The line this split starts inside (or exactly at) is the previous split's; the file's first may be a header.
    let skipLine = split.start !== 0 || header;
    let bomChecked = split.start !== 0;
    // Records and their bytes so far, to size the next batch's columns.
    let records = 0;
    let recordBytes = 0;
    for (;;) {
      // Parse the whole lines of buf[lo, hi): a batch per read (its strings are sized by the read's bytes).
      if (!bomChecked && (hi >= 3 || eof)) {
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) lo = 3;
        bomChecked = true;
      }
      if (bomChecked && skipLine) {
        const next = nextLine(data, lo, eof);
        if (next >= 0) {
          skipLine = false;
          lo = next;
        }
      }
      const whole = eof || scannedTo <= lo || terminatorAt(data, scannedTo) >= 0;
      if (bomChecked && !skipLine && whole) {
        const from = lo;
        const perRow = records === 0 ? firstLineBytes(data, lo) : Math.max(1, recordBytes / records);
        while (lo < hi && bufOffset + lo <= end) {
          // A little over the estimate: a batch that fills up ends early, and the next takes the rest.
          const capacity = Math.ceil(((hi - lo) / perRow) * 1.1) + 16;
          sink.begin(capacity, hi - lo, buf);
          lo = parseLines(buf, data, lo, eof, end - bufOffset, capacity, sink, name, bufOffset, lineBytesMax);
          records += sink.rows;
          const full = sink.rows === capacity;
          const batch = sink.finish();
          if (batch.rows > 0) yield batch;
          if (!full) break;
        }
        recordBytes += lo - from;
        if (bufOffset + lo > end) return; // every line of the split is read
      }
      if (eof) return;
      // Read on: keep the unfinished line (dropped as it is scanned when it is the previous split's).
      if (skipLine && bomChecked) lo = buf[hi - 1] === CR ? hi - 1 : hi;
      else checkLineBytes(name, bufOffset + lo, hi - lo, lineBytesMax);
      // What is left from lo is one unfinished line (a '\r' at its end may still be followed by '\n').
      scannedTo = bomChecked && !skipLine ? Math.max(lo, buf[hi - 1] === CR ? hi - 1 : hi) : lo;
      if (lo > 0) buf.copy(buf, 0, lo, hi);
      bufOffset += lo;
      hi -= lo;
      scannedTo -= lo;
      lo = 0;
      const read = readOn(fd, name, buf, hi, bufOffset, fileBytes, end, batchBytes, onBytes);
      buf = read.buf;
      hi = read.hi;
      data = buf.subarray(0, hi);
      if (read.eof) eof = true;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Parses the lines of `buf[lo, hi)` (`data` is `buf[0, hi)`) that start at or before `lastStart` into `sink`, up to
 * `capacity` records; returns where it stopped: past the last such line, at a line that may go on past `hi` (not
 * `eof`), or at the next line when the batch is full. A plain function, not part of the generator: its loop is the
 * hot one.
 */
function parseLines(
  buf: Buffer,
  data: Buffer,
  lo: number,
  eof: boolean,
  lastStart: number,
  capacity: number,
  sink: LineRecordSink,
  name: string,
  bufOffset: number,
  lineBytesMax: number,
): number {
  const hi = data.length;
  while (lo <= lastStart && lo < hi && sink.rows < capacity) {
    const lineEnd = sink.plain(buf, lo, hi, eof);
    if (lineEnd >= 0) {
      if (lineEnd - lo > lineBytesMax) checkLineBytes(name, bufOffset + lo, lineEnd - lo, lineBytesMax);
      lo = lineEnd === hi ? hi : lineEnd + (data[lineEnd] === CR && data[lineEnd + 1] === LF ? 2 : 1);
      continue;
    }
    const t = terminatorAt(data, lo);
    if ((t < 0 || (data[t] === CR && t + 1 === hi)) && !eof) break; // the line goes on past what is read
    const e = t < 0 ? hi : t;
    checkLineBytes(name, bufOffset + lo, e - lo, lineBytesMax);
    if (e > lo) sink.general(buf, lo, e, bufOffset); // a blank line holds no record
    lo = t < 0 ? hi : t + (data[t] === CR && data[t + 1] === LF ? 2 : 1);
  }
  return lo;
}

/** Index of the first `\n` or `\r` in `data[from, …)`, or -1. */
function terminatorAt(data: Buffer, from: number): number {
  const lf = data.indexOf(LF, from);
  // A '\r' is searched only before the '\n' (or before the end): files with '\n' lines pay one short search.
  const crTo = lf < 0 ? data.length : lf;
  for (let i = from; i < crTo; i++) if (data[i] === CR) return i;
  return lf;
}

/** Bytes of the line at `from` with its terminator (at least `FIRST_BYTES_PER_ROW_MIN`): the first batch's guess. */
function firstLineBytes(data: Buffer, from: number): number {
  const t = terminatorAt(data, from);
  return Math.max(FIRST_BYTES_PER_ROW_MIN, (t < 0 ? data.length : t + 1) - from);
}

/** Where the line at `from` is followed by the next one, or -1 when that is not known before more is read. */
function nextLine(data: Buffer, from: number, eof: boolean): number {
  const hi = data.length;
  const t = terminatorAt(data, from);
  if (t < 0) return eof ? hi : -1;
  if (data[t] === CR) {
    if (t + 1 === hi) return eof ? hi : -1;
    return data[t + 1] === LF ? t + 2 : t + 1;
  }
  return t + 1;
}
