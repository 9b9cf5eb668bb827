/**
 * The parser behind `readCsv`'s source (`csv-source.ts`): records of one buffer into a batch of the spec's typed
 * columns. A plain record goes through `scanPlainRecord` (`kernels/csv-plain-record.ts`) as compiled for the
 * schema's column layout (`kernels/csv-plain-record-scanner.ts`), any other through the general path
 * (`io/parsing/csv-record.ts`); fields are byte ranges, numbers and dates are parsed from the bytes, strings are copied out
 * of the read buffer as they are parsed, or coded as they are read (`caching/read-time-dictionary.ts`). A record that
 * does not fit the schema is handled by the spec's `mode`, except a value that does not fit an inferred type, which
 * fails the read (`inferred-type-miss.ts`).
 */
import { InputError } from '../../../common/errors.js';
import { splitCsvRecord, UNTERMINATED_QUOTE, type CsvFields, type CsvFormat } from '../../../io/parsing/csv-record.js';
import { lineNumberAt } from '../../../io/text/line-number.js';
import { sniffType, widerType, type FieldType } from '../../../io/parsing/parse-field.js';
import type { CsvReadSpec, OnMalformedRecord } from '../../../protocol/file-formats.js';
import type { Batch, Column } from '../batches/batch.js';
import { codingPaysSoFar } from '../caching/dictionary-encode.js';
import { copiedStrings, storeField } from './csv-field-store.js';
import { fieldColumns, finishColumns, setNull, setPresent, type FieldColumn } from './field-columns.js';
import type { LineRecordSink } from './csv-line-records.js';
import {
  FILE_END,
  keepStringsInPlace,
  plainRecordFormat,
  READ_END,
  RECORD_END,
  scanPlainRecord,
  type PlainRecordFormat,
} from '../kernels/csv-plain-record.js';
import {
  appendString,
  finishStrings,
  startStrings,
  stringBytesFor,
  type StringBytes,
} from '../kernels/csv-string-bytes.js';
import { plainRecordScan, type PlainRecordScan } from '../kernels/csv-plain-record-scanner.js';
import { inferredTypeMiss } from './inferred-type-miss.js';
import { malformedHint, type MalformedCause } from './malformed-hint.js';
import { ReadDictionary } from '../caching/read-time-dictionary.js';

/** The bytes `finishColumns` gives string columns before their packed bytes replace them. */
const EMPTY_BYTES = new Uint8Array(0);

/** Parses records of one buffer into a batch of the spec's columns. */
export class CsvBatchReader implements LineRecordSink {
  readonly format: CsvFormat;
  private readonly path: string;
  private readonly spec: CsvReadSpec;
  /** Told of each record kept with nulls or dropped by the spec's `mode`. */
  private readonly onMalformed: OnMalformedRecord;
  private readonly names: readonly string[];
  private readonly nullBytes: Buffer;
  private readonly fields: CsvFields;
  /** The fast path for plain records, or null when the format rules it out. */
  private readonly plainFormat: PlainRecordFormat | null;
  /** `scanPlainRecord` compiled for the fast path's present kinds (asked again whenever they change). */
  private scan: PlainRecordScan = scanPlainRecord;
  /** Per column, its strings in the batch being parsed (null for other types, and for coded strings). */
  private readonly strings: (StringBytes | null)[];
  /**
   * Per column, its dictionary while its strings are coded as they are read (null for any other column), and the
   * starts and ends of its strings in the read buffer (reused from batch to batch: only the codes are kept).
   */
  private readonly coders: (ReadDictionary | null)[];
  private readonly inPlace: { starts: Int32Array; ends: Int32Array }[];
  /** The bytes the batch's records are in. */
  private bytes: Uint8Array = new Uint8Array(0);
  /** Bytes of the split's records (with `recordBytesSeen` and `rowsSeen`, an estimate of its rows). */
  splitBytes = 0;
  private recordBytesSeen = 0;
  private rowsSeen = 0;
  /** Per column, its string bytes before the record being parsed (to take back a dropped record's strings). */
  private readonly stringMarks: Int32Array;
  /** The batch being parsed: its columns, their rows, and the records stored so far. */
  private columns: FieldColumn[] = [];
  private capacity = 0;
  rows = 0;

  constructor(path: string, spec: CsvReadSpec, codeStrings: boolean, onMalformed: OnMalformedRecord) {
    this.path = path;
    this.onMalformed = onMalformed;
    this.spec = spec;
    this.format = { delimiter: spec.delimiter, quote: spec.quote, escape: spec.escape };
    this.names = spec.columns.map((c) => c.name);
    this.nullBytes = Buffer.from(spec.nullValue, 'utf8');
    const n = spec.columns.length + 1;
    this.fields = { starts: new Int32Array(n), ends: new Int32Array(n), quoted: new Uint8Array(n) };
    this.plainFormat = plainRecordFormat(spec.columns, this.format, this.nullBytes, storeField);
    this.strings = stringBytesFor(spec.columns.map((c) => c.type));
    this.stringMarks = new Int32Array(spec.columns.length);
    this.coders = spec.columns.map((column, c) => {
      if (!codeStrings || column.type !== 'utf8') return null;
      this.strings[c] = null;
      if (this.plainFormat !== null) keepStringsInPlace(this.plainFormat, c, true);
      return new ReadDictionary(c);
    });
    this.inPlace = spec.columns.map(() => ({ starts: new Int32Array(0), ends: new Int32Array(0) }));
    if (this.plainFormat !== null) this.scan = plainRecordScan(this.plainFormat);
  }

  /** Hands the dictionaries' tables on to the thread's next reader. */
  release(): void {
    for (const coder of this.coders) coder?.release();
  }

  /** Records `[starts[r], ends[r])` of `bytes` (byte 0 at `fileOffset`); the first is skipped when `skipFirst`. */
  parse(
    bytes: Uint8Array,
    starts: Int32Array,
    ends: Int32Array,
    count: number,
    fileOffset: number,
    skipFirst: boolean,
  ): Batch {
    this.begin(count, count > 0 ? ends[count - 1]! - starts[0]! : 0, bytes);
    for (let r = skipFirst ? 1 : 0; r < count; r++) {
      const s = starts[r]!;
      const e = ends[r]!;
      if (e === s) continue; // blank lines hold no record
      if (this.plainFormat === null || this.storePlain(bytes, s, e, RECORD_END) !== e) {
        this.general(bytes, s, e, fileOffset);
      }
    }
    return this.finish();
  }

  /** Starts a batch of at most `capacity` records from `recordBytes` bytes of input. */
  begin(capacity: number, recordBytes: number, bytes: Uint8Array): void {
    this.capacity = capacity;
    this.rows = 0;
    this.bytes = bytes;
    const rowsExpected = (this.splitBytes * this.rowsSeen) / Math.max(1, this.recordBytesSeen);
    this.columns = this.spec.columns.map((column, c) => {
      const coder = this.coders[c];
      if (coder == null) return fieldColumns([column], capacity)[0]!;
      if (this.rowsSeen > 0 && !codingPaysSoFar(coder.size, coder.rows, rowsExpected)) {
        this.stopCoding(c);
        return fieldColumns([column], capacity)[0]!;
      }
      const range = this.inPlace[c]!;
      if (range.starts.length < capacity) range.starts = new Int32Array(capacity);
      if (range.ends.length < capacity) range.ends = new Int32Array(capacity);
      return { type: 'utf8', values: null, starts: range.starts, ends: range.ends, valid: null };
    });
    startStrings(this.strings, recordBytes);
  }

  /** Reads string column `c` plain from the next batch on (its strings copied, not coded). */
  private stopCoding(c: number): void {
    this.coders[c]!.release();
    this.coders[c] = null;
    if (this.plainFormat !== null) {
      keepStringsInPlace(this.plainFormat, c, false);
      this.scan = plainRecordScan(this.plainFormat);
    }
    this.strings[c] = { bytes: new Uint8Array(0), length: 0 };
  }

  /** `scanPlainRecord` into the batch's next row (see `LineRecordSink.plain`). */
  plain(bytes: Uint8Array, start: number, limit: number, atFileEnd: boolean): number {
    if (this.plainFormat === null) return -1;
    return this.storePlain(bytes, start, limit, atFileEnd ? FILE_END : READ_END);
  }

  private storePlain(
    bytes: Uint8Array,
    start: number,
    limit: number,
    limitIs: typeof RECORD_END | typeof FILE_END | typeof READ_END,
  ): number {
    const end = this.scan(bytes, start, limit, limitIs, this.plainFormat!, this.columns, this.strings, this.rows);
    if (end >= 0) {
      this.rows++;
      this.recordBytesSeen += end - start + 1;
    }
    return end;
  }

  /** Parses the record `bytes[s, e)` (byte 0 at `fileOffset`) on the general path into the batch's next row. */
  general(bytes: Uint8Array, s: number, e: number, fileOffset: number): void {
    const { spec, fields, format, strings, stringMarks, columns } = this;
    const n = spec.columns.length;
    const out = this.rows;
    const count = this.capacity;
    const found = splitCsvRecord(bytes, s, e, format, fields);
    const where = () => ({ offset: fileOffset + s, bytes, s, e });
    if (found < 0) {
      if (spec.mode !== 'PERMISSIVE') {
        if (spec.mode === 'DROPMALFORMED') return this.onMalformed('dropped');
        const problem =
          found === UNTERMINATED_QUOTE
            ? spec.multiLine
              ? 'a quoted field is not closed before the end of the file'
              : 'a quoted field is not closed on its line (a quoted newline needs the option multiLine: true)'
            : 'a closing quote is followed by text before the delimiter';
        throw this.error(where(), problem, { kind: 'shape' });
      }
      for (let c = 0; c < n; c++) setNull(columns[c]!, out, count);
      this.rows++;
      this.onMalformed('nulled');
      return;
    }
    if (found !== n && spec.mode !== 'PERMISSIVE') {
      if (spec.mode === 'DROPMALFORMED') return this.onMalformed('dropped');
      throw this.error(where(), `expected ${n} fields, found ${found}`, { kind: 'shape' });
    }
    // PERMISSIVE: a short record is padded with nulls, a long one cut; a value that does not fit is made null.
    let nulled = found !== n;
    for (let c = 0; c < n; c++) stringMarks[c] = strings[c]?.length ?? 0;
    for (let c = 0; c < n; c++) {
      const column = columns[c]!;
      if (c >= found) {
        setNull(column, out, count);
        continue;
      }
      const fs = fields.starts[c]!;
      const fe = fields.ends[c]!;
      if (fields.quoted[c] === 0 && (fe === fs || this.isNullText(bytes, fs, fe))) {
        setNull(column, out, count);
        continue;
      }
      const target = strings[c];
      if (this.coders[c] != null) {
        // Coded when the batch is finished, from the read buffer (its quotes undone in place).
        column.starts![out] = fs;
        column.ends![out] = fe;
        setPresent(column, out);
      } else if (target != null) {
        column.starts![out] = appendString(target, bytes, fs, fe);
        column.ends![out] = target.length;
        setPresent(column, out);
      } else if (!storeField(column, out, bytes, fs, fe)) {
        if (spec.inferredFrom !== undefined) throw this.inferredMiss(where(), c, fs, fe, spec.inferredFrom);
        if (spec.mode === 'DROPMALFORMED') {
          for (let k = 0; k < n; k++) if (strings[k] != null) strings[k]!.length = stringMarks[k]!;
          return this.onMalformed('dropped');
        }
        if (spec.mode === 'FAILFAST') {
          const text = Buffer.from(bytes.buffer, bytes.byteOffset + fs, fe - fs).toString('utf8');
          throw this.error(
            where(),
            `column '${this.names[c]}': expected ${column.type}, found ${JSON.stringify(text)}`,
            { kind: 'type', column: this.names[c]! },
          );
        }
        setNull(column, out, count);
        nulled = true;
      }
    }
    this.rows++;
    this.recordBytesSeen += e - s + 1;
    if (nulled) this.onMalformed('nulled');
  }

  /** The batch of the records stored since `begin`; its strings are copied out of the scratch. */
  finish(): Batch {
    const out = this.rows;
    this.rows = 0;
    this.rowsSeen += out;
    const packed = finishStrings(this.strings);
    const finished = finishColumns(this.columns, out, EMPTY_BYTES).map((column, c): Column => {
      if (column.type !== 'utf8') return column;
      if (this.coders[c] == null) return { ...column, bytes: packed[c]! };
      const { starts, ends, valid } = column;
      const coded = this.coders[c]!.codeBatch(this.bytes, starts, ends, valid, out);
      if (coded !== null) return coded;
      // A string too long to code: this batch's strings are copied out of the read buffer, and the next ones read so.
      this.stopCoding(c);
      return copiedStrings(this.bytes, starts, ends, valid);
    });
    return { rows: out, names: this.names, columns: finished };
  }

  private isNullText(bytes: Uint8Array, start: number, end: number): boolean {
    const nulls = this.nullBytes;
    if (nulls.length === 0 || end - start !== nulls.length) return false;
    for (let k = 0; k < nulls.length; k++) if (bytes[start + k] !== nulls[k]) return false;
    return true;
  }

  /** The error for field `[fs, fe)` of the record `at`, which column `c`'s inferred type cannot hold. */
  private inferredMiss(
    at: { offset: number; bytes: Uint8Array },
    c: number,
    fs: number,
    fe: number,
    inferredFrom: string,
  ): InputError {
    const line = lineNumberAt(this.path, at.offset);
    const text = Buffer.from(at.bytes.buffer, at.bytes.byteOffset + fs, fe - fs).toString('utf8');
    const type = this.columns[c]!.type as FieldType;
    return inferredTypeMiss(
      `${this.path}:${line ?? `byte ${at.offset}`}`,
      this.names[c]!,
      type,
      JSON.stringify(text.slice(0, 200)),
      widerType(type, sniffType(at.bytes, fs, fe)),
      inferredFrom,
    );
  }

  private error(
    at: { offset: number; bytes: Uint8Array; s: number; e: number },
    problem: string,
    cause: MalformedCause,
  ): InputError {
    const line = lineNumberAt(this.path, at.offset);
    const record = Buffer.from(at.bytes.buffer, at.bytes.byteOffset + at.s, Math.min(at.e - at.s, 200));
    return new InputError(
      'ERR_INPUT_INVALID_RECORD',
      `${this.path}:${line ?? `byte ${at.offset}`}: ${problem} (mode ${this.spec.mode}; the record starts ` +
        `${JSON.stringify(record.toString('utf8'))}). ${malformedHint(cause)}`,
    );
  }
}
