// CSV files read together with `header: true` and no schema are read by position under the first file's header.
// A second file whose header said `v,k` where the first said `k,v` swapped the columns' values without a word, and
// one with an extra column was cut (found reading two files as a user). Now the read fails when it is defined,
// naming the file and both headers; files whose headers match (a byte order mark, quotes and CRLF aside) still read,
// and with a schema headers are skipped unread, as Spark's default.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context } from '../../src/index.js';
import { temporaryDirectory } from './helpers.js';

const dir = temporaryDirectory('csv-headers');
let kc: Context;
before(() => {
  kc = new Context({ threads: 2 });
});
after(async () => {
  await kc.stop();
});

/** Writes the files (name → text) into a fresh directory; returns their paths in order. */
function files(texts: Record<string, string>): string[] {
  const at = dir();
  return Object.entries(texts).map(([name, text]) => {
    writeFileSync(join(at, name), text);
    return join(at, name);
  });
}

for (const [what, second, shown] of [
  ['the same columns in another order', 'v,k\n20,2\n', '"v", "k"'],
  ['an extra column', 'k,v,w\n2,20,x\n', '"k", "v", "w"'],
  ['a missing column', 'k\n2\n', '"k"'],
  ['another name', 'k,value\n2,20\n', '"k", "value"'],
] as const) {
  test(`a second file's header with ${what} fails the read when it is defined, naming both headers`, () => {
    const paths = files({ 'a.csv': 'k,v\n1,10\n', 'b.csv': second });
    for (const inferSchema of [true, false]) {
      assert.throws(
        () => kc.read.csv(paths, { header: true, inferSchema }),
        (error: Error & { code?: string }) => {
          assert.equal(error.code, 'ERR_INPUT_SCHEMA_MISMATCH');
          assert.ok(error.message.startsWith(`${paths[1]}:1: the header names the columns ${shown}; `), error.message);
          assert.match(error.message, new RegExp(`expected "k", "v", as the header of ${paths[0]}`));
          return true;
        },
      );
    }
  });
}

test('files whose headers match read together: a byte order mark, quoted names, CRLF and an empty file', async () => {
  const paths = files({
    'a.csv': 'k,v\n1,10\n',
    'b.csv': '\uFEFF"k","v"\r\n2,20\r\n',
    'c.csv': '',
    'd.csv': 'k,v',
  });
  const rows = await kc.read.csv(paths, { header: true, inferSchema: true }).orderBy('k').collect();
  assert.deepEqual(rows, [
    { k: 1, v: 10 },
    { k: 2, v: 20 },
  ]);
});

test('files without header lines read with header: true fail with a hint to read them without', () => {
  const paths = files({ 'part-0.csv': '1,a,1.5\n2,b,2.5\n', 'part-1.csv': '3,c,0.5\n' });
  assert.throws(() => kc.read.csv(paths, { header: true, inferSchema: true }), {
    code: 'ERR_INPUT_SCHEMA_MISMATCH',
    message:
      /the header names the columns "3", "c", "0\.5"; .*if the files have no header line, read them with header: false/,
  });
  assert.doesNotThrow(() => kc.read.csv(paths, { header: false, inferSchema: true }));
});

test('with a schema, headers are skipped unread and every file is read by position', async () => {
  const paths = files({ 'a.csv': 'K,V\n1,10\n', 'b.csv': 'v,k\n20,2\n' });
  const rows = await kc.read
    .csv(paths, { header: true, schema: { k: 'int32', v: 'int32' } })
    .orderBy('k')
    .collect();
  assert.deepEqual(rows, [
    { k: 1, v: 10 },
    { k: 20, v: 2 },
  ]);
});
