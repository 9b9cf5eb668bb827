/**
 * The sample a CSV or JSON-lines read infers its columns from, on the driver: the first 4 MiB of the first non-empty
 * file, its records split as the readers split them, and the narrowest type of each column over them. A later value
 * that the inferred type cannot hold fails the read (executor/columnar/sources/inferred-type-miss.ts).
 */
import { closeSync, readSync, statSync } from 'node:fs';

import { InputError } from '../../common/errors.js';
import { findRecordEnd, splitCsvRecord, type CsvFields, type CsvFormat } from '../../io/parsing/csv-record.js';
import { inputErrorFromFs, openInput } from '../../io/files/input-fs-error.js';
import { exactJsonNumberType } from '../../io/parsing/json-number-text.js';
import { sniffType, widerType, type FieldType } from '../../io/parsing/parse-field.js';
import type { DataTypeName } from '../../protocol/columnar.js';
import type { FileColumn } from '../../protocol/file-formats.js';

/** Bytes of the first file read on the driver to find the header and infer a schema. */
const SAMPLE_BYTES = 4 * 1024 * 1024;

/** The size of an input file in bytes. */
export function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    throw inputErrorFromFs(error, path, 'reading its size');
  }
}

/** The first bytes of the first non-empty file (a partial last line dropped unless the file ended). */
function sample(files: readonly string[]): { bytes: Buffer; path: string | null } {
  for (const path of files) {
    if (fileSize(path) === 0) continue;
    const fd = openInput(path);
    try {
      const buf = Buffer.allocUnsafe(SAMPLE_BYTES);
      const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0);
      const whole = n < SAMPLE_BYTES;
      const end = whole ? n : buf.lastIndexOf(0x0a, n - 1) + 1;
      const start = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
      return { bytes: buf.subarray(start, Math.max(start, end)), path };
    } finally {
      closeSync(fd);
    }
  }
  return { bytes: Buffer.alloc(0), path: null };
}

/** A field of a sampled record: its text, whether it was quoted, and its bytes. */
export interface SampleField {
  readonly text: string;
  readonly quoted: boolean;
  readonly bytes: Buffer;
}

/** The records of the sample, each as its fields' texts, and the file they come from (null: every file is empty). */
export function sampleRecords(
  files: readonly string[],
  format: CsvFormat,
  multiLine: boolean,
): { records: SampleField[][]; path: string | null } {
  const { bytes, path } = sample(files);
  const records: SampleField[][] = [];
  const fields: CsvFields = { starts: new Int32Array(4096), ends: new Int32Array(4096), quoted: new Uint8Array(4096) };
  for (let at = 0; at < bytes.length;) {
    let end = multiLine ? findRecordEnd(bytes, at, bytes.length, format) : bytes.indexOf(0x0a, at);
    if (end < 0) end = bytes.length;
    const next = end + 1;
    if (end > at && bytes[end - 1] === 0x0d) end--;
    if (end > at) {
      const n = splitCsvRecord(bytes, at, end, format, fields);
      if (n < 0 && records.length === 0) {
        throw new InputError(
          'ERR_INPUT_INVALID_RECORD',
          `${path}:1: the first record has an unclosed quote or text after a closing quote`,
        );
      }
      if (n > 0) {
        records.push(
          Array.from({ length: Math.min(n, 4096) }, (_, c) => {
            const field = bytes.subarray(fields.starts[c]!, fields.ends[c]!);
            return { text: field.toString('utf8'), quoted: fields.quoted[c] === 1, bytes: field };
          }),
        );
      }
    }
    at = next;
  }
  return { records, path };
}

/** The type of column `c` over the sampled records: the narrowest that holds every value (utf8 when none). */
export function inferColumn(records: readonly SampleField[][], c: number): DataTypeName {
  let type: FieldType | null = null;
  for (const record of records) {
    const field = record[c];
    if (field === undefined || (!field.quoted && field.bytes.length === 0)) continue;
    type = widerType(type, field.quoted ? 'utf8' : sniffType(field.bytes, 0, field.bytes.length));
    if (type === 'utf8') break;
  }
  return type ?? 'utf8';
}

/** The columns of the objects in the sample, and the file it comes from (null: every file is empty). */
export function inferJson(files: readonly string[]): { columns: FileColumn[]; path: string | null } {
  const { bytes, path } = sample(files);
  const types = new Map<string, FieldType | null>();
  let line = 0;
  for (const text of bytes.toString('utf8').split('\n')) {
    line++;
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      continue; // the reader's mode decides what a malformed line means
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) continue;
    for (const [name, value] of Object.entries(record)) {
      const seen = types.get(name) ?? null;
      if (value === null) {
        types.set(name, seen);
        continue;
      }
      types.set(name, widerType(seen, jsonType(value, name, text, `${path}:${line}`)));
    }
  }
  return { columns: [...types].map(([name, type]) => ({ name, type: type ?? 'utf8' })), path };
}

/** The type of `value`, member `name` of the object on `text` (whose digits an integer past ±2^53 is typed by). */
function jsonType(value: unknown, name: string, text: string, where: string): FieldType {
  switch (typeof value) {
    case 'number':
      return exactJsonNumberType(value, text, name);
    case 'boolean':
      return 'bool';
    case 'string':
      return 'utf8';
    default:
      throw new InputError(
        'ERR_INPUT_INVALID_RECORD',
        `${where}: field '${name}' holds ${Array.isArray(value) ? 'an array' : 'an object'}; columnar datasets ` +
          'take numbers, strings and booleans (pass a schema without it, or read with textFile and JSON.parse)',
      );
  }
}
