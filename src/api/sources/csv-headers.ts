/**
 * The check that every file of a CSV read with `header: true` names the same columns as the first. Without a schema
 * the columns' names come from the first file's header, and every file is read by position: a second file whose
 * header says `v,k` where the first says `k,v` swapped the two columns' values without a word, and one with an extra
 * column was cut to the first's. Spark reads by position too but warns ("CSV header does not conform to the
 * schema"), and fails with `enforceSchema: false`; DuckDB fails on files whose columns differ. So the read fails when
 * it is defined, naming the file, both headers and what to do. With a schema the names are the user's (a schema may
 * rename the columns), and headers are skipped unread, as Spark's default.
 */
import { closeSync, readSync } from 'node:fs';

import { InputError } from '../../common/errors.js';
import { findRecordEnd, splitCsvRecord, type CsvFields, type CsvFormat } from '../../io/parsing/csv-record.js';
import { inputErrorFromFs, openInput } from '../../io/files/input-fs-error.js';

/** The longest header read: a line over this is no header a person wrote, and the record reader refuses it too. */
const HEADER_BYTES_MAX = 4 * 1024 * 1024;
/** The first read of a file's header; most headers are far shorter. */
const HEADER_FIRST_READ_BYTES = 64 * 1024;
/** Fields of a header compared, as many as the schema sampler keeps of the first file's (dataset-readers.ts). */
const HEADER_FIELDS_MAX = 4096;

/**
 * Throws `ERR_INPUT_SCHEMA_MISMATCH` for the first file of `files` (other than `sampled`, where `names` come from)
 * whose header names other columns than `names`, in another order or number.
 *
 * @example
 * checkCsvHeaders(['a.csv', 'b.csv'], 'a.csv', ['k', 'v'], format, false); // throws if b.csv starts "v,k"
 */
export function checkCsvHeaders(
  files: readonly string[],
  sampled: string,
  names: readonly string[],
  format: CsvFormat,
  multiLine: boolean,
): void {
  // One read buffer and one set of field arrays for all the files: thousands of small files are common.
  const scratch: HeaderScratch = {
    buf: Buffer.allocUnsafe(HEADER_FIRST_READ_BYTES),
    fields: {
      starts: new Int32Array(HEADER_FIELDS_MAX),
      ends: new Int32Array(HEADER_FIELDS_MAX),
      quoted: new Uint8Array(HEADER_FIELDS_MAX),
    },
  };
  for (const path of files) {
    if (path === sampled) continue;
    const header = readHeader(path, format, multiLine, scratch);
    if (header === null || sameNames(header, names)) continue;
    throw new InputError(
      'ERR_INPUT_SCHEMA_MISMATCH',
      `${path}:1: the header names the columns ${describe(header)}; expected ${describe(names)}, as the header of ` +
        `${sampled}, which names the columns of every file read together (they are read by position). Read files ` +
        `with other headers separately and join them with unionByName (or pass a schema: every file is then read by ` +
        `position, its header skipped unread)${looksLikeData(names) ? NO_HEADER_HINT : ''}`,
    );
  }
}

const NO_HEADER_HINT =
  '. The first header holds numbers, as data does: if the files have no header line, read them with header: false ' +
  "(ds.write.csv writes one only with option('header', true))";

/** True when a column name is a number, as in the first line of a file without a header. */
function looksLikeData(names: readonly string[]): boolean {
  return names.some((name) => name.trim() !== '' && Number.isFinite(Number(name)));
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

function describe(names: readonly string[]): string {
  const shown = names.slice(0, 20).map((name) => JSON.stringify(name));
  return `${shown.join(', ')}${names.length > 20 ? ` … (${names.length} in all)` : ''}`;
}

/** Reused between files: the first read's buffer, and the fields of a header. */
interface HeaderScratch {
  readonly buf: Buffer;
  readonly fields: CsvFields;
}

/** The fields of the file's first record, or null for a file with none (empty, or only a byte order mark). */
function readHeader(path: string, format: CsvFormat, multiLine: boolean, scratch: HeaderScratch): string[] | null {
  const fd = openInput(path);
  try {
    let buf = scratch.buf;
    let filled = 0;
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, filled, buf.length - filled, filled);
      } catch (error) {
        throw inputErrorFromFs(error, path, 'reading its header');
      }
      filled += n;
      const eof = n === 0 || filled < buf.length;
      const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      let end = multiLine ? findRecordEnd(buf, start, filled, format) : buf.indexOf(0x0a, start);
      if (end < 0 || end > filled) end = filled;
      if (end < filled || eof) {
        if (end > start && buf[end - 1] === 0x0d) end--;
        if (end <= start) return null;
        return fieldsOf(buf, start, end, format, path, scratch.fields);
      }
      if (buf.length >= HEADER_BYTES_MAX) {
        throw new InputError(
          'ERR_INPUT_INVALID_RECORD',
          `${path}:1: the header is longer than ${HEADER_BYTES_MAX} bytes: expected a line of column names`,
        );
      }
      const grown = Buffer.allocUnsafe(Math.min(buf.length * 4, HEADER_BYTES_MAX));
      buf.copy(grown, 0, 0, filled);
      buf = grown;
    }
  } finally {
    closeSync(fd);
  }
}

function fieldsOf(
  buf: Buffer,
  start: number,
  end: number,
  format: CsvFormat,
  path: string,
  fields: CsvFields,
): string[] {
  const n = splitCsvRecord(buf, start, end, format, fields);
  if (n < 0) {
    throw new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `${path}:1: the header has an unclosed quote or text after a closing quote`,
    );
  }
  return Array.from({ length: Math.min(n, HEADER_FIELDS_MAX) }, (_, c) =>
    buf.toString('utf8', fields.starts[c]!, fields.ends[c]!),
  );
}
