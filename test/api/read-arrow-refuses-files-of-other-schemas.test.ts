// readArrow of files whose columns differ used to read them all: rows of one dataset held other columns (a later
// error naming no file), or the same columns in another order (toDF renames by position: a wrong answer), or other
// types. Now, as kc.read.parquet, the dataset's definition fails with ERR_INPUT_SCHEMA_MISMATCH naming both files
// and the column; a column of only nulls (Arrow type Null) still reads beside any type.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  Float64,
  Int32,
  Null,
  Table,
  tableFromArrays,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type Vector,
} from 'apache-arrow';

import { Context, InputError } from '../../src/index.js';
import { temporaryDirectory, throwsWith } from './helpers.js';

const dir = temporaryDirectory('read-arrow-schemas');

function write(name: string, columns: Record<string, Vector>): string {
  const path = join(dir(), name);
  writeFileSync(path, tableToIPC(new Table(columns), 'file'));
  return path;
}

test('readArrow refuses files of other columns, order or types, naming both files and the column', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const a = write('a.arrow', { x: vectorFromArray([1, 2], new Int32()), y: vectorFromArray(['a', 'b'], new Utf8()) });
    const swapped = write('b.arrow', { y: vectorFromArray(['c'], new Utf8()), x: vectorFromArray([3], new Int32()) });
    const wider = write('c.arrow', { x: vectorFromArray([4.5], new Float64()), y: vectorFromArray(['d'], new Utf8()) });
    const fewer = write('d.arrow', { x: vectorFromArray([5], new Int32()) });
    const nulls = write('e.arrow', { x: vectorFromArray([null], new Null()), y: vectorFromArray(['e'], new Utf8()) });
    const order = throwsWith(() => kc.readArrow([a, swapped]), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.equal(
      order.message,
      `readArrow(): ${swapped}: columns [y, x] differ from [x, y] of ${a}: expected every file of one dataset to ` +
        'have the same columns in the same order, with the same types',
    );
    const type = throwsWith(() => kc.readArrow([a, wider]), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.ok(type.message.startsWith(`readArrow(): ${wider}: column 'x' is Float64, where ${a} has Int32`));
    const missing = throwsWith(() => kc.readArrow([a, fewer]), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.ok(missing.message.startsWith(`readArrow(): ${fewer}: columns [x] differ from [x, y] of ${a}`));
    assert.deepEqual(await kc.readArrow([a, nulls]).collect(), [
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
      { x: null, y: 'e' },
    ]);
  } finally {
    await kc.stop();
  }
});

// A Dictionary<Int32, Utf8> column (tableFromArrays' strings, pandas' and Polars' categoricals) used to fail the
// job with "recordBatchToBlock: column 'y' has Arrow type Dictionary<Int32, Utf8>", naming no file: it reads as
// strings, and beside a file of plain Utf8 strings.
test('readArrow reads dictionary-coded string columns as strings', async () => {
  const kc = new Context({ threads: 0 });
  try {
    const plain = write('plain.arrow', { x: vectorFromArray([1], new Int32()), y: vectorFromArray(['a'], new Utf8()) });
    const coded = join(dir(), 'coded.arrow');
    writeFileSync(coded, tableToIPC(tableFromArrays({ x: Int32Array.from([2, 3, 4]), y: ['b', null, 'b'] }), 'file'));
    assert.deepEqual(await kc.readArrow([plain, coded]).collect(), [
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
      { x: 3, y: null },
      { x: 4, y: 'b' },
    ]);
  } finally {
    await kc.stop();
  }
});
