/**
 * `readCsv`'s source: the records of one split of a CSV file as batches of typed columns. Records are the split's
 * lines (the text reader's split alignment; a plain record's line end is found as it is parsed,
 * `csv-line-records.ts`), or with `multiLine` the records of the whole file found outside quotes. Fields are byte
 * ranges (`io/parsing/csv-record.ts`); numbers and dates are parsed from the bytes, strings are copied out of the read
 * buffer as they are parsed, each column's back to back (`kernels/csv-string-bytes.ts`), so a batch does not hold
 * the read buffer and the reader reuses it. When the split's rows go straight into a cached partition
 * (`codingStringsAsRead`), each batch's strings are coded instead, before the read buffer is reused
 * (`caching/read-time-dictionary.ts`): the cache then stores the codes without a second pass over the strings. A record
 * that does not fit the schema is handled by the spec's `mode`.
 */
import { readFileSync } from 'node:fs';

import { findRecordEnd } from '../../../io/parsing/csv-record.js';
import { inputErrorFromFs } from '../../../io/files/input-fs-error.js';
import type { CsvReadSpec, OnMalformedRecord } from '../../../protocol/file-formats.js';
import { DEFAULT_LINE_BYTES_MAX, checkRecordBytes } from '../../../io/text/line-bytes-limit.js';
import type { TextSplit } from '../../../protocol/pipeline.js';
import type { Batch } from '../batches/batch.js';
import { CsvBatchReader } from './csv-batch-reader.js';
import { readLineRecords } from './csv-line-records.js';
import { TEXT_BATCH_BYTES } from './text-source.js';

/** Records per batch of a `multiLine` file. */
const RECORDS_PER_BATCH = 65_536;

/** Whether readers started now code their string columns as they read them (`codingStringsAsRead`). */
let codeStrings = false;

/**
 * Runs `read` (which pulls a stage's batches from CSV splits) with the readers it starts coding their string
 * columns as they read them. For a cache of a CSV scan alone: the cache stores such a column's codes as they are
 * (`caching/dictionary-encode.ts`), where any other consumer would pay for the lookups for nothing. A flag rather than
 * a parameter: the reader is started deep inside the stage's evaluation, and `read` runs it synchronously.
 *
 * @example
 * const batches = codingStringsAsRead(() => [...evaluateColumnar(node.input, context, recordsOf)]);
 */
export function codingStringsAsRead<T>(read: () => T): T {
  const was = codeStrings;
  codeStrings = true;
  try {
    return read();
  } finally {
    codeStrings = was;
  }
}

/**
 * Batches of the split's records, read `batchBytes` bytes at a time. Each batch owns its buffers (a later
 * operator may keep it).
 *
 * @example
 * for (const batch of readCsvBatches(split, spec, (n) => (bytesRead += n))) total += batch.rows;
 */
export function* readCsvBatches(
  split: TextSplit,
  spec: CsvReadSpec,
  onBytes: (n: number) => void,
  batchBytes = TEXT_BATCH_BYTES,
  onMalformed: OnMalformedRecord = () => {},
): Generator<Batch> {
  const reader = new CsvBatchReader(split.path, spec, codeStrings, onMalformed);
  try {
    yield* readerBatches(reader, split, spec, onBytes, batchBytes);
  } finally {
    reader.release();
  }
}

function* readerBatches(
  reader: CsvBatchReader,
  split: TextSplit,
  spec: CsvReadSpec,
  onBytes: (n: number) => void,
  batchBytes: number,
): Generator<Batch> {
  const lineBytesMax = spec.lineBytesMax ?? DEFAULT_LINE_BYTES_MAX;
  if (spec.multiLine) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(split.path);
    } catch (error) {
      throw inputErrorFromFs(error, split.path, 'reading a multiLine CSV file');
    }
    onBytes(bytes.length);
    reader.splitBytes = bytes.length;
    const format = reader.format;
    let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    let first = true;
    while (at < bytes.length) {
      const starts = new Int32Array(RECORDS_PER_BATCH);
      const ends = new Int32Array(RECORDS_PER_BATCH);
      let rows = 0;
      while (rows < RECORDS_PER_BATCH && at < bytes.length) {
        const end = findRecordEnd(bytes, at, bytes.length, format);
        checkRecordBytes(split.path, at, end - at, lineBytesMax);
        starts[rows] = at;
        ends[rows++] = end > at && bytes[end - 1] === 0x0d ? end - 1 : end;
        at = end + 1;
      }
      const batch = reader.parse(bytes, starts, ends, rows, 0, first && spec.header);
      first = false;
      if (batch.rows > 0) yield batch;
    }
    return;
  }
  reader.splitBytes = split.length;
  yield* readLineRecords(split, reader, onBytes, batchBytes, lineBytesMax, spec.header);
}
