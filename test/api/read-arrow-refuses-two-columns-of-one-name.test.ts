// An Arrow schema may hold two columns of one name. readArrow kept one of them silently where a column was
// dictionary-coded (the table was rebuilt keyed by name), failed naming no file otherwise ("recordBatchToBlock:
// duplicate column names"), and a file column named as its Hive partition folder was replaced by the folder's
// value. As Spark and Polars, it now refuses such a file, naming the file and the column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  Dictionary,
  Field,
  Int32,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Data,
} from 'apache-arrow';

import { Context, InputError } from '../../src/index.js';
import { temporaryDirectory, throwsWith } from './helpers.js';

const dir = temporaryDirectory('read-arrow-duplicate-names');

function write(path: string, fields: Field[], columns: Data[]): string {
  const schema = new Schema(fields);
  const struct = makeData({ type: new Struct(fields), length: columns[0]!.length, nullCount: 0, children: columns });
  writeFileSync(path, tableToIPC(new Table([new RecordBatch(schema, struct)]), 'file'));
  return path;
}

/**
 * A file whose columns `a` and `b` are both named `a`: apache-arrow's writer cannot write two columns of one name
 * (it writes a file no reader opens), so the second name is patched in its bytes (schema and footer alike).
 */
function writeTwoNamedA(path: string, second: Field, column: Data): string {
  const ints = vectorFromArray([1, 2], new Int32()).data[0]!;
  write(path, [new Field('a', new Int32(), true), second], [ints, column]);
  const bytes = readFileSync(path);
  const from = Buffer.from('\u0001\u0000\u0000\u0000b', 'latin1'); // a flatbuffer string: its length, then 'b'
  for (let at = bytes.indexOf(from); at !== -1; at = bytes.indexOf(from, at + 1)) bytes[at + 4] = 0x61; // 'a'
  writeFileSync(path, bytes);
  return path;
}

test('readArrow refuses two columns of one name, naming the file and the column', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const coded = new Dictionary(new Utf8(), new Int32());
    const codes = makeData({
      type: coded,
      length: 2,
      nullCount: 0,
      data: Int32Array.from([1, 0]),
      dictionary: vectorFromArray(['u', 'v'], new Utf8()),
    });
    const plain = vectorFromArray(['p', 'q'], new Utf8()).data[0]!;
    for (const [name, field, column] of [
      ['coded.arrow', new Field('b', coded, true), codes],
      ['plain.arrow', new Field('b', new Utf8(), true), plain],
    ] as const) {
      const file = writeTwoNamedA(join(dir(), name), field, column);
      const error = throwsWith(() => kc.readArrow(file), InputError, 'ERR_INPUT_INVALID_RECORD');
      assert.equal(
        error.message,
        `readArrow(): ${file} has two columns named 'a': expected unique column names (rename one where the file ` +
          'is written)',
      );
    }
  } finally {
    await kc.stop();
  }
});

test('readArrow refuses a file column named as its partition folder', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const table = join(dir(), 'table');
    mkdirSync(join(table, 'a=1'), { recursive: true });
    const file = write(
      join(table, 'a=1', 'part.arrow'),
      [new Field('a', new Int32(), true)],
      [vectorFromArray([7, 8], new Int32()).data[0]!],
    );
    const error = throwsWith(() => kc.readArrow(table), InputError, 'ERR_INPUT_INVALID_RECORD');
    assert.equal(
      error.message,
      `readArrow(): ${file} has a column 'a' and lies in a partition folder a=…: expected a partition column's ` +
        'name not to be a column of the file',
    );
  } finally {
    await kc.stop();
  }
});
