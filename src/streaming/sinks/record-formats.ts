import { randomUUID } from 'node:crypto';
import { describeValue } from '../../common/describe-value.js';
import { StreamingQueryError } from '../../common/errors.js';

/** The text formats of the file sink (`arrow` is written as a block, see file-sink.ts). */
export type FileSinkFormat = 'jsonl' | 'text' | 'csv' | 'arrow';

/** Every format the file sink knows, for option checks and messages. */
export const FILE_SINK_FORMATS: readonly FileSinkFormat[] = ['jsonl', 'text', 'csv', 'arrow'];

/**
 * The bytes of one part file in a text format: `jsonl` one `JSON.stringify(record)` per line (a bigint as a JSON
 * integer); `text` one
 * `String(record)` per line; `csv` a header and one row per record (pairs as `key,value`, objects by the first
 * record's fields, anything else as `value`; fields quoted as RFC 4180 asks; objects inside a field as JSON).
 */
export function formatRecords(format: Exclude<FileSinkFormat, 'arrow'>, rows: readonly unknown[]): string {
  switch (format) {
    case 'jsonl':
      return rows.map((row) => `${toJson(row)}\n`).join('');
    case 'text':
      return rows.map((row) => `${String(row)}\n`).join('');
    case 'csv':
      return formatCsv(rows);
  }
}

function toJson(row: unknown): string {
  try {
    const text = jsonText(row);
    if (text === undefined) throw new Error('JSON.stringify returned undefined');
    return text;
  } catch (error: unknown) {
    throw new StreamingQueryError(
      'ERR_STREAM_SINK',
      `the jsonl file sink cannot write ${describeValue(row)} as JSON: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** Marks a bigint inside `JSON.stringify`'s output, to be replaced by its digits (JSON has no other integer form). */
const BIGINT_MARK = `\u0000${randomUUID()}:`;
const MARKED_BIGINT = new RegExp(`"\\\\u0000${BIGINT_MARK.slice(1)}(-?\\d+)"`, 'g');

/**
 * `JSON.stringify(value)`, with a bigint written as a JSON integer of its digits (what `jsonlFiles` reads back as
 * the same bigint) where `JSON.stringify` alone refuses it.
 */
function jsonText(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch (error: unknown) {
    if (!(error instanceof TypeError) || !/BigInt/.test(error.message)) throw error;
  }
  const marked = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${BIGINT_MARK}${v}` : v));
  return marked?.replace(MARKED_BIGINT, '$1');
}

function formatCsv(rows: readonly unknown[]): string {
  if (rows.length === 0) return '';
  const first = rows[0];
  const isPair = (row: unknown): row is [unknown, unknown] => Array.isArray(row) && row.length === 2;
  const isObject = (row: unknown): row is Record<string, unknown> =>
    typeof row === 'object' && row !== null && !Array.isArray(row);
  let header: string[];
  let fieldsOf: (row: unknown) => unknown[];
  if (isPair(first)) {
    header = ['key', 'value'];
    fieldsOf = (row) => (isPair(row) ? row : [row, null]);
  } else if (isObject(first)) {
    header = Object.keys(first);
    fieldsOf = (row) => header.map((name) => (isObject(row) ? row[name] : null));
  } else {
    header = ['value'];
    fieldsOf = (row) => [row];
  }
  const lines = [header.map(csvField).join(',')];
  for (const row of rows) lines.push(fieldsOf(row).map(csvField).join(','));
  return `${lines.join('\n')}\n`;
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? jsonText(value)! : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
