/**
 * `readJson`'s source: the objects of one split of a JSON-lines file (one object per line, the text reader's split
 * alignment) as batches of typed columns, fields picked by the spec's column names. Each line goes through
 * `JSON.parse` (there is no faster correct JSON parser in JS); values are then stored column by column. A line that
 * is not an object, or a value that does not fit its column's given type, is handled by the spec's `mode`; a value
 * that does not fit an inferred type fails the read (inferred-type-miss.ts). An integer past ±2^53, which the parse
 * may have rounded, is read again from the line's text (io/parsing/json-number-text.ts): exactly into an int64 column
 * or a string column, and named by its text in an error.
 */
import { InputError } from '../../../common/errors.js';
import { lineNumberAt } from '../../../io/text/line-number.js';
import {
  exactJsonNumberType,
  int64OfJsonNumber,
  isUnsafeInteger,
  memberNumberText,
} from '../../../io/parsing/json-number-text.js';
import { widerType, type FieldType } from '../../../io/parsing/parse-field.js';
import { parseDate, parseTimestampMs } from '../../../io/parsing/temporal-text.js';
import type { JsonReadSpec, OnMalformedRecord } from '../../../protocol/file-formats.js';
import { DEFAULT_LINE_BYTES_MAX } from '../../../io/text/line-bytes-limit.js';
import type { TextSplit } from '../../../protocol/pipeline.js';
import type { Batch, Column, Utf8Column } from '../batches/batch.js';
import { fieldColumns, finishColumns, setNull, setPresent, type FieldColumn } from './field-columns.js';
import { decodeUtf8, utf8FromStrings } from '../kernels/utf8-strings.js';
import { inferredTypeMiss } from './inferred-type-miss.js';
import { malformedHint, type MalformedCause } from './malformed-hint.js';
import { readTextBatches, TEXT_BATCH_BYTES } from './text-source.js';

/**
 * Batches of the split's objects.
 *
 * @example
 * for (const batch of readJsonBatches(split, spec, (n) => (bytesRead += n))) total += batch.rows;
 */
export function* readJsonBatches(
  split: TextSplit,
  spec: JsonReadSpec,
  onBytes: (n: number) => void,
  onMalformed: OnMalformedRecord = () => {},
): Generator<Batch> {
  let fileOffset = 0;
  const names = spec.columns.map((c) => c.name);
  const batches = readTextBatches(
    split,
    onBytes,
    spec.lineBytesMax ?? DEFAULT_LINE_BYTES_MAX,
    TEXT_BATCH_BYTES,
    (offset) => {
      fileOffset = offset;
    },
  );
  for (const lines of batches) {
    const { bytes, starts, ends } = lines.columns[0] as Utf8Column;
    const count = lines.rows;
    const columns = fieldColumns(spec.columns, count);
    const strings = spec.columns.map((c) => (c.type === 'utf8' ? new Array<string | null>(count) : null));
    let out = 0;
    const fail = (r: number, problem: string, cause: MalformedCause) => {
      const line = lineNumberAt(split.path, fileOffset + starts[r]!);
      return new InputError(
        'ERR_INPUT_INVALID_RECORD',
        `${split.path}:${line ?? `byte ${fileOffset + starts[r]!}`}: ${problem} (mode ${spec.mode}). ` +
          malformedHint(cause),
      );
    };
    records: for (let r = 0; r < count; r++) {
      const text = decodeUtf8(bytes, starts[r]!, ends[r]!);
      if (text.trim() === '') continue;
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        record = error;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record) || record instanceof Error) {
        if (spec.mode === 'FAILFAST')
          throw fail(r, `expected a JSON object, found ${JSON.stringify(text.slice(0, 200))}`, { kind: 'shape' });
        if (spec.mode === 'DROPMALFORMED') {
          onMalformed('dropped');
          continue;
        }
        for (let c = 0; c < columns.length; c++) nullAt(columns[c]!, strings[c]!, out, count);
        out++;
        onMalformed('nulled');
        continue;
      }
      let nulled = false;
      for (let c = 0; c < columns.length; c++) {
        const value = (record as Record<string, unknown>)[names[c]!];
        if (value === null || value === undefined) {
          nullAt(columns[c]!, strings[c]!, out, count);
        } else if (!store(columns[c]!, strings[c]!, out, value, text, names[c]!)) {
          if (spec.inferredFrom !== undefined) {
            const type = columns[c]!.type as FieldType;
            const line = lineNumberAt(split.path, fileOffset + starts[r]!);
            throw inferredTypeMiss(
              `${split.path}:${line ?? `byte ${fileOffset + starts[r]!}`}`,
              names[c]!,
              type,
              shownValue(value, text, names[c]!),
              widerType(type, jsonValueType(value, text, names[c]!)),
              spec.inferredFrom,
            );
          }
          if (spec.mode === 'DROPMALFORMED') {
            onMalformed('dropped');
            continue records;
          }
          if (spec.mode === 'FAILFAST') {
            const cause = { kind: 'type', column: names[c]! } as const;
            const found = shownValue(value, text, names[c]!);
            throw fail(r, `column '${names[c]}': expected ${columns[c]!.type}, found ${found}`, cause);
          }
          nullAt(columns[c]!, strings[c]!, out, count);
          nulled = true;
        }
      }
      out++;
      if (nulled) onMalformed('nulled');
    }
    if (out === 0) continue;
    const built = finishColumns(columns, out, bytes).map((column, c): Column => {
      const texts = strings[c];
      if (texts === null || texts === undefined) return column;
      texts.length = out;
      return utf8FromStrings(texts);
    });
    yield { rows: out, names, columns: built };
  }
}

function nullAt(column: FieldColumn, strings: (string | null)[] | null, row: number, capacity: number): void {
  if (strings !== null) strings[row] = null;
  else setNull(column, row, capacity);
}

/**
 * The narrowest column type of the value of member `key` of the object on `line`, parsed as `value` (numbers as the
 * inference types them; anything else a string).
 */
function jsonValueType(value: unknown, line: string, key: string): FieldType {
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'number' ? exactJsonNumberType(value, line, key) : 'utf8';
}

/** A JSON value as an error shows it: its JSON, but a number the parse may have rounded as the line's text. */
function shownValue(value: unknown, line: string, key: string): string {
  return exactText(value, line, key) ?? JSON.stringify(value)?.slice(0, 200) ?? String(value);
}

/** The line's text of member `key`'s number, when `value` (its parse) is an integer the parse may have rounded. */
function exactText(value: unknown, line: string, key: string): string | null {
  return typeof value === 'number' && isUnsafeInteger(value) ? memberNumberText(line, key) : null;
}

/**
 * Stores `value` in row `row`; false when it does not fit the column's type. A string column takes any value, as
 * Spark's JSON reader does: a number or boolean as its JSON text (a column inferred string from `1` and `"x2"` keeps
 * both), an object or array as its JSON. `value` is member `key` of the object on `line`, where a number the parse
 * may have rounded is read again.
 */
function store(
  column: FieldColumn,
  strings: (string | null)[] | null,
  row: number,
  value: unknown,
  line: string,
  key: string,
): boolean {
  switch (column.type) {
    case 'utf8':
      strings![row] = typeof value === 'string' ? value : (exactText(value, line, key) ?? JSON.stringify(value));
      return true;
    case 'int32':
      if (typeof value !== 'number' || (value | 0) !== value) return false;
      (column.values as Int32Array)[row] = value;
      break;
    case 'float64':
      if (typeof value !== 'number') return false;
      (column.values as Float64Array)[row] = value;
      break;
    case 'int64':
      if (typeof value === 'number' && Number.isSafeInteger(value))
        (column.values as BigInt64Array)[row] = BigInt(value);
      else if (typeof value === 'number') {
        const text = exactText(value, line, key);
        const exact = text === null ? null : int64OfJsonNumber(text);
        if (exact === null) return false;
        (column.values as BigInt64Array)[row] = exact;
      } else if (
        typeof value === 'string' &&
        /^[+-]?\d{1,19}$/.test(value) &&
        BigInt.asIntN(64, BigInt(value)) === BigInt(value)
      ) {
        (column.values as BigInt64Array)[row] = BigInt(value);
      } else return false;
      break;
    case 'bool':
      if (typeof value !== 'boolean') return false;
      (column.values as Uint8Array)[row] = value ? 1 : 0;
      break;
    case 'date': {
      const days = typeof value === 'string' ? parseDate(value) : null;
      if (days === null) return false;
      (column.values as Int32Array)[row] = days;
      break;
    }
    case 'timestamp': {
      const ms = typeof value === 'string' ? parseTimestampMs(value) : typeof value === 'number' ? value : null;
      if (ms === null) return false;
      (column.values as Float64Array)[row] = ms;
      break;
    }
  }
  setPresent(column, row);
  return true;
}
