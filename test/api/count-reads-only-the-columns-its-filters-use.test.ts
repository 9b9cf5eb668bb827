// ds.count() used to run `toRDD().count()`: every column of every row decoded and made into a JS object, only to be
// counted, so a Parquet column that cannot be decoded (a value past int64) failed a count that never needed it.
// Now count is a global count aggregate, as Spark's: the source reads only the columns the pending filters use (a
// Parquet scan decodes none and takes row counts from the row groups' metadata). The count is checked here for
// every source, with and without a filter, and the filter's own columns are still read.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';
import { Int32, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';

import { col, Context, InputError } from '../../src/index.js';
import { rejectsWith, temporaryDirectory } from './helpers.js';

/** 50 rows: `id` 0…49 and `s`, null where id % 3 == 0, else 'w' + id % 5. */
const ROWS = Array.from({ length: 50 }, (_, id) => ({ id, s: id % 3 === 0 ? null : `w${id % 5}` }));
const KEPT = ROWS.filter((r) => r.id >= 20 && r.s !== null).length;

describe('ds.count() reads only the columns its filters use', () => {
  const dir = temporaryDirectory('count-reads-no-columns');
  let kc: Context;
  const path = (name: string) => join(dir(), name);

  before(async () => {
    kc = new Context({ threads: 2 });
    writeFileSync(path('rows.csv'), `id,s\n${ROWS.map((r) => `${r.id},${r.s ?? ''}`).join('\n')}\n`);
    writeFileSync(path('rows.jsonl'), `${ROWS.map((r) => JSON.stringify(r)).join('\n')}\n`);
    writeFileSync(path('rows.txt'), `${ROWS.map((r) => `${r.id} ${r.s ?? ''}`).join('\n')}\n`);
    writeFileSync(path('rows.arrow'), tableToIPC(arrowTable(), 'file'));
    const instance = await DuckDBInstance.create(':memory:', { threads: '1' });
    const db = await instance.connect();
    try {
      await db.run(
        `COPY (SELECT i::INT AS id, CASE WHEN i % 3 = 0 THEN NULL ELSE 'w' || (i % 5) END AS s, [i, i + 1] AS lst,
           CASE WHEN i = 7 THEN 18446744073709551615::UBIGINT ELSE i::UBIGINT END AS u
         FROM range(50) t(i)) TO '${path('rows.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 20)`,
      );
    } finally {
      db.closeSync();
      instance.closeSync();
    }
  });
  after(async () => {
    await kc.stop();
  });

  function arrowTable(): Table {
    return new Table({
      id: vectorFromArray(
        ROWS.map((r) => r.id),
        new Int32(),
      ),
      s: vectorFromArray(
        ROWS.map((r) => r.s),
        new Utf8(),
      ),
    });
  }

  test('counts every source right, with and without a filter', async () => {
    const kept = col('id').ge(20).and(col('s').isNotNull());
    const sources = {
      csv: () => kc.readCsv(path('rows.csv'), { header: true, schema: { id: 'int', s: 'string' } }),
      json: () => kc.readJson(path('rows.jsonl')),
      arrow: () => kc.readArrow(path('rows.arrow')),
      parquet: () => kc.read.parquet(path('rows.parquet')),
      fromArrow: () => kc.fromArrow(arrowTable()),
      fromColumns: () => kc.fromColumns({ id: Int32Array.from(ROWS, (r) => r.id), s: ROWS.map((r) => r.s) }),
      rdd: () => kc.parallelize(ROWS, 3).toDataset(),
    };
    for (const [name, source] of Object.entries(sources)) {
      assert.equal(await source().count(), 50, name);
      assert.equal(await source().filter(kept).count(), KEPT, `${name}, filtered`);
      assert.equal(await source().filter(col('id').lt(0)).count(), 0, `${name}, nothing kept`);
    }
    assert.equal(await kc.readText(path('rows.txt')).count(), 50);
    assert.equal(
      await kc.readText(path('rows.txt')).filter(col('value').endsWith('w1')).count(),
      ROWS.filter((r) => r.s === 'w1').length,
    );
  });

  test('a Parquet column that cannot be decoded fails a count only when a filter reads it', async () => {
    const ds = kc.read.parquet(path('rows.parquet'));
    // `u` holds a value past int64 (its decoding fails), `lst` a list (a type no dataset holds).
    await rejectsWith(ds.select('u').collect(), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.equal(await ds.count(), 50);
    assert.equal(await ds.filter(col('id').ge(20).and(col('s').isNotNull())).count(), KEPT);
    const error = await rejectsWith(ds.filter(col('u').gt(3)).count(), InputError, 'ERR_INPUT_SCHEMA_MISMATCH');
    assert.match(error.message, /column 'u': unsigned 64-bit value 18446744073709551615/);
  });
});
