// `kc.read.jsonl` gave 9007199254740992 for `{"id": 9007199254740993}` read as int64 (or, in PERMISSIVE, null):
// each line goes through `JSON.parse`, which reads numbers as doubles. Spark reads it as a long exactly, DuckDB as
// BIGINT, Polars as i64. Integers past ±2^53 are now read from the line's digits: into int64 and string columns
// given by a schema, by the inference (int64 while int64 holds it, float64 past it, as DuckDB), and an error shows
// the digits as written.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { Context, InputError, sum } from '../../src/index.js';
import { rejectsWith, temporaryDirectory } from '../api/helpers.js';

const dir = temporaryDirectory('json-int64');
let kc: Context;
before(() => {
  kc = new Context({ threads: 2 });
});
after(async () => {
  await kc.stop();
});

const EDGES = [2n ** 53n + 1n, -(2n ** 53n + 1n), 2n ** 63n - 1n, -(2n ** 63n), 1n];

test('read.jsonl: an int64 column holds ±(2^53 + 1), ±(2^63 - 1) and -2^63 exactly, whatever the line around them', async () => {
  const path = join(dir(), 'edges.jsonl');
  const lines = [
    `{"id": ${EDGES[0]}, "s": ${EDGES[0]}}`,
    `{"a": {"id": 5, "s": 6}, "b": [{"id": 7}], "id":${EDGES[1]},"s":${EDGES[1]}}`,
    ` {\t"i\\u0064" :  ${EDGES[2]} , "\\u0073": ${EDGES[2]} } `,
    `{"id": 3, "id": ${EDGES[3]}, "s": "${EDGES[3]}"}`,
    `{"id": 1e0, "s": 1}`,
  ];
  writeFileSync(path, lines.join('\n') + '\n');
  const rows = await kc.read.jsonl(path, { schema: { id: 'int64', s: 'string' }, mode: 'FAILFAST' }).collect();
  assert.deepEqual(
    rows.map((row) => row.id),
    EDGES,
  );
  assert.deepEqual(
    rows.map((row) => row.s),
    EDGES.map(String),
  );
});

test('read.jsonl: an integral exponent or fraction form fits int64 as its value', async () => {
  const path = join(dir(), 'exponent.jsonl');
  writeFileSync(path, '{"v": 1e3}\n{"v": 9.007199254740993e15}\n{"v": 9007199254740993.0}\n{"v": 5.0}\n');
  const rows = await kc.read.jsonl(path, { schema: { v: 'int64' }, mode: 'FAILFAST' }).collect();
  assert.deepEqual(
    rows.map((row) => row.v),
    [1000n, 2n ** 53n + 1n, 2n ** 53n + 1n, 5n],
  );
});

test('read.jsonl: a sum over integers past 2^53 is exact', async () => {
  const path = join(dir(), 'sum.jsonl');
  writeFileSync(path, `{"k":1,"v":${2n ** 60n + 1n}}\n{"k":1,"v":${2n ** 60n + 3n}}\n{"k":1,"v":1}\n`);
  const rows = await kc.read
    .jsonl(path, { schema: { k: 'int32', v: 'int64' } })
    .groupBy('k')
    .agg(sum('v'))
    .collect();
  assert.deepEqual(rows, [{ k: 1, 'sum(v)': 2n ** 61n + 5n }]);
});

test('read.jsonl: past int64 does not fit an int64 column; FAILFAST names file:line, column and the digits', async () => {
  const bad = join(dir(), 'bad.jsonl');
  writeFileSync(bad, '{"v": 1}\n{"v": 18446744073709551616}\n');
  const failing = kc.read.jsonl(bad, { schema: { v: 'int64' }, mode: 'FAILFAST' }).collect();
  const error = await rejectsWith(failing, InputError, 'ERR_INPUT_INVALID_RECORD');
  assert.match(error.message, /bad\.jsonl:2: column 'v': expected int64, found 18446744073709551616 /);
  const path = join(dir(), 'past.jsonl');
  writeFileSync(path, '{"v": 1}\n{"v": 18446744073709551616}\n{"v": 9223372036854775808}\n{"v": 2.5}\n');
  const permissive = await kc.read.jsonl(path, { schema: { v: 'int64' } }).collect();
  assert.deepEqual(permissive, [{ v: 1n }, { v: null }, { v: null }, { v: null }]);
  const dropped = await kc.read.jsonl(path, { schema: { v: 'int64' }, mode: 'DROPMALFORMED' }).collect();
  assert.deepEqual(dropped, [{ v: 1n }]);
});

test('read.jsonl inference: an integer past 2^53 infers int64 and reads exactly; past int64 infers float64', async () => {
  const path = join(dir(), 'infer.jsonl');
  writeFileSync(
    path,
    `{"a": ${EDGES[0]}, "b": 1, "c": 18446744073709551616}\n{"a": ${EDGES[3]}, "b": ${EDGES[2]}, "c": 1}\n`,
  );
  const ds = kc.read.jsonl(path);
  const types = Object.fromEntries((await ds.schema()).map((field) => [field.name, field.type]));
  assert.deepEqual(types, { a: 'int64', b: 'int64', c: 'float64' });
  assert.deepEqual(await ds.collect(), [
    { a: EDGES[0], b: 1n, c: 2 ** 64 },
    { a: EDGES[3], b: EDGES[2], c: 1 },
  ]);
});

test('read.jsonl inference: 2^53 + 1 in a later file than an int32 sample asks for int64 by its digits', async () => {
  const first = join(dir(), 'first.jsonl');
  const second = join(dir(), 'second.jsonl');
  writeFileSync(first, '{"v": 1}\n');
  writeFileSync(second, `{"v": 2}\n{"v": ${EDGES[0]}}\n`);
  const error = await rejectsWith(kc.read.jsonl([first, second]).collect(), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
  assert.match(error.message, /second\.jsonl:2: column 'v': found 9007199254740993, which its type int32/);
  assert.match(error.message, /schema: \{ …, v: 'int64' \}/);
});
