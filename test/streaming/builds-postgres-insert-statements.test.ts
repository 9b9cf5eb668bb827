import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { insertStatements } from '../../src/streaming/sinks/postgres/insert-statements.js';
import { gidOf, queryGidPrefix } from '../../src/streaming/sinks/postgres/gid.js';
import { rowOf, sqlValueOf } from '../../src/streaming/sinks/postgres/sql-values.js';

test('append builds multi-row INSERTs with one parameter per value, columns in first-seen order, missing fields NULL', () => {
  const statements = insertStatements(
    'app.events',
    [
      { id: 1, word: 'a' },
      { word: 'b', extra: true },
    ],
    { kind: 'append' },
  );
  assert.deepEqual(statements, [
    {
      text: 'INSERT INTO "app"."events" ("id", "word", "extra") VALUES ($1, $2, $3), ($4, $5, $6)',
      values: [1, 'a', null, null, 'b', true],
    },
  ]);
});

test('upsert keeps the last row of a repeated key and updates the other columns on conflict', () => {
  const statements = insertStatements(
    'counts',
    [
      ['a', 1],
      ['b', 2],
      ['a', 3],
    ],
    { kind: 'upsert', keyColumns: ['key'] },
  );
  assert.deepEqual(statements, [
    {
      text: 'INSERT INTO "counts" ("key", "value") VALUES ($1, $2), ($3, $4) ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"',
      values: ['b', 2, 'a', 3],
    },
  ]);
  assert.throws(
    () => insertStatements('t', [{ a: 1 }], { kind: 'upsert', keyColumns: ['id'] }),
    /upsert key column "id" is not a field/,
  );
});

test('statements split so no statement passes 65,535 parameters or 2,000 rows', () => {
  const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`c${i}`, i]));
  const statements = insertStatements(
    't',
    Array.from({ length: 1_500 }, () => wide),
    { kind: 'append' },
  );
  assert.deepEqual(
    statements.map((s) => s.values.length),
    [65_500, 65_500, 19_000],
  );
  const narrow = insertStatements(
    't',
    Array.from({ length: 4_500 }, (_, i) => i),
    { kind: 'append' },
  );
  assert.deepEqual(
    narrow.map((s) => s.values.length),
    [2_000, 2_000, 500],
  );
});

test('record and value mapping: pairs, scalars, bigints, Dates, bytes, JSON for objects and arrays', () => {
  assert.deepEqual(rowOf(['k', 2]), { key: 'k', value: 2 });
  assert.deepEqual(rowOf(7), { value: 7 });
  assert.deepEqual(rowOf(new Date(0)), { value: new Date(0) });
  assert.equal(sqlValueOf(12345678901234567890n), '12345678901234567890');
  assert.equal(sqlValueOf(undefined), null);
  assert.deepEqual(sqlValueOf(new Uint8Array([1, 2])), Buffer.from([1, 2]));
  assert.equal(sqlValueOf([1, { a: 2n }]), '[1,{"a":"2"}]');
});

test('gids name query, batch, partition and attempt under a per-query prefix', () => {
  const gid = gidOf('q-1', 12, 3, 1);
  assert.equal(gid, 'kindling:q-1:12:3:1');
  assert.ok(gid.startsWith(queryGidPrefix('q-1')));
  assert.ok(!gid.startsWith(queryGidPrefix('q-')), 'a prefix of one query never matches another query id');
});
