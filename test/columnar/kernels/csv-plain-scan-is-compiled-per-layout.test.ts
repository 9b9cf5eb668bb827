// The plain-record scan compiled for a column layout (`plainRecordScan`) stores exactly what the generic
// `scanPlainRecord` stores: on seeded random layouts (strings copied or kept in place, int32, float64, and types
// parsed by `storeOther`), delimiters, quotes and null texts, over random files of plain and other records (quoted
// fields, empty fields, null texts, bad numbers, short and long records, '\n', '\r\n' and '\r' endings), scanned to
// the record's end, the file's end and cut read ends, both return the same and leave the same rows, validity and
// string bytes. csv-parse is not installed in this workspace: the generic scan, itself checked against the general
// path and a model (csv-plain-records-store-what-the-general-path-stores), is the reference. SEED= replays a run.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { storeField } from '../../../src/executor/columnar/sources/csv-field-store.js';
import { fieldColumns, type FieldColumn } from '../../../src/executor/columnar/sources/field-columns.js';
import {
  FILE_END,
  keepStringsInPlace,
  plainRecordFormat,
  READ_END,
  RECORD_END,
  scanPlainRecord,
} from '../../../src/executor/columnar/kernels/csv-plain-record.js';
import {
  COMPILED_COLUMNS_MAX,
  plainRecordScan,
} from '../../../src/executor/columnar/kernels/csv-plain-record-scanner.js';
import {
  startStrings,
  stringBytesFor,
  type StringBytes,
} from '../../../src/executor/columnar/kernels/csv-string-bytes.js';
import type { FileColumn } from '../../../src/protocol/file-formats.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('csv-plain-scan-is-compiled-per-layout');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const TYPES: FileColumn['type'][] = ['utf8', 'int32', 'float64', 'int64', 'bool', 'date'];
const LF = 0x0a;
const CR = 0x0d;

/** A random field of `type`, plain or not: quoted, empty, the null text, bad or edge-case numbers, other types. */
function randomField(rng: Rng, type: FileColumn['type'], nullText: string, quote: string): string {
  switch (rng.nextInt(30)) {
    case 0:
      return '';
    case 1:
      return nullText;
    case 2:
      return `${quote}${randomField(rng, type, nullText, quote)}${quote}`;
    case 3:
      return ['1e5', '+7', '-0', '.5', '5.', '-', '+', '.', '12345678901', '2147483648', '-2147483648'][
        rng.nextInt(11)
      ]!;
    case 4:
      return ['x', 'true', 'false', '2024-02-29', '2023-02-29', 'NaN', ' 1', '1 '][rng.nextInt(8)]!;
    case 5:
      return String(rng.nextInt(10 ** (1 + rng.nextInt(17))));
    default:
      break;
  }
  if (type === 'int32' || type === 'int64') return String(rng.nextInt(2_000_000) - 1_000_000);
  if (type === 'float64') return (rng.nextInt(20_000_000) / 10 ** rng.nextInt(7) - 1000).toString();
  if (type === 'bool') return rng.nextInt(2) === 0 ? 'true' : 'false';
  if (type === 'date') return `20${10 + rng.nextInt(20)}-0${1 + rng.nextInt(9)}-1${rng.nextInt(9)}`;
  const letters = 'abcxyz é中😀-.0123456789';
  let text = '';
  for (let k = rng.nextInt(12); k > 0; k--) text += [...letters][rng.nextInt([...letters].length)];
  return text;
}

/** One side of the comparison: its own columns and string bytes, as a reader's batch holds them. */
function side(columns: readonly FileColumn[], rows: number, withValidity: boolean[]) {
  const built = fieldColumns(columns, rows);
  built.forEach((column, c) => {
    if (withValidity[c]) column.valid = new Uint8Array(rows);
  });
  const strings = stringBytesFor(columns.map((c) => c.type));
  startStrings(strings, rows * 64);
  return { columns: built, strings };
}

function assertSameRows(
  a: { columns: FieldColumn[]; strings: (StringBytes | null)[] },
  b: { columns: FieldColumn[]; strings: (StringBytes | null)[] },
  rows: number,
  detail: string,
): void {
  a.columns.forEach((column, c) => {
    const other = b.columns[c]!;
    for (const part of ['values', 'starts', 'ends', 'valid'] as const) {
      const x = column[part];
      const y = other[part];
      assert.deepEqual(x?.subarray(0, rows), y?.subarray(0, rows), `${detail}: column ${c} ${part}`);
    }
    const s = a.strings[c];
    const t = b.strings[c];
    assert.equal(s?.length, t?.length, `${detail}: column ${c} string bytes kept`);
    if (s != null) assert.deepEqual(s.bytes.subarray(0, s.length), t!.bytes.subarray(0, t!.length), detail);
  });
}

/** The index of the first line terminator at or after `from`, or `bytes.length`. */
function lineEnd(bytes: Uint8Array, from: number): number {
  let i = from;
  while (i < bytes.length && bytes[i] !== LF && bytes[i] !== CR) i++;
  return i;
}

test('a compiled scan stores what the generic scan stores, on random layouts and files', () => {
  const rng = new Rng(seed);
  for (let layout = 0; layout < 60; layout++) {
    const n = 1 + rng.nextInt(10);
    const columns: FileColumn[] = Array.from({ length: n }, (_, c) => ({
      name: `c${c}`,
      type: TYPES[rng.nextInt(TYPES.length)]!,
    }));
    const delimiter = [',', ';', '\t', '|'][rng.nextInt(4)]!;
    const quote = ['"', "'"][rng.nextInt(2)]!;
    const nullText = ['', 'NA', '\\N', 'null'][rng.nextInt(4)]!;
    const plain = plainRecordFormat(
      columns,
      { delimiter: delimiter.charCodeAt(0), quote: quote.charCodeAt(0) },
      encoder.encode(nullText),
      storeField,
    );
    assert.ok(plain !== null);
    // Some string columns kept in place, as a reader that codes them does.
    columns.forEach((column, c) => {
      if (column.type === 'utf8' && rng.nextInt(3) === 0) keepStringsInPlace(plain, c, true);
    });
    const detailOf = `SEED=${seed} layout ${layout}: ${columns.map((c, k) => `${c.type}/${plain.kinds[k]}`).join(' ')}, delimiter ${JSON.stringify(delimiter)}, quote ${quote}, null ${JSON.stringify(nullText)}`;
    const compiled = plainRecordScan(plain);
    assert.notEqual(compiled, scanPlainRecord, detailOf);

    let text = '';
    for (let r = 0; r < 300; r++) {
      const count = rng.nextInt(20) === 0 ? n + rng.nextInt(3) - 1 : n;
      const fields = Array.from({ length: Math.max(1, count) }, (_, c) =>
        randomField(rng, columns[Math.min(c, n - 1)]!.type, nullText, quote),
      );
      text += fields.join(delimiter) + ['\n', '\r\n', '\r', '\n'][rng.nextInt(4)];
    }
    if (rng.nextInt(2) === 0) text = text.replace(/[\r\n]+$/, ''); // no final terminator
    const bytes = encoder.encode(text);

    const withValidity = columns.map(() => rng.nextInt(2) === 0);
    const generic = side(columns, 400, withValidity);
    const mine = side(columns, 400, withValidity);
    let row = 0;
    let stored = 0;
    for (let at = 0; at < bytes.length;) {
      const end = lineEnd(bytes, at);
      const limitIs = [RECORD_END, FILE_END, READ_END][rng.nextInt(3)]! as 0 | 1 | 2;
      const limit =
        limitIs === RECORD_END
          ? end
          : limitIs === FILE_END
            ? bytes.length
            : Math.min(bytes.length, at + rng.nextInt(end - at + 3));
      const detail = `${detailOf}, record at ${at} ${JSON.stringify(decoder.decode(bytes.subarray(at, end)))}, limit ${limit} (${limitIs})`;
      const expected = scanPlainRecord(bytes, at, limit, limitIs, plain, generic.columns, generic.strings, row);
      const found = compiled(bytes, at, limit, limitIs, plain, mine.columns, mine.strings, row);
      assert.equal(found, expected, detail);
      assert.deepEqual(
        mine.strings.map((s) => s?.length),
        generic.strings.map((s) => s?.length),
        `${detail}: string bytes kept`,
      );
      if (expected >= 0) {
        row++;
        stored++;
        assertSameRows(generic, mine, row, detail);
      }
      at = end + (bytes[end] === CR && bytes[end + 1] === LF ? 2 : 1);
    }
    assertSameRows(generic, mine, row, detailOf);
    assert.ok(stored > 0 || bytes.length === 0, `${detailOf}: some records are plain`);
  }
});

test('a layout is compiled once per thread, a changed kind gets its own scan, and a wide one scans generically', () => {
  const columns: FileColumn[] = [
    { name: 's', type: 'utf8' },
    { name: 'i', type: 'int32' },
  ];
  const format = () => plainRecordFormat(columns, { delimiter: 0x2c, quote: 0x22 }, new Uint8Array(0), storeField)!;
  const a = format();
  const b = format();
  assert.equal(plainRecordScan(a), plainRecordScan(b), 'the same layout shares its scan');
  keepStringsInPlace(b, 0, true);
  assert.notEqual(plainRecordScan(b), plainRecordScan(a), 'strings kept in place are another layout');
  const wide: FileColumn[] = Array.from({ length: COMPILED_COLUMNS_MAX + 1 }, (_, c) => ({
    name: `c${c}`,
    type: 'int32',
  }));
  const plainWide = plainRecordFormat(wide, { delimiter: 0x2c, quote: 0x22 }, new Uint8Array(0), storeField)!;
  assert.equal(plainRecordScan(plainWide), scanPlainRecord);
});

test('a short record is not plain even when the lines after it hold its missing fields', () => {
  // The compiled scan must stop a field that ends at a line terminator or the limit instead of moving on to the
  // next column: "7\n8\n" with two int columns is two short records, not one record (7, 8). The random test above
  // seldom meets a short record followed by lines that fill its columns, so every kind meets it here.
  const values: Record<string, string> = { int32: '7', float64: '2.5', utf8: 'ab', date: '2024-01-02' };
  for (const type of ['int32', 'float64', 'utf8', 'utf8 in place', 'date']) {
    for (const n of [2, 3]) {
      const columns: FileColumn[] = Array.from({ length: n }, (_, c) => ({
        name: `c${c}`,
        type: type.startsWith('utf8') ? 'utf8' : (type as FileColumn['type']),
      }));
      const plain = plainRecordFormat(columns, { delimiter: 0x2c, quote: 0x22 }, new Uint8Array(0), storeField)!;
      if (type === 'utf8 in place') for (let c = 0; c < n; c++) keepStringsInPlace(plain, c, true);
      const compiled = plainRecordScan(plain);
      const value = values[type.split(' ')[0]!]!;
      for (const terminator of ['\n', '\r\n', '\r']) {
        // Each line one field short, or a line of one field: the fields of the next lines would fill the record.
        const lines = [
          Array<string>(n - 1)
            .fill(value)
            .join(','),
          ...Array<string>(n).fill(value),
        ];
        const bytes = encoder.encode(lines.join(terminator) + terminator);
        for (const limitIs of [FILE_END, READ_END] as const) {
          for (let at = 0; at < bytes.length; at = lineEnd(bytes, at) + terminator.length) {
            const detail = `${n} ${type} columns, ${JSON.stringify(decoder.decode(bytes))} from ${at}, limit ${limitIs}`;
            const generic = side(
              columns,
              1,
              columns.map(() => true),
            );
            const mine = side(
              columns,
              1,
              columns.map(() => true),
            );
            assert.equal(
              scanPlainRecord(bytes, at, bytes.length, limitIs, plain, generic.columns, generic.strings, 0),
              -1,
              `${detail}: generic`,
            );
            assert.equal(compiled(bytes, at, bytes.length, limitIs, plain, mine.columns, mine.strings, 0), -1, detail);
            assert.deepEqual(
              mine.strings.map((s) => s?.length ?? 0),
              columns.map(() => 0),
              `${detail}: nothing kept`,
            );
          }
        }
      }
    }
  }
});
