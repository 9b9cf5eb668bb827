/**
 * The real PostgreSQL and NATS JetStream servers of the sink and source tests, found through the environment:
 *
 *   KINDLING_TEST_PG_URL     postgres://user:password@127.0.0.1:5432/db  (max_prepared_transactions > 0)
 *   KINDLING_TEST_NATS_URL   nats://127.0.0.1:4222                        (nats-server -js)
 *
 * Without a reachable server the tests skip with a message saying how to run them; with CI=true (set by .ci/run)
 * they fail instead. The README's Streaming section shows how to start both servers locally.
 *
 * Every test that uses them starts with `serversAvailable`, which also keeps a PostgreSQL restart of another test
 * file away from this process (postgres-restart-gate.ts).
 */
import type { TestContext } from 'node:test';
import pg from 'pg';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';

import { usePostgres } from './postgres-restart-gate.js';

export const PG_URL = process.env['KINDLING_TEST_PG_URL'];
export const NATS_URL = process.env['KINDLING_TEST_NATS_URL'];
const REQUIRED = process.env['CI'] === 'true';

const HOW_TO =
  'set KINDLING_TEST_PG_URL=postgres://user:pass@127.0.0.1:5432/db (a server with max_prepared_transactions > 0) and KINDLING_TEST_NATS_URL=nats://127.0.0.1:4222 (nats-server -js): see "Running the PostgreSQL and JetStream tests" in the README';

/** Why the servers cannot be used, or null when both answer. */
async function unreachable(): Promise<string | null> {
  if (PG_URL === undefined || NATS_URL === undefined)
    return 'KINDLING_TEST_PG_URL or KINDLING_TEST_NATS_URL is not set';
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const setting = await client.query<{ max_prepared_transactions: string }>('SHOW max_prepared_transactions');
    if (Number(setting.rows[0]?.max_prepared_transactions) <= 0)
      return 'the PostgreSQL server has max_prepared_transactions = 0';
  } catch (error: unknown) {
    return `no PostgreSQL at ${redact(PG_URL)}: ${String(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
  try {
    const nc = await connect({ servers: NATS_URL, timeout: 3000, reconnect: false });
    await nc.close();
  } catch (error: unknown) {
    return `no NATS server at ${NATS_URL}: ${String(error)}`;
  }
  return null;
}

let checked: Promise<string | null> | null = null;

/**
 * True when the servers answer. Otherwise skips the test (with how to run it) and returns false, or, in CI,
 * throws: these tests are required there.
 */
export async function serversAvailable(t: TestContext): Promise<boolean> {
  // Before the first connection: a PostgreSQL restart by another test file is waited out, and none starts after.
  if (PG_URL !== undefined) await usePostgres();
  const why = await (checked ??= unreachable());
  if (why === null) return true;
  if (REQUIRED) throw new Error(`CI=true requires the PostgreSQL and NATS test servers: ${why}`);
  t.skip(`skipped: ${why}; to run: ${HOW_TO}`);
  return false;
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//…@');
}

/** Runs `work` on a new PostgreSQL connection. */
export async function withPg<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** Runs `sql` and returns its rows. */
export function query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
  return withPg(async (client) => (await client.query<R>(sql, values)).rows);
}

/** The prepared transactions kindling left in the test database (every gid of ours starts with `kindling:`). */
export async function preparedGids(queryId: string): Promise<string[]> {
  // Only this query's: test files run two at a time, and another file's query may hold prepared transactions now.
  const rows = await query<{ gid: string }>(
    'SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND starts_with(gid, $1) ORDER BY gid',
    [`kindling:${queryId}:`],
  );
  return rows.map((row) => row.gid);
}

let namesMade = 0;

/**
 * A name unique to this process and call, for tables and streams: the process id and the time tell processes
 * apart (a pid is reused only after its process ended), a counter tells calls apart (no unseeded randomness).
 */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${namesMade++}`;
}

/** Creates a JetStream stream `name` on subjects `<name>.>` holding `payloads` (published in order). */
export async function createStream(
  name: string,
  payloads: readonly unknown[],
  subjectOf?: (i: number) => string,
  servers = NATS_URL,
): Promise<void> {
  const nc = await connect({ servers });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name, subjects: [`${name}.>`] });
    await publish(nc, name, payloads, subjectOf);
  } finally {
    await nc.close();
  }
}

/** Publishes more messages to the stream `name`. */
export async function publishMore(
  name: string,
  payloads: readonly unknown[],
  subjectOf?: (i: number) => string,
  servers = NATS_URL,
): Promise<void> {
  const nc = await connect({ servers });
  try {
    await publish(nc, name, payloads, subjectOf);
  } finally {
    await nc.close();
  }
}

async function publish(
  nc: NatsConnection,
  name: string,
  payloads: readonly unknown[],
  subjectOf?: (i: number) => string,
): Promise<void> {
  const js = jetstream(nc);
  for (let i = 0; i < payloads.length; i++) {
    const payload = payloads[i];
    const bytes =
      payload instanceof Uint8Array ? payload : typeof payload === 'string' ? payload : JSON.stringify(payload);
    await js.publish(subjectOf?.(i) ?? `${name}.events`, bytes);
  }
}

/** Deletes the stream `name` (if it exists). */
export async function deleteStream(name: string): Promise<void> {
  const nc = await connect({ servers: NATS_URL });
  try {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.delete(name).catch(() => false);
  } finally {
    await nc.close();
  }
}
