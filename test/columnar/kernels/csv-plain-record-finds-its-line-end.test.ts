// The CSV reader finds a line's end as it parses the line's plain record (one pass, not a line split then a
// record scan): `scanPlainRecord` returns where the record's line ends, and refuses (keeping nothing) a line that
// may go on past the bytes read so far. Then the reader built on it: a seeded file of plain and other records,
// blank lines, '\n', '\r\n' and '\r' endings, a BOM and a header, cut into splits at many points and read with
// tiny read buffers, gives the same rows as one split read whole. SEED= replays a run.
import assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { readCsvBatches } from '../../../src/executor/columnar/sources/csv-source.js';
import { fieldColumns } from '../../../src/executor/columnar/sources/field-columns.js';
import {
  FILE_END,
  plainRecordFormat,
  READ_END,
  RECORD_END,
  scanPlainRecord,
} from '../../../src/executor/columnar/kernels/csv-plain-record.js';
import { startStrings, stringBytesFor } from '../../../src/executor/columnar/kernels/csv-string-bytes.js';
import type { Batch } from '../../../src/executor/columnar/batches/batch.js';
import type { CsvReadSpec, FileColumn } from '../../../src/protocol/file-formats.js';
import { temporaryDirectory } from '../../api/helpers.js';
import { Rng, testSeed } from '../random-rows.js';

const seed = testSeed('csv-plain-record-finds-its-line-end');
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const COLUMNS: FileColumn[] = [
  { name: 's', type: 'utf8' },
  { name: 'i', type: 'int32' },
  { name: 'f', type: 'float64' },
];

test('a plain record ends at its line terminator; a line that may go on is refused and keeps nothing', () => {
  const format = plainRecordFormat(COLUMNS, { delimiter: 0x2c, quote: 0x22 }, new Uint8Array(0), () => false)!;
  const columns = fieldColumns(COLUMNS, 4);
  const strings = stringBytesFor(COLUMNS.map((c) => c.type));
  startStrings(strings, 1024);
  const scan = (text: string, limit: number, limitIs: 0 | 1 | 2) =>
    scanPlainRecord(encoder.encode(text), 0, limit, limitIs, format, columns, strings, 0);
  for (const ending of ['\n', '\r\n', '\r']) {
    const text = `ab,-12,3.5${ending}next`;
    const lineEnd = 'ab,-12,3.5'.length;
    // A '\r' as the last byte read may be the first of '\r\n': only the byte after it tells.
    const known = ending === '\n' ? lineEnd + 1 : lineEnd + 2;
    for (let limit = 0; limit < known; limit++) {
      assert.equal(scan(text, limit, READ_END), -1, `${JSON.stringify(text)} read to ${limit}`);
      assert.equal(strings[0]!.length, 0, 'a refused record keeps no string bytes');
    }
    assert.equal(scan(text, known, READ_END), lineEnd, JSON.stringify(text));
    assert.deepEqual([strings[0]!.length, columns[1]!.values![0], columns[2]!.values![0]], [2, -12, 3.5]);
    strings[0]!.length = 0;
    // At the end of the file, the last line needs no terminator; a record range must be the record exactly.
    assert.equal(scan(text, lineEnd, FILE_END), lineEnd);
    strings[0]!.length = 0;
    assert.equal(scan(text, lineEnd, RECORD_END), lineEnd);
    strings[0]!.length = 0;
    assert.equal(scan(text, text.length, RECORD_END), -1, 'a terminator inside a record range is not plain');
    assert.equal(strings[0]!.length, 0);
  }
  // A terminator before the last field: too few fields, the general path decides.
  for (const text of ['ab\n,1,2\n', 'ab,1\n,2\n', 'ab,1\r,2\n']) {
    assert.equal(scan(text, text.length, READ_END), -1, JSON.stringify(text));
    assert.equal(strings[0]!.length, 0);
  }
});

function rowsOf(batches: Iterable<Batch>): unknown[][] {
  const rows: unknown[][] = [];
  for (const batch of batches) {
    for (let r = 0; r < batch.rows; r++) {
      rows.push(
        batch.columns.map((column) => {
          if (column.valid !== undefined && column.valid[r] === 0) return null;
          if (column.type === 'utf8') return decoder.decode(column.bytes.subarray(column.starts[r]!, column.ends[r]!));
          return (column as { values: Float64Array }).values[r];
        }),
      );
    }
  }
  return rows;
}

test('a file cut into splits anywhere, read with tiny buffers, gives the rows of the file read whole', () => {
  const dir = temporaryDirectory('csv-line-ends')();
  const rng = new Rng(seed);
  const spec: CsvReadSpec = {
    columns: COLUMNS,
    header: true,
    delimiter: 0x2c,
    quote: 0x22,
    escape: 0x22,
    nullValue: '',
    mode: 'PERMISSIVE',
    multiLine: false,
  };
  const endings = ['\n', '\r\n', '\r'];
  const fields = [
    () => `id${rng.nextInt(1000)}`,
    () => String(rng.nextInt(2000) - 1000),
    () => `${rng.nextInt(100)}.${rng.nextInt(100)}`,
  ];
  const odd = ['', '"q,1"', '1e3', 'x', '"a""b"'];
  let text = '\ufeffs,i,f' + endings[rng.nextInt(3)];
  for (let r = 0; r < 300; r++) {
    const shape = rng.nextInt(12);
    const line =
      shape === 0
        ? '' // blank
        : fields.map((f) => (rng.nextInt(10) === 0 ? odd[rng.nextInt(odd.length)]! : f())).join(',') +
          (shape === 1 ? ',extra' : '');
    text += line + (r === 299 && rng.nextInt(2) === 0 ? '' : endings[rng.nextInt(3)]);
  }
  const path = join(dir, 'lines.csv');
  writeFileSync(path, text);
  const size = statSync(path).size;
  const whole = rowsOf(readCsvBatches({ path, start: 0, length: size }, spec, () => {}));
  assert.ok(whole.length > 250, `${whole.length} rows (SEED=${seed})`);
  for (let k = 0; k < 40; k++) {
    const cuts = [0, 1 + rng.nextInt(size - 1), 1 + rng.nextInt(size - 1), size].sort((a, b) => a - b);
    const batchBytes = [7, 61, 997][k % 3]!;
    const found: unknown[][] = [];
    for (let p = 0; p + 1 < cuts.length; p++) {
      const split = { path, start: cuts[p]!, length: cuts[p + 1]! - cuts[p]! };
      found.push(...rowsOf(readCsvBatches(split, spec, () => {}, batchBytes)));
    }
    assert.deepEqual(found, whole, `cuts ${cuts.join(',')}, batchBytes ${batchBytes} (SEED=${seed})`);
  }
});
