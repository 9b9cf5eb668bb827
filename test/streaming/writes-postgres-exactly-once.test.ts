import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Context, StreamingQueryError } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';
import { PG_URL, preparedGids, query, serversAvailable, uniqueName } from './external-servers.js';

test('the postgres sink writes every JS value kind with the documented mapping, in one prepared transaction per partition, none left prepared', async (t) => {
  if (!(await serversAvailable(t))) return;
  const table = uniqueName('pgsink_types');
  await query(
    `CREATE TABLE ${table} (id int, n double precision, big bigint, s text, b boolean, at timestamptz, raw bytea, doc jsonb, note text)`,
  );
  const kc = new Context({ threads: 2 });
  try {
    const input = kc.readStream.memory<Record<string, unknown>>({ numPartitions: 2 });
    input.addData(
      {
        id: 1,
        n: 1.5,
        big: 9007199254740993n,
        s: 'it\'s "quoted"',
        b: true,
        at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        raw: Buffer.from([0, 255, 7]),
        doc: { a: [1, 'x'] },
        note: 'first',
      },
      { id: 2, n: Number.NaN, big: -1n, s: '', b: false, at: null, raw: null, doc: [1, 2], note: undefined },
      { id: 3, n: Number.POSITIVE_INFINITY, s: 'ünïcödé ✓' },
    );
    const query1 = input.writeStream
      .format('postgres')
      .option('connection', PG_URL)
      .option('table', table)
      .option('checkpointLocation', join(freshDir('pgsink-types'), 'ckpt'))
      .trigger({ availableNow: true })
      .start();
    await query1.awaitTermination();
    const rows = await query<Record<string, unknown>>(
      `SELECT id, n, big::text AS big, s, b, at, encode(raw, 'hex') AS raw, doc, note FROM ${table} ORDER BY id`,
    );
    assert.deepEqual(rows, [
      {
        id: 1,
        n: 1.5,
        big: '9007199254740993',
        s: 'it\'s "quoted"',
        b: true,
        at: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
        raw: '00ff07',
        doc: { a: [1, 'x'] },
        note: 'first',
      },
      { id: 2, n: Number.NaN, big: '-1', s: '', b: false, at: null, raw: null, doc: [1, 2], note: null },
      {
        id: 3,
        n: Number.POSITIVE_INFINITY,
        big: null,
        s: 'ünïcödé ✓',
        b: null,
        at: null,
        raw: null,
        doc: null,
        note: null,
      },
    ]);
    assert.deepEqual(await preparedGids(query1.id), []);
  } finally {
    await kc.stop();
    await query(`DROP TABLE IF EXISTS ${table}`);
  }
});

test('the postgres sink upserts [key, value] pairs of a stateful word count on its key column, and never writes credentials to the checkpoint', async (t) => {
  if (!(await serversAvailable(t))) return;
  const table = uniqueName('pgsink_counts');
  await query(`CREATE TABLE ${table} (key text PRIMARY KEY, value bigint NOT NULL)`);
  const root = freshDir('pgsink-upsert');
  const kc = new Context({ threads: 2 });
  try {
    const input = kc.readStream.memory<string>({ numPartitions: 2, maxRecordsPerTrigger: 3 });
    const lines = ['a b a', 'c', 'b b', 'a', 'd a c', 'e'];
    input.addData(...lines);
    const counts = input
      .flatMap((line: string) => line.split(' '))
      .map((word: string) => [word, 1] as [string, number])
      .reduceByKey((a: number, b: number) => a + b, 3)
      .updateStateByKey((news: number[], total: number | undefined) => (total ?? 0) + news.reduce((a, b) => a + b, 0), {
        numPartitions: 3,
      });
    const started = counts.writeStream
      .format('postgres')
      .option('connection', PG_URL)
      .option('table', table)
      .option('mode', 'upsert')
      .option('keyColumns', ['key'])
      .option('checkpointLocation', join(root, 'ckpt'))
      .trigger({ availableNow: true })
      .start();
    await started.awaitTermination();
    assert.equal(started.recentProgress.length, 2);
    const rows = await query<{ key: string; value: string }>(
      `SELECT key, value::text AS value FROM ${table} ORDER BY key`,
    );
    assert.deepEqual(rows, [
      { key: 'a', value: '4' },
      { key: 'b', value: '3' },
      { key: 'c', value: '2' },
      { key: 'd', value: '1' },
      { key: 'e', value: '1' },
    ]);
    assert.deepEqual(await preparedGids(started.id), []);
    const password = decodeURIComponent(new URL(PG_URL!).password);
    if (password.length > 0) {
      for (const file of filesUnder(join(root, 'ckpt'))) {
        assert.ok(!readFileSync(file).includes(password), `${file} holds the database password`);
      }
    }
    const handles = readFileSync(join(root, 'ckpt', 'handles', '0'), 'utf8');
    assert.match(handles, new RegExp(`kindling:${started.id}:0:\\d:0`), 'the handle log records the gids');
  } finally {
    await kc.stop();
    await query(`DROP TABLE IF EXISTS ${table}`);
  }
});

test('the postgres sink refuses a missing table and a server without prepared transactions with clear errors', async (t) => {
  if (!(await serversAvailable(t))) return;
  const kc = new Context({ threads: 0 });
  try {
    const input = kc.readStream.memory<number>();
    input.addData(1);
    const started = input.writeStream
      .format('postgres')
      .option('connection', PG_URL)
      .option('table', 'no_such_table_here')
      .option('checkpointLocation', join(freshDir('pgsink-missing'), 'ckpt'))
      .trigger({ availableNow: true })
      .start();
    await assert.rejects(started.awaitTermination(), (error: unknown) => {
      assert.ok(error instanceof StreamingQueryError);
      assert.equal(error.code, 'ERR_STREAM_SINK');
      assert.match(error.message, /the table no_such_table_here does not exist/);
      return true;
    });
  } finally {
    await kc.stop();
  }
});

test('format("postgres") checks its options when the query starts: table, mode, keyColumns, connection, typos', () => {
  const kc = new Context({ threads: 0 });
  const writer = () =>
    kc.readStream.memory<number>().writeStream.format('postgres').option('checkpointLocation', freshDir('pgsink-opts'));
  assert.throws(() => writer().start(), /option\('table'\) expects a table name/);
  assert.throws(
    () => writer().option('table', 't').option('mode', 'merge').start(),
    /option\('mode'\) expects 'append' or 'upsert', found "merge"/,
  );
  assert.throws(() => writer().option('table', 't').option('mode', 'upsert').start(), /option\('keyColumns'\) expects/);
  assert.throws(
    () => writer().option('table', 't').option('connection', 'mysql://u:secret@h/db').start(),
    (error: unknown) =>
      error instanceof Error && /postgres:\/\/ URL/.test(error.message) && !error.message.includes('secret'),
  );
  assert.throws(
    () => writer().option('table', 't').option('tabel', 'x').start(),
    /unknown option 'tabel': did you mean 'table'\?/,
  );
  void kc.stop();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
