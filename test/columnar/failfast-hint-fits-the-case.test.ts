// The last sentence of a FAILFAST error says what the user can do about the record: with a schema they passed,
// change that schema (never "pass a schema"); for a record whose fields or quoting are wrong, only the modes (no
// schema mends a field count). Same for readCsv and readJson. (A value that does not fit an inferred type fails in
// every mode with its own error: a-value-an-inferred-type-cannot-hold-fails-the-read-in-every-mode.test.ts.)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context } from '../../src/index.js';
import { temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('failfast-hint');
let kc: Context;
before(() => {
  kc = new Context({ threads: 0 });
});
after(async () => {
  await kc.stop();
});

/** The message of the error `promise` rejects with. */
async function messageOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error.message;
  }
  assert.fail('expected the read to fail');
}

test('readCsv: a value that does not fit a given schema points at that schema', async () => {
  const path = join(dir(), 'given.csv');
  writeFileSync(path, 'k,v\na,1\nb,x2\n');
  const message = await messageOf(
    kc.readCsv(path, { header: true, schema: { k: 'string', v: 'int' }, mode: 'FAILFAST' }).collect(),
  );
  assert.match(message, /column 'v': expected int32, found "x2"/);
  assert.match(message, /Change the schema's type of column 'v', or use mode 'PERMISSIVE'/);
  assert.doesNotMatch(message, /Pass a schema/);
});

test('readCsv: a record with the wrong field count offers only the modes', async () => {
  const path = join(dir(), 'fields.csv');
  writeFileSync(path, 'k,v\na,1\nc,3,extra\n');
  for (const options of [{ schema: { k: 'string', v: 'int' } }, { inferSchema: true }]) {
    const message = await messageOf(kc.readCsv(path, { header: true, mode: 'FAILFAST', ...options }).collect());
    assert.match(message, /fields.csv:3: expected 2 fields, found 3/);
    assert.match(message, /\. Use mode 'PERMISSIVE' \(nulls what does not fit\) or 'DROPMALFORMED'/);
    assert.doesNotMatch(message, /schema/);
  }
});

test('readJson: the same hints for a given schema and a line that is not an object', async () => {
  const typed = join(dir(), 'typed.jsonl');
  writeFileSync(typed, '{"v":1}\n{"v":"x2"}\n');
  const given = await messageOf(kc.readJson(typed, { schema: { v: 'int' }, mode: 'FAILFAST' }).collect());
  assert.match(given, /typed.jsonl:2: column 'v'/);
  assert.match(given, /Change the schema's type of column 'v'/);
  assert.doesNotMatch(given, /Pass a schema/);
  const broken = join(dir(), 'broken.jsonl');
  writeFileSync(broken, '{"v":1}\n[2]\n');
  const shape = await messageOf(kc.readJson(broken, { schema: { v: 'int' }, mode: 'FAILFAST' }).collect());
  assert.match(shape, /broken.jsonl:2: expected a JSON object/);
  assert.doesNotMatch(shape, /schema/);
});
