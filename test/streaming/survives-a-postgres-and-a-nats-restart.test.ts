/**
 * A PostgreSQL restart and a NATS restart in the middle of a running query: each step retries with backoff while
 * the server is away, or the query fails with a clear error and a restart of the query finishes the work; either
 * way the table ends with every message exactly once and no prepared transaction left.
 *
 * The PostgreSQL test restarts the server the tests use with the command in KINDLING_TEST_PG_RESTART (.ci/run sets
 * it; locally e.g. `pg_ctlcluster 15 main restart` as root), and skips without it outside CI. The NATS test starts
 * a private nats-server (KINDLING_TEST_NATS_SERVER, else `nats-server` on the PATH or /usr/sbin/nats-server).
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { exec, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Context, KindlingError, type JetStreamRecord, type StreamingQuery } from '../../src/index.js';
import { freshDir } from './stream-fixtures.js';
import {
  NATS_URL,
  PG_URL,
  createStream,
  deleteStream,
  preparedGids,
  publishMore,
  query,
  serversAvailable,
  uniqueName,
} from './external-servers.js';
import { withPostgresToMyself } from './postgres-restart-gate.js';

const REQUIRED = process.env['CI'] === 'true';

/** Waits (polling an outside server, not a thread) until `condition` holds; throws after `timeoutMs`. */
async function waitFor(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const deadlineMs = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Starts the append query JetStream → PostgreSQL in this process, polling for new messages. */
function startQuery(kc: Context, servers: string, stream: string, table: string, checkpoint: string): StreamingQuery {
  return kc.readStream
    .jetstream<{ n: number }>({ servers, stream, decode: 'json', maxMessagesPerTrigger: 10, retryMs: 30_000 })
    .map((m: JetStreamRecord<{ n: number }>) => ({ seq: m.sequence, n: m.data.n }))
    .writeStream.format('postgres')
    .option('connection', PG_URL)
    .option('table', table)
    .option('retryMs', 30_000)
    .option('checkpointLocation', checkpoint)
    .trigger({ processingTimeMs: 0 })
    .start();
}

/**
 * Runs the query over 100 messages, then publishes 100 more and calls `restartServer` while they are processed;
 * if the query fails, checks the error is clear and restarts the query. Returns what the table holds at the end.
 */
async function runThroughRestart(
  servers: string,
  stream: string,
  restartServer: () => Promise<void>,
): Promise<{ rows: { seq: string; n: number }[]; failure: string | null; queryId: string }> {
  const table = uniqueName('restart');
  await query(`CREATE TABLE ${table} (seq bigint NOT NULL, n int NOT NULL)`);
  const checkpoint = join(freshDir('restart'), 'ckpt');
  const kc = new Context({ threads: 2 });
  let failure: string | null = null;
  try {
    const count = async (): Promise<number> =>
      Number((await query<{ c: string }>(`SELECT count(*) AS c FROM ${table}`))[0]!.c);
    let running = startQuery(kc, servers, stream, table, checkpoint);
    await waitFor('the first 100 rows', async () => (await count()) >= 100);
    await publishMore(
      stream,
      Array.from({ length: 100 }, (_, i) => ({ n: 100 + i })),
      undefined,
      servers,
    );
    await restartServer();
    const finished = await Promise.race([
      waitFor('all 200 rows', async () => (await count()) >= 200, 90_000).then(() => 'done' as const),
      running.awaitTermination().then(
        () => 'stopped' as const,
        (error: unknown) => {
          failure = error instanceof KindlingError ? `${error.code}: ${error.message}` : String(error);
          return 'failed' as const;
        },
      ),
    ]);
    if (finished === 'failed') {
      running = startQuery(kc, servers, stream, table, checkpoint);
      await waitFor('all 200 rows after restarting the query', async () => (await count()) >= 200, 90_000);
    }
    await running.stop();
    const rows = await query<{ seq: string; n: number }>(`SELECT seq, n FROM ${table} ORDER BY seq, n`);
    return { rows, failure, queryId: running.id };
  } finally {
    await kc.stop();
    await query(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
  }
}

function assertExactlyOnce(rows: readonly { seq: string; n: number }[]): void {
  assert.equal(rows.length, 200, `200 rows, found ${rows.length}`);
  assert.deepEqual(
    rows.map((row) => [Number(row.seq), row.n]),
    Array.from({ length: 200 }, (_, i) => [i + 1, i]),
  );
}

test('a PostgreSQL restart in the middle of a query: the sink retries with backoff (or fails clearly and a restart finishes), every message once', async (t) => {
  if (!(await serversAvailable(t))) return;
  const restart = process.env['KINDLING_TEST_PG_RESTART'];
  if (restart === undefined) {
    if (REQUIRED)
      throw new Error('CI=true requires KINDLING_TEST_PG_RESTART (the command that restarts the test PostgreSQL)');
    t.skip(
      'skipped: set KINDLING_TEST_PG_RESTART to a command that restarts the test PostgreSQL (e.g. "pg_ctlcluster 15 main restart" as root)',
    );
    return;
  }
  const stream = uniqueName('PGRESTART').toUpperCase();
  await createStream(
    stream,
    Array.from({ length: 100 }, (_, i) => ({ n: i })),
  );
  try {
    // Other test files' PostgreSQL tests finish first, and wait while this one restarts the server.
    const { rows, failure, queryId } = await withPostgresToMyself(() =>
      runThroughRestart(NATS_URL!, stream, async () => {
        await new Promise<void>((resolve, reject) =>
          exec(restart, (error) => (error === null ? resolve() : reject(error))),
        );
      }),
    );
    if (failure !== null) assert.match(failure, /ERR_STREAM_(SINK|QUERY_FAILED).*(PostgreSQL|postgres)/s);
    console.log(
      failure === null
        ? 'the query rode out the restart'
        : `the query failed clearly (${failure.split('\n')[0]}), its restart finished`,
    );
    assertExactlyOnce(rows);
    assert.deepEqual(await preparedGids(queryId), []);
  } finally {
    await deleteStream(stream);
  }
});

test('a NATS restart in the middle of a query: the source retries with backoff (or fails clearly and a restart finishes), every message once', async (t) => {
  if (!(await serversAvailable(t))) return;
  const binary = [
    process.env['KINDLING_TEST_NATS_SERVER'],
    '/usr/sbin/nats-server',
    '/usr/bin/nats-server',
    '/usr/local/bin/nats-server',
  ].find((path) => path !== undefined && existsSync(path));
  if (binary === undefined) {
    if (REQUIRED) throw new Error('CI=true requires nats-server (set KINDLING_TEST_NATS_SERVER to its path)');
    t.skip('skipped: no nats-server binary (set KINDLING_TEST_NATS_SERVER to its path)');
    return;
  }
  const port = await freePort();
  const store = freshDir('nats-store');
  const servers = `nats://127.0.0.1:${port}`;
  let server = await startNats(binary, port, store);
  try {
    const stream = uniqueName('NATSRESTART').toUpperCase();
    await createStream(
      stream,
      Array.from({ length: 100 }, (_, i) => ({ n: i })),
      undefined,
      servers,
    );
    const { rows, failure, queryId } = await runThroughRestart(servers, stream, async () => {
      await stopNats(server);
      server = await startNats(binary, port, store);
    });
    if (failure !== null) assert.match(failure, /ERR_STREAM_(SOURCE|QUERY_FAILED).*jetstream/s);
    console.log(
      failure === null
        ? 'the query rode out the restart'
        : `the query failed clearly (${failure.split('\n')[0]}), its restart finished`,
    );
    assertExactlyOnce(rows);
    assert.deepEqual(await preparedGids(queryId), []);
  } finally {
    await stopNats(server);
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

async function startNats(binary: string, port: number, store: string): Promise<ChildProcess> {
  const child = spawn(binary, ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', store], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (text.includes('Server is ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`nats-server exited with ${code}: ${text}`)));
  });
  return child;
}

async function stopNats(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
