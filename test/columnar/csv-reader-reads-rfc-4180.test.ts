// readCsv against hand-computed files (header, quotes, doubled quotes, empty vs quoted-empty fields, CRLF, BOM,
// inferred types), and against an independent character-level RFC 4180 model on seeded random files with
// adversarial fields, for several split counts (records must never be lost or read twice at split edges); bad
// records are named by file and line under FAILFAST, nulled by PERMISSIVE and dropped by DROPMALFORMED.
// (csv-parse / papaparse are not installed in this workspace, so the reference is the model below.)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { col } from '../../src/index.js';
import { onEveryBackend, temporaryDirectory } from '../api/helpers.js';
import { Rng, testSeed } from './random-rows.js';

const seed = testSeed('csv-reader-reads-rfc-4180');

/** RFC 4180 by the character: records of fields (text and whether it was quoted), CRLF or LF terminated. */
function modelParse(text: string): { text: string; quoted: boolean }[][] {
  const records: { text: string; quoted: boolean }[][] = [];
  let record: { text: string; quoted: boolean }[] = [];
  let field = '';
  let quoted = false;
  let inQuotes = false;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  const endField = () => {
    record.push({ text: field, quoted });
    field = '';
    quoted = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (inQuotes) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') inQuotes = false;
      else field += ch;
    } else if (ch === '"' && field === '') {
      inQuotes = true;
      quoted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      if (!(record.length === 1 && record[0]!.text === '' && !record[0]!.quoted)) records.push(record);
      record = [];
    } else field += ch;
  }
  if (field !== '' || quoted || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}

function quote(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

const ALPHABET = ['a', 'Z', ' ', ',', '"', 'é', '😀', '\t', 'x', '1', '-', '.'];

onEveryBackend('readCsv', (on) => {
  const dir = temporaryDirectory('csv');

  test('reads a header, quotes, nulls and inferred types, hand-computed', async () => {
    const path = join(dir(), 'people.csv');
    writeFileSync(
      path,
      '\uFEFFname,age,score,born,member\r\n' +
        '"Smith, Jo",41,1.5,1983-04-02,true\r\n' +
        'Ann,,2,1990-12-31,false\r\n' +
        '"say ""hi""",7,-0.25,,TRUE\r\n' +
        '"",3,1e3,2000-02-29,\r\n',
    );
    const ds = on.kc().readCsv(path, { header: true, inferSchema: true });
    assert.deepEqual(await ds.collect(), [
      { name: 'Smith, Jo', age: 41, score: 1.5, born: new Date('1983-04-02T00:00:00Z'), member: true },
      { name: 'Ann', age: null, score: 2, born: new Date('1990-12-31T00:00:00Z'), member: false },
      { name: 'say "hi"', age: 7, score: -0.25, born: null, member: true },
      { name: '', age: 3, score: 1000, born: new Date('2000-02-29T00:00:00Z'), member: null },
    ]);
    const table = await ds.toArrow();
    assert.deepEqual(
      table.schema.fields.map((f) => String(f.type)),
      ['Utf8', 'Int32', 'Float64', 'Date32<DAY>', 'Bool'],
    );
    assert.match(
      ds.explain(),
      /readCsv .*people\.csv \[name: utf8, age: int32, score: float64, born: date, member: bool\]/,
    );
  });

  test("a file of only its header keeps its columns: toArrow() has the schema, a join the empty side's columns", async () => {
    const empty = join(dir(), 'header-only.csv');
    writeFileSync(empty, 'k,b\n');
    const left = join(dir(), 'left.csv');
    writeFileSync(left, 'k,a\n1,x\n2,y\n');
    const E = on.kc().readCsv(empty, { header: true, schema: { k: 'int32', b: 'utf8' } });
    const table = await E.toArrow();
    assert.equal(table.numRows, 0);
    assert.deepEqual(
      table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
      ['k: Int32', 'b: Utf8'],
    );
    const L = on.kc().readCsv(left, { header: true, schema: { k: 'int32', a: 'utf8' } });
    const joined = await L.join(E, 'k', 'left').orderBy('k').toArrow();
    assert.deepEqual(
      joined.schema.fields.map((f) => f.name),
      ['k', 'a', 'b'],
    );
    assert.deepEqual(
      joined.toArray().map((row) => row.toJSON()),
      [
        { k: 1, a: 'x', b: null },
        { k: 2, a: 'y', b: null },
      ],
    );
  });

  test('without a header or types, columns are _c0, _c1 … strings (as Spark)', async () => {
    const path = join(dir(), 'plain.csv');
    writeFileSync(path, 'a,1\nb,2\n');
    assert.deepEqual(await on.kc().readCsv(path).collect(), [
      { _c0: 'a', _c1: '1' },
      { _c0: 'b', _c1: '2' },
    ]);
  });

  for (const minPartitions of [1, 3, 17]) {
    test(`matches an RFC 4180 model on seeded random files (${minPartitions} partitions)`, async () => {
      const rng = new Rng(seed + minPartitions);
      const rows = Array.from({ length: 400 }, () => {
        const n = rng.nextInt(12);
        let s = '';
        for (let k = 0; k < n; k++) s += ALPHABET[rng.nextInt(ALPHABET.length)];
        return {
          s: rng.nextInt(9) === 0 ? null : s,
          i: rng.nextInt(7) === 0 ? null : rng.nextInt(2_000_001) - 1_000_000,
        };
      });
      const text = rows
        .map((r) => {
          // Strings are quoted when they must be, and sometimes when they need not be; null is an empty field.
          const needs = r.s !== null && (r.s === '' || /[",\r\n]/.test(r.s) || rng.nextInt(4) === 0);
          return `${r.s === null ? '' : needs ? quote(r.s) : r.s},${r.i ?? ''}`;
        })
        .join(rng.nextInt(2) === 0 ? '\n' : '\r\n');
      const path = join(dir(), `random-${minPartitions}.csv`);
      writeFileSync(path, text);
      const got = await on
        .kc()
        .readCsv(path, { schema: { s: 'string', i: 'int' }, minPartitions })
        .collect();
      const model = modelParse(text).map(([s, i]) => ({
        s: s!.text === '' && !s!.quoted ? null : s!.text,
        i: i!.text === '' ? null : Number(i!.text),
      }));
      assert.deepEqual(model, rows);
      assert.deepEqual(got, model);
    });
  }

  test('a quoted newline needs multiLine; with it, records span lines', async () => {
    const path = join(dir(), 'multi.csv');
    writeFileSync(path, 'id,note\n1,"two\nlines"\n2,plain\n3,"a ""quoted""\r\nbreak"\n');
    await assert.rejects(
      on.kc().readCsv(path, { header: true, mode: 'FAILFAST', minPartitions: 1 }).collect(),
      new RegExp(
        `${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: a quoted field is not closed on its line \\(a quoted newline needs the option multiLine: true\\)`,
      ),
    );
    assert.deepEqual(await on.kc().readCsv(path, { header: true, multiLine: true, inferSchema: true }).collect(), [
      { id: 1, note: 'two\nlines' },
      { id: 2, note: 'plain' },
      { id: 3, note: 'a "quoted"\r\nbreak' },
    ]);
  });

  test('a value that does not fit: FAILFAST names file, line and column; PERMISSIVE nulls it; DROPMALFORMED drops it', async () => {
    const path = join(dir(), 'bad.csv');
    writeFileSync(path, 'k,v\na,1\nb,x2\nc,3,extra\nd,4\n');
    const read = (mode: 'FAILFAST' | 'PERMISSIVE' | 'DROPMALFORMED') =>
      on
        .kc()
        .readCsv(path, { header: true, schema: { k: 'string', v: 'int' }, mode })
        .collect();
    await assert.rejects(read('FAILFAST'), /bad\.csv:3: column 'v': expected int32, found "x2"/);
    assert.deepEqual(await read('PERMISSIVE'), [
      { k: 'a', v: 1 },
      { k: 'b', v: null },
      { k: 'c', v: 3 },
      { k: 'd', v: 4 },
    ]);
    assert.deepEqual(await read('DROPMALFORMED'), [
      { k: 'a', v: 1 },
      { k: 'd', v: 4 },
    ]);
  });

  test("takes Spark's sep for delimiter", async () => {
    const path = join(dir(), 'semicolons.csv');
    writeFileSync(path, 'k;v\na;1\nb;2\n');
    const rows = [
      { k: 'a', v: 1 },
      { k: 'b', v: 2 },
    ];
    assert.deepEqual(await on.kc().readCsv(path, { header: true, sep: ';', inferSchema: true }).collect(), rows);
    assert.deepEqual(await on.kc().read.csv(path, { header: true, delimiter: ';', inferSchema: true }).collect(), rows);
  });

  test('filters and groups what it reads like any dataset', async () => {
    const path = join(dir(), 'sales.csv');
    writeFileSync(path, 'city,amount\nParis,10\nLyon,5\nParis,\nLyon,7\nNice,1\n');
    const got = await on
      .kc()
      .readCsv(path, { header: true, inferSchema: true })
      .filter(col('amount').ge(5))
      .select('city')
      .collect();
    assert.deepEqual(got, [{ city: 'Paris' }, { city: 'Lyon' }, { city: 'Lyon' }]);
  });
});

onEveryBackend('readJson', (on) => {
  const dir = temporaryDirectory('jsonl');

  test('a JSON lines file of blank lines keeps its schema', async () => {
    // (A file of 0 bytes has no split to read at all: that case is not covered here.)
    const path = join(dir(), 'blank.jsonl');
    writeFileSync(path, '\n\n');
    const table = await on
      .kc()
      .readJson(path, { schema: { k: 'int32', b: 'utf8' } })
      .toArrow();
    assert.equal(table.numRows, 0);
    assert.deepEqual(
      table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`),
      ['k: Int32', 'b: Utf8'],
    );
  });

  test('reads JSON lines with inferred or given types, nulls for missing fields', async () => {
    const path = join(dir(), 'events.jsonl');
    writeFileSync(
      path,
      '{"user":"ann","n":1,"x":1.5,"ok":true,"at":"2024-01-01T10:00:00Z"}\n' +
        '\n' +
        '{"user":"bob","n":3000000000,"ok":false}\n' +
        '{"user":null,"n":2,"x":-2,"at":"2024-01-02"}\n',
    );
    assert.deepEqual(await on.kc().readJson(path).collect(), [
      // n holds a number past int32: inferred int64, so bigints.
      { user: 'ann', n: 1n, x: 1.5, ok: true, at: '2024-01-01T10:00:00Z' },
      { user: 'bob', n: 3000000000n, x: null, ok: false, at: null },
      { user: null, n: 2n, x: -2, ok: null, at: '2024-01-02' },
    ]);
    const typed = await on
      .kc()
      .readJson(path, { schema: { user: 'string', n: 'bigint', at: 'timestamp' } })
      .collect();
    assert.deepEqual(typed, [
      { user: 'ann', n: 1n, at: new Date('2024-01-01T10:00:00Z') },
      { user: 'bob', n: 3000000000n, at: null },
      { user: null, n: 2n, at: new Date('2024-01-02T00:00:00Z') },
    ]);
  });

  test('a line that is not an object fails FAILFAST with its file and line', async () => {
    const path = join(dir(), 'broken.jsonl');
    writeFileSync(path, '{"a":1}\n{"a":2\n{"a":3}\n');
    await assert.rejects(
      on
        .kc()
        .readJson(path, { schema: { a: 'int' }, mode: 'FAILFAST' })
        .collect(),
      /broken\.jsonl:2: expected a JSON object, found "\{\\"a\\":2"/,
    );
    assert.deepEqual(
      await on
        .kc()
        .readJson(path, { schema: { a: 'int' }, mode: 'DROPMALFORMED' })
        .collect(),
      [{ a: 1 }, { a: 3 }],
    );
  });
});
