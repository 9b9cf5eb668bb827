import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { join } from 'node:path';
import { CRASH_POINTS } from '../../src/streaming/crash-points.js';
import { freshDir, runNodeScript } from './stream-fixtures.js';
import { createStream, deleteStream, preparedGids, query, serversAvailable, uniqueName } from './external-servers.js';
import {
  JETSTREAM_TO_POSTGRES_CLI,
  cliArgs,
  createTable,
  queryIdOf,
  seededWords,
  tableContent,
} from './jetstream-postgres-kill-runner.js';

test('JetStream to PostgreSQL killed at each step of batch 1 leaves in-doubt transactions that the restart commits (handles recorded) or rolls back (not recorded)', async (t) => {
  if (!(await serversAvailable(t))) return;
  const stream = uniqueName('CRASH').toUpperCase();
  const words = seededWords(11, 200);
  await createStream(
    stream,
    words.map((word) => ({ word })),
    (i) => `${stream}.${i % 2}`,
  );
  const tables: string[] = [];
  try {
    const reference = uniqueName('crash_ref');
    tables.push(reference);
    await createTable('events', reference);
    const first = await runNodeScript(
      JETSTREAM_TO_POSTGRES_CLI,
      cliArgs('events', stream, reference, join(freshDir('crash-ref'), 'ckpt')),
    );
    assert.equal(first.code, 0, first.stderr);
    const expected = await tableContent('events', reference);
    assert.equal(expected.length, 200);
    // during-cleanup is a step of stateful queries only (state retention): this query has no state.
    for (const point of CRASH_POINTS.filter((p) => p !== 'during-cleanup')) {
      const table = uniqueName('crash');
      tables.push(table);
      await createTable('events', table);
      const checkpoint = join(freshDir('crash'), 'ckpt');
      const crashed = await runNodeScript(
        JETSTREAM_TO_POSTGRES_CLI,
        cliArgs('events', stream, table, checkpoint, ['--crash-at', `${point}:1`]),
      );
      assert.equal(crashed.signal, 'SIGKILL', `${point}: ${crashed.stderr}`);
      const queryId = queryIdOf(checkpoint);
      const inDoubt = await preparedGids(queryId);
      const visible = (await tableContent('events', table)).length;
      if (point === 'after-prepare' || point === 'after-handles') {
        // Batch 1's partitions are prepared, not visible: batch 0's 60 rows are.
        assert.deepEqual(
          inDoubt.map((gid) => gid.split(':')[2]),
          inDoubt.map(() => '1'),
          point,
        );
        assert.ok(inDoubt.length >= 1, `${point}: batch 1 left prepared transactions`);
        assert.equal(visible, 60, point);
      } else {
        assert.deepEqual(inDoubt, [], point);
      }
      const restarted = await runNodeScript(JETSTREAM_TO_POSTGRES_CLI, cliArgs('events', stream, table, checkpoint));
      assert.equal(restarted.code, 0, `${point}: ${restarted.stderr}`);
      assert.deepEqual(await tableContent('events', table), expected, point);
      assert.deepEqual(await preparedGids(queryId), [], point);
    }
  } finally {
    await deleteStream(stream);
    for (const table of tables) await query(`DROP TABLE IF EXISTS ${table}`);
  }
});
