// Types inferred from a sample (the first 4 MiB of the first file) can miss a later value: an int column in the
// first file and a 64-bit number, a decimal or a word in the second. PERMISSIVE made it null and DROPMALFORMED
// dropped its record, so a sum over two CSV files came back 6 instead of 2^60 + 6 without an error. Spark infers
// from all the data (its modes never null a value for a type of its own inference) and DuckDB and Polars fail, so
// such a value fails the read in every mode, naming the value, where it is, the sampled file and a type that holds
// it; a record whose shape is wrong still follows the mode. JSON strings take numbers as their text, as Spark's.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context, count, sum } from '../../src/index.js';
import { temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('inferred-type-miss');
const MODES = ['PERMISSIVE', 'DROPMALFORMED', 'FAILFAST'] as const;
let kc: Context;
before(() => {
  kc = new Context({ threads: 2 });
});
after(async () => {
  await kc.stop();
});

/** The error `promise` rejects with. */
async function errorOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected the read to fail');
}

for (const [later, holdsBoth] of [
  ['1152921504606846977', 'int64'],
  ['2.5', 'float64'],
  ['x2', 'string'],
] as const) {
  test(`readCsv: "${later}" in a second file fails an int32 column inferred from the first, in every mode`, async () => {
    const first = join(dir(), `first-${holdsBoth}.csv`);
    const second = join(dir(), `second-${holdsBoth}.csv`);
    writeFileSync(first, 'k,v\n1,1\n1,2\n');
    writeFileSync(second, `k,v\n1,3\n1,${later}\n`);
    for (const mode of MODES) {
      const ds = kc.read.csv([first, second], { header: true, inferSchema: true, mode });
      const error = await errorOf(ds.groupBy('k').agg(sum('v'), count()).collect());
      assert.equal(error.code, 'ERR_INPUT_SCHEMA_MISMATCH', `${mode}: ${error.message}`);
      assert.match(error.message, new RegExp(`second-${holdsBoth}\\.csv:3: column 'v': found "${later}"`));
      assert.match(
        error.message,
        new RegExp(`its type int32, inferred from the first 4 MiB of .*first-${holdsBoth}\\.csv`),
      );
      assert.match(error.message, new RegExp(`schema: \\{ …, v: '${holdsBoth}' \\}`));
    }
  });
}

test('readCsv: with the type the error asks for, the sum over both files is exact', async () => {
  const first = join(dir(), 'exact-1.csv');
  const second = join(dir(), 'exact-2.csv');
  writeFileSync(first, 'k,v\n1,1\n1,2\n');
  writeFileSync(second, 'k,v\n1,1152921504606846977\n1,3\n');
  const rows = await kc.read
    .csv([first, second], { header: true, schema: { k: 'int32', v: 'int64' } })
    .groupBy('k')
    .agg(sum('v'), count())
    .collect();
  assert.deepEqual(rows, [{ k: 1, 'sum(v)': 2n ** 60n + 7n, count: 4 }]);
});

test('readCsv: with inferred types, a record of the wrong shape still follows the mode', async () => {
  const path = join(dir(), 'shape.csv');
  writeFileSync(path, 'k,v\n1,1\n2\n3,3\n');
  const permissive = await kc.read.csv(path, { header: true, inferSchema: true }).collect();
  assert.deepEqual(permissive, [
    { k: 1, v: 1 },
    { k: 2, v: null },
    { k: 3, v: 3 },
  ]);
  const dropped = await kc.read.csv(path, { header: true, inferSchema: true, mode: 'DROPMALFORMED' }).collect();
  assert.deepEqual(dropped, [
    { k: 1, v: 1 },
    { k: 3, v: 3 },
  ]);
});

test('readJson: a decimal in a second file fails an int32 field inferred from the first, in every mode', async () => {
  const first = join(dir(), 'first.jsonl');
  const second = join(dir(), 'second.jsonl');
  writeFileSync(first, '{"k":1,"v":1}\n{"k":1,"v":2}\n');
  writeFileSync(second, '{"k":1,"v":2.5}\n');
  for (const mode of MODES) {
    const error = await errorOf(kc.read.jsonl([first, second], { mode }).agg(sum('v')).collect());
    assert.equal(error.code, 'ERR_INPUT_SCHEMA_MISMATCH', `${mode}: ${error.message}`);
    assert.match(error.message, /second\.jsonl:1: column 'v': found 2\.5, which its type int32, inferred from/);
    assert.match(error.message, /schema: \{ …, v: 'float64' \}/);
  }
});

test('readJson: a field inferred string from a number and a string keeps the number as its text', async () => {
  const path = join(dir(), 'mixed.jsonl');
  writeFileSync(path, '{"v":1}\n{"v":"x2"}\n{"v":true}\n{"v":null}\n');
  const rows = await kc.read.jsonl(path, { mode: 'FAILFAST' }).collect();
  assert.deepEqual(rows, [{ v: '1' }, { v: 'x2' }, { v: 'true' }, { v: null }]);
});
