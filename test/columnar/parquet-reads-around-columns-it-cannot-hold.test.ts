// A Parquet file with columns a dataset cannot hold (lists, structs, maps, fixed-length binary, time of day) still
// reads, as in Spark and Polars, when the query never reads them: the columns after a nested one come from the
// right column chunks (a struct has several), value for value as DuckDB reads them. A query that reads one fails
// naming the file, the column and its Parquet type. Unsigned 64-bit integers read as int64, exact, as DuckDB's
// UBIGINT; a value past int64 fails the read naming the file, row group, column and value, instead of wrapping.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

import { col, Context, InputError } from '../../src/index.js';
import { rejectsWith, temporaryDirectory } from '../api/helpers.js';

describe('kc.read.parquet reads around the columns a dataset cannot hold', () => {
  const dir = temporaryDirectory('parquet-unreadable-columns');
  let kc: Context;
  let instance: DuckDBInstance;
  let db: DuckDBConnection;
  const file = () => join(dir(), 'mixed.parquet');
  const huge = () => join(dir(), 'huge.parquet');

  before(async () => {
    kc = new Context({ threads: 2 });
    instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    db = await instance.connect();
    await db.run(
      `COPY (SELECT i::INT AS id, [i, i + 1] AS lst,
         {'a': i, 'b': 'x' || i, 'c': [i]} AS st, MAP {'k': i} AS mp,
         CASE WHEN i % 4 = 0 THEN NULL ELSE (i * 1000003)::UBIGINT END AS u,
         TIME '10:00:00' + i * INTERVAL 1 SECOND AS tm,
         CASE WHEN i % 3 = 0 THEN NULL ELSE 'w' || (i % 5) END AS s
       FROM range(50) t(i)) TO '${file()}' (FORMAT parquet, ROW_GROUP_SIZE 20)`,
    );
    await db.run(
      `COPY (SELECT i::INT AS id, CASE WHEN i = 7 THEN 18446744073709551615::UBIGINT ELSE i::UBIGINT END AS u
       FROM range(10) t(i)) TO '${huge()}' (FORMAT parquet)`,
    );
  });
  after(async () => {
    await kc.stop();
    db.closeSync();
    instance.closeSync();
  });

  const duck = async (sql: string) => (await db.runAndReadAll(sql)).getRowObjectsJS();

  test('columns before and after nested ones read as DuckDB reads them', async () => {
    const rows = await kc.read.parquet(file()).select('id', 'u', 's').orderBy('id').collect();
    const expected = await duck(`SELECT id, u::BIGINT AS u, s FROM '${file()}' ORDER BY id`);
    assert.equal(rows.length, 50);
    assert.deepEqual(rows, expected);
    const sum = await kc.read.parquet(file()).filter(col('u').gt(10_000_000)).select('u').count();
    assert.equal(sum, Number((await duck(`SELECT count(*) AS n FROM '${file()}' WHERE u > 10000000`))[0]!.n));
  });

  test('a query reading an unreadable column fails naming the file, the column and its Parquet type', async () => {
    const ds = kc.read.parquet(file());
    const listed = await rejectsWith(ds.select('id', 'lst').collect(), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.ok(listed.message.includes(`${file()}: column 'lst' has Parquet type LIST`), listed.message);
    assert.match(listed.message, /the query reads it/);
    const time = await rejectsWith(
      ds.filter(col('tm').isNull()).select('id').collect(),
      InputError,
      'ERR_INPUT_SCHEMA_MISMATCH',
    );
    assert.match(time.message, /column 'tm' has Parquet type INT64 \(TIME\)/);
    const every = await rejectsWith(ds.collect(), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.match(every.message, /column 'lst' has Parquet type LIST.*reads every column: select the ones it needs/);
    assert.match(ds.explain(), /st: group \(struct\) \(unreadable\), mp: MAP \(unreadable\)/);
  });

  test('an unsigned 64-bit value past int64 fails the read naming it, instead of wrapping', async () => {
    const ds = kc.read.parquet(huge());
    assert.equal(await ds.select('id').count(), 10);
    const error = await rejectsWith(ds.select('u').collect(), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.ok(
      error.message.includes(`${huge()}: row group 0, column 'u': unsigned 64-bit value 18446744073709551615`),
      error.message,
    );
  });
});
