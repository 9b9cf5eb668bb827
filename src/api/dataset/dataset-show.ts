/**
 * A look at a dataset's first rows: `take`, `head`, `first` and `show` (a text table laid out as Spark's
 * `Dataset.show`, so a Spark user reads it at once). They run `limit(n)`: a top-n per task, not the whole dataset.
 */
import type { Table } from 'apache-arrow';
import { escapeControlCharacters } from '../../common/terminal-text.js';

/** What `show` takes beside the row count. */
export interface ShowOptions {
  /** Cut strings longer than 20 characters to 17 and `...`, as Spark's default (`true`); `false` keeps them whole. */
  readonly truncate?: boolean;
}

/** Spark's default row count of `show()` and the cell width past which `truncate` cuts. */
export const SHOW_ROWS_DEFAULT = 20;
const TRUNCATE_CHARS = 20;
/** Spark pads every column to at least this many characters. */
const MIN_COLUMN_CHARS = 3;

/**
 * The text `show` prints for `table`, holding up to `numRows + 1` rows (the extra one tells that more exist): a
 * header and one line per row, cells right-aligned and framed by `+---+`, nulls as `null`, dates as `2024-01-31`,
 * timestamps as `2024-01-31 08:00:00` (UTC; milliseconds when not zero), doubles with integral values as `1.0`.
 * Control characters in a cell or a name are shown as escapes (`\n`, `\x1b`), so a value cannot break the table's
 * lines or send the terminal an escape sequence.
 */
export function formatShow(table: Table, numRows: number, options: ShowOptions = {}): string {
  const truncate = options.truncate ?? true;
  const names = table.schema.fields.map((field) => escapeControlCharacters(field.name));
  const shown = Math.min(numRows, table.numRows);
  const cells = table.schema.fields.map((field) => {
    const column = table.getChild(field.name)!;
    const format = cellFormatter(String(field.type));
    const out: string[] = [];
    for (let row = 0; row < shown; row++) out.push(cutCell(escapeControlCharacters(format(column.get(row))), truncate));
    return out;
  });
  const widths = names.map((name, c) =>
    Math.max(MIN_COLUMN_CHARS, charCount(cutCell(name, truncate)), ...cells[c]!.map(charCount)),
  );
  const rule = `+${widths.map((width) => '-'.repeat(width)).join('+')}+`;
  const line = (values: readonly string[]) => `|${values.map((v, c) => padStart(v, widths[c]!)).join('|')}|`;
  const lines = [rule, line(names.map((name) => cutCell(name, truncate))), rule];
  for (let row = 0; row < shown; row++) lines.push(line(cells.map((column) => column[row]!)));
  lines.push(rule);
  if (table.numRows > numRows) lines.push(`only showing top ${numRows} ${numRows === 1 ? 'row' : 'rows'}`);
  return `${lines.join('\n')}\n`;
}

/** How one column's values print, by its Arrow type's name (`Date32<DAY>`, `Timestamp<MILLISECOND>`, `Float64` …). */
function cellFormatter(typeName: string): (value: unknown) => string {
  if (typeName.startsWith('Date')) return (value) => (value === null ? 'null' : isoOf(value).slice(0, 10));
  if (typeName.startsWith('Timestamp')) return (value) => (value === null ? 'null' : timestampText(value));
  if (typeName.startsWith('Float')) return (value) => (value === null ? 'null' : doubleText(value as number));
  return (value) => (value === null || value === undefined ? 'null' : String(value));
}

/** Arrow gives dates and timestamps as milliseconds since the epoch. */
function isoOf(value: unknown): string {
  return new Date(typeof value === 'bigint' ? Number(value) : (value as number)).toISOString();
}

function timestampText(value: unknown): string {
  const iso = isoOf(value);
  const seconds = `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
  return iso.slice(20, 23) === '000' ? seconds : `${seconds}.${iso.slice(20, 23)}`;
}

/** As Spark prints a double: `1.0` for an integral value, `NaN`, `Infinity`, else JavaScript's shortest form. */
function doubleText(value: number): string {
  return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : String(value);
}

function cutCell(text: string, truncate: boolean): string {
  if (!truncate || charCount(text) <= TRUNCATE_CHARS) return text;
  return `${[...text].slice(0, TRUNCATE_CHARS - 3).join('')}...`;
}

/** Characters as a reader counts them (code points, so an emoji is one). */
function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function padStart(text: string, width: number): string {
  return ' '.repeat(width - charCount(text)) + text;
}
