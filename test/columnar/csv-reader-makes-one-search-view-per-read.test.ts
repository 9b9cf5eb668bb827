// The CSV reader searches for line ends in a view of its read buffer that ends where the read bytes do (bytes past
// them are stale). It made that view on every search whenever the buffer was not full (a split's last read, every
// read of a small file), and a quoted record's line takes a search: an object per quoted line. The view is now made
// once per read. Counted, not timed: Buffer.prototype.subarray calls while a split of quoted records is read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { readCsvBatches } from '../../src/executor/columnar/sources/csv-source.js';
import type { Batch } from '../../src/executor/columnar/batches/batch.js';
import type { CsvReadSpec } from '../../src/protocol/file-formats.js';
import { temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('csv-search-view');

const SPEC: CsvReadSpec = {
  columns: [
    { name: 'k', type: 'int32' },
    { name: 'note', type: 'utf8' },
  ],
  header: false,
  delimiter: 0x2c,
  quote: 0x22,
  escape: 0x22,
  nullValue: '',
  mode: 'FAILFAST',
  multiLine: false,
};

/** The rows of every batch of the whole file as one split, and the subarray calls made while reading it. */
function readCounting(path: string, bytes: number): { rows: [number, string][]; views: number } {
  const proto = Buffer.prototype;
  const own = Object.getOwnPropertyDescriptor(proto, 'subarray');
  const subarray = proto.subarray;
  let views = 0;
  proto.subarray = function (this: Buffer, start?: number, end?: number) {
    views++;
    return subarray.call(this, start, end);
  };
  const batches: Batch[] = [];
  try {
    for (const batch of readCsvBatches({ path, start: 0, length: bytes }, SPEC, () => {})) batches.push(batch);
  } finally {
    if (own === undefined) delete (proto as { subarray?: unknown }).subarray;
    else Object.defineProperty(proto, 'subarray', own);
  }
  const rows: [number, string][] = [];
  for (const batch of batches) {
    const [k, note] = batch.columns;
    assert(k?.type === 'i32' && note?.type === 'utf8');
    for (let r = 0; r < batch.rows; r++) {
      rows.push([k.values[r]!, Buffer.from(note.bytes.subarray(note.starts[r]!, note.ends[r]!)).toString()]);
    }
  }
  return { rows, views };
}

test('a split of 5,000 quoted records makes a search view per read, not per line, and reads every record', () => {
  const path = join(dir(), 'quoted.csv');
  const expected: [number, string][] = [];
  let text = '';
  for (let i = 0; i < 5000; i++) {
    const note = `say "hi", ${i}`;
    expected.push([i, note]);
    text += `${i},"${note.replaceAll('"', '""')}"${i % 3 === 0 ? '\r\n' : '\n'}`;
  }
  writeFileSync(path, text);
  const { rows, views } = readCounting(path, Buffer.byteLength(text));
  assert.deepEqual(rows, expected);
  // One read of a 100 KB file: a few views per read and batch, where there was one per line (5,000 and more).
  assert.ok(views < 50, `expected fewer than 50 subarray calls, found ${views}`);
});
