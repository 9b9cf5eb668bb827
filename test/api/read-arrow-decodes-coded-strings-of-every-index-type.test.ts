// readArrow decoded a dictionary-coded string column (pandas' and Polars' categoricals) by making a JS string per
// row and building the column again: ~20 s and 2.4 GB of memory for 5 M rows of one coded column, and it failed on
// 64-bit indices ("Cannot mix BigInt and other types") and on Polars' LargeUtf8 dictionaries (a type blocks do not
// hold, naming no file). Now the bytes are gathered per index straight into the block: every index width, signed
// or not, null indices and null entries, each batch with its own dictionary (a stream may replace it or add a
// delta), and an index outside the dictionary is an error naming the file, the column and the row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  Dictionary,
  Field,
  Int16,
  Int32,
  Int64,
  Int8,
  LargeUtf8,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Uint32,
  Utf8,
  vectorFromArray,
  type Data,
  type DataType,
  type Vector,
} from 'apache-arrow';

import { Context, InputError } from '../../src/index.js';
import { temporaryDirectory, throwsWith } from './helpers.js';

const dir = temporaryDirectory('read-arrow-dictionaries');

/** One coded column `c` of `indices` (null where `valid` says 0) into `dictionary`. */
function coded(type: Dictionary, indices: ArrayLike<number> | BigInt64Array, dictionary: Vector, valid?: number[]) {
  const nullBitmap = valid === undefined ? undefined : bitmap(valid);
  const nullCount = valid === undefined ? 0 : valid.filter((v) => v === 0).length;
  return makeData({ type, length: indices.length, nullCount, nullBitmap, data: indices as never, dictionary });
}

function bitmap(valid: number[]): Uint8Array {
  const bytes = new Uint8Array(Math.ceil(valid.length / 8));
  valid.forEach((v, i) => (bytes[i >> 3]! |= v << (i & 7)));
  return bytes;
}

function batchOf(schema: Schema, columns: Data[]): RecordBatch {
  const length = columns[0]!.length;
  return new RecordBatch(
    schema,
    makeData({ type: new Struct(schema.fields), length, nullCount: 0, children: columns }),
  );
}

function write(name: string, batches: RecordBatch[], format: 'file' | 'stream'): string {
  const path = join(dir(), name);
  writeFileSync(path, tableToIPC(new Table(batches), format));
  return path;
}

function oneColumn(name: string, type: Dictionary, data: Data): string {
  const schema = new Schema([new Field('c', type, true)]);
  return write(name, [batchOf(schema, [data])], 'file');
}

test('readArrow reads coded strings of every index type, with null indices and null entries', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const strings = vectorFromArray(['a', null, 'ç😀', 'x'.repeat(100)], new Utf8());
    const valid = [1, 1, 0, 1, 1, 1];
    const expected = ['a', null, null, 'ç😀', null, 'x'.repeat(100)];
    const cases: [string, DataType, ArrayLike<number> | BigInt64Array][] = [
      ['int8', new Int8(), Int8Array.from([0, 1, 0, 2, 1, 3])],
      ['int16', new Int16(), Int16Array.from([0, 1, 0, 2, 1, 3])],
      ['int32', new Int32(), Int32Array.from([0, 1, 0, 2, 1, 3])],
      ['int64', new Int64(), BigInt64Array.from([0n, 1n, 0n, 2n, 1n, 3n])],
      ['uint32', new Uint32(), Uint32Array.from([0, 1, 0, 2, 1, 3])],
    ];
    for (const [name, indexType, indices] of cases) {
      const type = new Dictionary(new Utf8(), indexType as Int32);
      const file = oneColumn(`${name}.arrow`, type, coded(type, indices, strings, valid));
      const rows = await kc.readArrow(file).collect();
      assert.deepEqual(
        rows.map((r) => r['c']),
        expected,
        name,
      );
    }
    // Polars writes its categoricals as Dictionary<Uint32, LargeUtf8>.
    const large = new Dictionary(new LargeUtf8(), new Uint32());
    const polars = oneColumn(
      'polars.arrow',
      large,
      coded(large, Uint32Array.from([2, 0, 1]), vectorFromArray(['x', 'yy', 'zzz'], new LargeUtf8())),
    );
    assert.deepEqual(await kc.readArrow(polars).collect(), [{ c: 'zzz' }, { c: 'x' }, { c: 'yy' }]);
  } finally {
    await kc.stop();
  }
});

test('readArrow reads each record batch with its own dictionary: replaced, or grown by a delta', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const type = new Dictionary(new Utf8(), new Int32());
    const schema = new Schema([new Field('n', new Int32(), false), new Field('c', type, true)]);
    const numbers = (values: number[]) => vectorFromArray(values, new Int32()).data[0]!;
    const first = vectorFromArray(['a', 'b'], new Utf8());
    const replaced = write(
      'replaced.arrows',
      [
        batchOf(schema, [numbers([1, 2]), coded(type, Int32Array.from([0, 1]), first)]),
        batchOf(schema, [
          numbers([3, 4]),
          coded(type, Int32Array.from([1, 0]), vectorFromArray(['c', 'd'], new Utf8())),
        ]),
      ],
      'stream',
    );
    assert.deepEqual(await kc.readArrow(replaced).collect(), [
      { n: 1, c: 'a' },
      { n: 2, c: 'b' },
      { n: 3, c: 'd' },
      { n: 4, c: 'c' },
    ]);
    // A dictionary of two chunks, as a delta leaves it: indices run across both.
    const grown = first.concat(vectorFromArray(['e', null], new Utf8()));
    const delta = write(
      'delta.arrows',
      [
        batchOf(schema, [numbers([1, 2]), coded(type, Int32Array.from([0, 1]), first)]),
        batchOf(schema, [numbers([3, 4, 5]), coded(type, Int32Array.from([2, 0, 3]), grown)]),
      ],
      'stream',
    );
    assert.deepEqual(await kc.readArrow(delta).collect(), [
      { n: 1, c: 'a' },
      { n: 2, c: 'b' },
      { n: 3, c: 'e' },
      { n: 4, c: 'a' },
      { n: 5, c: null },
    ]);
  } finally {
    await kc.stop();
  }
});

test('readArrow refuses a dictionary index outside its dictionary, naming the file, column and row', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const type = new Dictionary(new Utf8(), new Int16());
    const file = oneColumn(
      'bad.arrow',
      type,
      coded(type, Int16Array.from([1, 0, 2]), vectorFromArray(['a', 'b'], new Utf8())),
    );
    const error = throwsWith(() => kc.readArrow(file), InputError, 'ERR_INPUT_INVALID_RECORD');
    assert.equal(
      error.message,
      `readArrow(): ${file}: column 'c', row 2: expected a dictionary index from 0 to 1, found 2`,
    );
  } finally {
    await kc.stop();
  }
});
