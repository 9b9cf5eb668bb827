// A task attempt still running when its batch committed (a straggler, a hung attempt presumed lost) may PREPARE its
// transaction afterwards. It holds row locks until someone rolls it back: the next batch's commit does, but when
// the query ends first it waited for the next start. The sink's close() now rolls back, when the query's loop ends,
// what is still prepared for batches up to the last committed one, and leaves later batches alone (a restart may
// commit them: their handles can be recorded). Stragglers are made here by hand with the query's own gids.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { Context } from '../../src/index.js';
import { gidOf } from '../../src/streaming/sinks/postgres/gid.js';
import { freshDir } from './stream-fixtures.js';
import { PG_URL, preparedGids, query, serversAvailable, uniqueName, withPg } from './external-servers.js';

async function prepareByHand(table: string, gid: string, id: number): Promise<void> {
  await withPg(async (client) => {
    await client.query('BEGIN');
    await client.query(`INSERT INTO ${table} (id) VALUES ($1)`, [id]);
    await client.query(`PREPARE TRANSACTION '${gid}'`);
  });
}

test('when a postgres query ends, a straggler prepared for a committed batch is rolled back, a later batch kept', async (t) => {
  if (!(await serversAvailable(t))) return;
  const table = uniqueName('pgsink_straggler');
  await query(`CREATE TABLE ${table} (id int)`);
  const checkpoint = join(freshDir('pgsink-straggler'), 'ckpt');
  const kc = new Context({ threads: 2 });
  const madeByHand: string[] = [];
  try {
    const run = async (ids: number[]) => {
      const input = kc.readStream.memory<{ id: number }>({ numPartitions: 2 });
      input.addData(...ids.map((id) => ({ id })));
      const running = input.writeStream
        .format('postgres')
        .option('connection', PG_URL)
        .option('table', table)
        .option('checkpointLocation', checkpoint)
        .trigger({ availableNow: true })
        .start();
      await running.awaitTermination();
      return running.id;
    };
    const queryId = await run([1, 2, 3]);
    assert.deepEqual(await preparedGids(queryId), []);

    const straggler = gidOf(queryId, 0, 1, 7);
    const laterBatch = gidOf(queryId, 1, 0, 0);
    madeByHand.push(straggler, laterBatch);
    await prepareByHand(table, straggler, 100);
    await prepareByHand(table, laterBatch, 200);
    // The same query again, with nothing new to read: it recovers, finds no batch to run, and its loop ends.
    assert.equal(await run([]), queryId);

    assert.deepEqual(await preparedGids(queryId), [laterBatch]);
    const rows = await query<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
    assert.deepEqual(rows, [{ id: 1 }, { id: 2 }, { id: 3 }]);
  } finally {
    // Both, whatever the outcome: a prepared transaction left behind holds its locks, and DROP TABLE would wait.
    for (const gid of madeByHand) await query(`ROLLBACK PREPARED '${gid}'`).catch(() => {});
    await kc.stop();
    await query(`DROP TABLE IF EXISTS ${table}`);
  }
});
