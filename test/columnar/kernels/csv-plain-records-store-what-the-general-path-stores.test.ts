// The CSV reader's fast path for plain records, against a model written from the format's rules: a record is
// plain exactly when every field is unquoted, non-empty, not the null text and (for numbers) plain digits with an
// optional sign and point; then every stored value is the model's (Number() of the text, strings by their bytes),
// and any other record is refused so the general path parses it. Then whole seeded files mixing plain and
// non-plain records (exponents, NaN, quoted numbers, nulls, short and long records, CRLF) read through the reader
// equal the model row for row under PERMISSIVE. SEED= replays a run.
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { readCsvBatches } from '../../../src/executor/columnar/sources/csv-source.js';
import { TEXT_BATCH_BYTES } from '../../../src/executor/columnar/sources/text-source.js';
import { fieldColumns } from '../../../src/executor/columnar/sources/field-columns.js';
import { plainRecordFormat, storePlainRecord } from '../../../src/executor/columnar/kernels/csv-plain-record.js';
import {
  startStrings,
  stringBytesFor,
  type StringBytes,
} from '../../../src/executor/columnar/kernels/csv-string-bytes.js';
import type { CsvReadSpec, FileColumn } from '../../../src/protocol/file-formats.js';
import { temporaryDirectory } from '../../api/helpers.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('csv-plain-records-store-what-the-general-path-stores');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const COLUMNS: FileColumn[] = [
  { name: 's', type: 'utf8' },
  { name: 'i', type: 'int32' },
  { name: 'f', type: 'float64' },
  { name: 'd', type: 'date' },
];

/** Field texts a column may get: plain ones most of the time, and the cases at the fast path's edges. */
const INT_EDGES = ['0', '-0', '+7', '007', '2147483647', '-2147483648', '2147483648', '-2147483649', '12345678901'];
const INT_ODD = ['1.5', '1e3', ' 1', '1 ', '+', '-', 'NA', '', '"12"', '0x10'];
const FLOAT_EDGES = [
  '5.',
  '.5',
  '-0',
  '-0.0',
  '+2.25',
  '123456789012345',
  '1234567890123456',
  '0.0000000000000000000001',
];
const FLOAT_ODD = ['1e3', '-2.5E-2', 'NaN', '-Infinity', ' 3.5', '.', '+', '-.', '1.2.3', '', '"4.5"', 'NA', '1_0'];
const STRING_ODD = ['', '"quoted, with comma"', '"say ""hi"""', 'NA', 'a"b', 'é😀'];
const DATE_ODD = ['2024-02-30', '2024-1-5', '', 'NA'];

function pick(rng: Rng, list: readonly string[]): string {
  return list[rng.nextInt(list.length)]!;
}

function randomDigits(rng: Rng, max: number): string {
  let s = '';
  for (let k = 0, n = 1 + rng.nextInt(max); k < n; k++) s += String(rng.nextInt(10));
  return s;
}

/** One field's text for column `c`. */
function randomField(rng: Rng, c: number): string {
  const odd = rng.nextInt(6) === 0;
  switch (COLUMNS[c]!.type) {
    case 'utf8':
      return odd ? pick(rng, STRING_ODD) : `id${randomDigits(rng, 10)}`;
    case 'int32':
      if (odd) return pick(rng, rng.nextInt(2) === 0 ? INT_EDGES : INT_ODD);
      return `${rng.nextInt(4) === 0 ? '-' : ''}${randomDigits(rng, 9)}`;
    case 'float64':
      if (odd) return pick(rng, rng.nextInt(2) === 0 ? FLOAT_EDGES : FLOAT_ODD);
      return `${rng.nextInt(4) === 0 ? '-' : ''}${randomDigits(rng, 6)}.${randomDigits(rng, 8)}`;
    default:
      return odd
        ? pick(rng, DATE_ODD)
        : `20${randomDigits(rng, 1)}${rng.nextInt(10)}-0${1 + rng.nextInt(9)}-1${rng.nextInt(9)}`;
  }
}

/** The model: whether the fast path takes the field (and its value when it does), from the format's rules. */
function plainValue(type: FileColumn['type'], text: string, nullText: string): { value: unknown } | null {
  if (text === '' || text.startsWith('"') || text === nullText) return null;
  switch (type) {
    case 'utf8':
      return { value: text };
    case 'int32': {
      if (!/^[+-]?\d{1,10}$/.test(text)) return null;
      const value = Number(text);
      return value >= -(2 ** 31) && value < 2 ** 31 ? { value: value === 0 ? 0 : value } : null;
    }
    case 'float64': {
      if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(text)) return null;
      const significant = text.replace(/^[+-]/, '').replace('.', '').replace(/^0+/, '');
      const decimals = text.includes('.') ? text.length - text.indexOf('.') - 1 : 0;
      return significant.length <= 15 && decimals <= 22 ? { value: Number(text) } : null;
    }
    default: {
      // Dates go through the reader's own date parser: a valid `YYYY-MM-DD` is stored, anything else is refused.
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      if (m === null) return null;
      const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return new Date(ms).toISOString().slice(0, 10) === text ? { value: ms / 86_400_000 } : null;
    }
  }
}

function columnValue(
  column: ReturnType<typeof fieldColumns>[number],
  row: number,
  strings: StringBytes | null,
): unknown {
  if (column.type === 'utf8') {
    // A stored string lies in the column's own bytes, before its current end (kept, not to be overwritten).
    assert.ok(column.ends![row]! <= strings!.length, 'the string is inside the kept bytes');
    return decoder.decode(strings!.bytes.subarray(column.starts![row]!, column.ends![row]!));
  }
  return column.values![row];
}

for (const nullText of ['', 'NA']) {
  test(`a record is plain exactly when the model says so, and then holds the model's values (nullValue '${nullText}')`, () => {
    const rng = new Rng(seed + nullText.length);
    const store = (
      column: ReturnType<typeof fieldColumns>[number],
      row: number,
      b: Uint8Array,
      s: number,
      e: number,
    ) => {
      const parsed = plainValue(column.type, decoder.decode(b.subarray(s, e)), nullText);
      if (parsed === null) return false;
      (column.values as Int32Array)[row] = parsed.value as number;
      return true;
    };
    const format = plainRecordFormat(COLUMNS, { delimiter: 0x2c, quote: 0x22 }, encoder.encode(nullText), store)!;
    let plainCount = 0;
    const storedStrings: [number, string][] = [];
    const rows = 4000;
    const columns = fieldColumns(COLUMNS, rows);
    const strings = stringBytesFor(COLUMNS.map((c) => c.type));
    startStrings(strings, rows * 200);
    const stringsBefore = strings.map((t) => t?.length ?? 0);
    for (let r = 0; r < rows; r++) {
      const fields = COLUMNS.map((_, c) => randomField(rng, c));
      // Short and long records now and then.
      const shape = rng.nextInt(25);
      if (shape === 0) fields.pop();
      else if (shape === 1) fields.push(randomField(rng, 1));
      const line = fields.join(',');
      const bytes = encoder.encode(`\n${line}\n`); // the record is a range inside a bigger buffer
      const model = fields.map((text, c) => (c < COLUMNS.length ? plainValue(COLUMNS[c]!.type, text, nullText) : null));
      const plain = fields.length === COLUMNS.length && model.every((m) => m !== null);
      // Fields holding the delimiter inside quotes split differently; the model only decides records without.
      if (fields.some((f) => f.includes(',')) && !plain) continue;
      for (let c = 0; c < COLUMNS.length; c++) stringsBefore[c] = strings[c]?.length ?? 0;
      const stored = storePlainRecord(bytes, 1, bytes.length - 1, format, columns, strings, r);
      assert.equal(stored, plain, `record ${JSON.stringify(line)} (SEED=${seed})`);
      if (!stored) {
        // A refused record keeps none of its string bytes (the general path appends them again).
        assert.deepEqual(
          strings.map((t) => t?.length ?? 0),
          stringsBefore,
        );
        continue;
      }
      plainCount++;
      storedStrings.push([r, fields[0]!]);
      for (let c = 0; c < COLUMNS.length; c++) {
        const expected = model[c]!.value;
        const found = columnValue(columns[c]!, r, strings[c]!);
        assert.ok(
          Object.is(found, expected),
          `${COLUMNS[c]!.name} of ${JSON.stringify(line)}: ${found} vs ${expected}`,
        );
      }
    }
    // Later records, stored or refused, left the strings stored before them alone.
    for (const [r, text] of storedStrings) assert.equal(columnValue(columns[0]!, r, strings[0]!), text);
    // Both outcomes were exercised plenty.
    assert.ok(plainCount > rows / 5 && plainCount < rows - rows / 5, `${plainCount} plain of ${rows}`);
  });
}

test('seeded files mixing plain and other records read as the model says, row for row, at any batch size', () => {
  const dir = temporaryDirectory('csv-plain')();
  const rng = new Rng(seed + 7);
  const spec: CsvReadSpec = {
    columns: COLUMNS.slice(0, 3),
    header: true,
    delimiter: 0x2c,
    quote: 0x22,
    escape: 0x22,
    nullValue: 'NA',
    mode: 'PERMISSIVE',
    multiLine: false,
  };
  const numberOf = (text: string, integer: boolean): number | null => {
    const t = text.startsWith('"') ? text.slice(1, -1) : text;
    if (t === '' || text === 'NA') return null;
    if (integer) return /^[+-]?\d+$/.test(t) && Number(t) >= -(2 ** 31) && Number(t) < 2 ** 31 ? Number(t) : null;
    return /^\s*[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|Infinity)\s*$|^\s*NaN\s*$/.test(t)
      ? Number(t)
      : null;
  };
  const expected: unknown[][] = [];
  /** Per record, whether DROPMALFORMED keeps it: every field there, numbers null or numbers. */
  const wellFormed: boolean[] = [];
  const lines = ['s,i,f'];
  for (let r = 0; r < 3000; r++) {
    const fields = [0, 1, 2].map((c) => randomField(rng, c));
    const short = rng.nextInt(40) === 0;
    if (short) fields.pop();
    lines.push(fields.join(','));
    const s = fields[0]!;
    expected.push([
      s === '' || s === 'NA' ? null : s.startsWith('"') ? s.slice(1, -1).replaceAll('""', '"') : s,
      numberOf(fields[1]!, true),
      short ? null : numberOf(fields[2]!, false),
    ]);
    const fits = (text: string, integer: boolean) => text === '' || text === 'NA' || numberOf(text, integer) !== null;
    wellFormed.push(!short && fits(fields[1]!, true) && fits(fields[2]!, false));
  }
  const path = join(dir, 'mixed.csv');
  writeFileSync(path, lines.join(rng.nextInt(2) === 0 ? '\n' : '\r\n') + '\n');
  const normal = (rows: unknown[][]) => rows.map((row) => row.map((v) => (v === 0 ? 0 : v)));
  const split = { path, start: 0, length: statSync(path).size };
  // Small batches put records across read-buffer boundaries; the reader reuses its read buffer, so the batches
  // are all kept first (as a cached partition keeps them) and read after: none may see a later batch's bytes.
  for (const [batchBytes, multiLine, mode] of [
    [TEXT_BATCH_BYTES, false, 'PERMISSIVE'],
    [61, false, 'PERMISSIVE'],
    [64, false, 'DROPMALFORMED'],
    [997, false, 'PERMISSIVE'],
    [TEXT_BATCH_BYTES, false, 'DROPMALFORMED'],
  ] as const) {
    const batches = [...readCsvBatches(split, { ...spec, multiLine, mode }, () => {}, batchBytes)];
    if (batchBytes < 1000) assert.ok(batches.length > 50, `${batches.length} batches of ${batchBytes} bytes`);
    const found: unknown[][] = [];
    for (const batch of batches) {
      for (const column of batch.columns) {
        if (column.type !== 'utf8') continue;
        // A batch holds its strings' bytes and no more: not the read buffer, nor a dropped record's strings.
        let stringBytes = 0;
        for (let r = 0; r < batch.rows; r++) stringBytes += column.ends[r]! - column.starts[r]!;
        assert.equal(column.bytes.length, stringBytes, `string bytes of a batch of ${batch.rows} rows`);
      }
      for (let r = 0; r < batch.rows; r++) {
        found.push(
          batch.columns.map((column) => {
            if (column.valid !== undefined && column.valid[r] === 0) return null;
            if (column.type === 'utf8') {
              return decoder.decode(column.bytes.subarray(column.starts[r]!, column.ends[r]!));
            }
            const value = (column as { values: Float64Array }).values[r];
            return value === 0 ? 0 : value; // -0 read as an int is 0
          }),
        );
      }
    }
    const kept = mode === 'PERMISSIVE' ? expected : expected.filter((_, r) => wellFormed[r]);
    assert.ok(kept.length > expected.length / 2 && (mode === 'PERMISSIVE' || kept.length < expected.length));
    const where = `batchBytes ${batchBytes}, multiLine ${multiLine}, ${mode}, SEED=${seed}`;
    assert.deepEqual(normal(found), normal(kept), where);
  }
});

test('a delimiter that may be part of a number (-, +, .) still separates fields', () => {
  const dir = temporaryDirectory('csv-number-delimiter')();
  // Records a number scan would read wrong: a leading empty field before a sign, a point inside a number. The
  // third field of a record is past the schema (PERMISSIVE keeps the first two).
  const cases = [
    {
      delimiter: '-',
      type: 'int32',
      lines: ['-3-4', '5-6'],
      rows: [
        [null, 3],
        [5, 6],
      ],
    },
    {
      delimiter: '+',
      type: 'int32',
      lines: ['+3+4', '5+6'],
      rows: [
        [null, 3],
        [5, 6],
      ],
    },
    {
      delimiter: '.',
      type: 'float64',
      lines: ['1.5.2', '.7'],
      rows: [
        [1, 5],
        [null, 7],
      ],
    },
  ] as const;
  for (const { delimiter, type, lines, rows } of cases) {
    const path = join(dir, `d${delimiter.charCodeAt(0)}.csv`);
    writeFileSync(path, lines.join('\n') + '\n');
    const spec: CsvReadSpec = {
      columns: [
        { name: 'a', type },
        { name: 'b', type },
      ],
      header: false,
      delimiter: delimiter.charCodeAt(0),
      quote: 0x22,
      escape: 0x22,
      nullValue: '',
      mode: 'PERMISSIVE',
      multiLine: false,
    };
    assert.deepEqual(numberRows(path, spec), rows, `delimiter ${delimiter}`);
  }
});

test('a quote that may start a number (a digit) still quotes a field', () => {
  const dir = temporaryDirectory('csv-number-quote')();
  // With '9' as the quote, `9129` is the quoted field "12": a number scan that does not test for the quote would
  // read 9129.
  const path = join(dir, 'q9.csv');
  writeFileSync(path, '9129,4\n7,9-39\n');
  const spec: CsvReadSpec = {
    columns: [
      { name: 'a', type: 'int32' },
      { name: 'b', type: 'int32' },
    ],
    header: false,
    delimiter: 0x2c,
    quote: 0x39,
    escape: 0x39,
    nullValue: '',
    mode: 'PERMISSIVE',
    multiLine: false,
  };
  assert.deepEqual(numberRows(path, spec), [
    [12, 4],
    [7, -3],
  ]);
});

/** The rows of a CSV file of number columns, read through the reader (null for a null). */
function numberRows(path: string, spec: CsvReadSpec): unknown[][] {
  const found: unknown[][] = [];
  for (const batch of readCsvBatches({ path, start: 0, length: statSync(path).size }, spec, () => {})) {
    for (let r = 0; r < batch.rows; r++) {
      found.push(
        batch.columns.map((c) =>
          c.valid !== undefined && c.valid[r] === 0 ? null : (c as { values: Float64Array | Int32Array }).values[r],
        ),
      );
    }
  }
  return found;
}
