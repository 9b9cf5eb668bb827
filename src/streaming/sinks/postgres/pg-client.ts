import type { Client, ClientConfig } from 'pg';
import { MissingPackageError } from '../../../common/errors.js';
import { retryWithBackoff } from '../../../common/retry-with-backoff.js';

/** The part of `pg` this sink uses. */
interface PgModule {
  readonly Client: typeof Client;
}

let loaded: Promise<PgModule> | null = null;

/** The optional `pg` package, imported on first use (it is a peer dependency: only this sink needs it). */
export function loadPg(): Promise<PgModule> {
  loaded ??= import('pg')
    .then((module) => ((module as { default?: PgModule }).default ?? module) as PgModule)
    .catch((error: unknown) => {
      loaded = null;
      throw new MissingPackageError("format('postgres')", 'pg', { cause: error });
    });
  return loaded;
}

/**
 * Connection settings: the `connection` option (a `postgres://` URL) or, without it, `pg`'s own reading of the
 * standard `PG*` environment variables. Nothing else: credentials never come from (or go to) the checkpoint.
 */
export function clientConfigOf(connection: string | undefined): ClientConfig {
  return connection === undefined ? {} : { connectionString: connection };
}

/** SQLSTATE classes and socket errors after which a new connection may succeed (a server restart, a failover). */
export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') {
    // pg reports a socket closed under a query as a plain Error without a code.
    const message = error instanceof Error ? error.message : '';
    return /Connection terminated|connection error|Client has encountered a connection error/i.test(message);
  }
  return (
    code.startsWith('08') || // connection exceptions
    code === '57P01' || // admin_shutdown
    code === '57P02' || // crash_shutdown
    code === '57P03' || // cannot_connect_now (starting up)
    ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)
  );
}

/**
 * Runs `work` on a fresh connection, closed afterwards. A transient failure (see `isTransient`) is retried on a new
 * connection with doubling waits until `retryMs` have passed; then, or on any other error, the error is thrown.
 * `work` must be safe to run again (our prepare and commit steps are).
 */
export async function withClient<T>(
  connection: string | undefined,
  retryMs: number,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const pg = await loadPg();
  return retryWithBackoff(
    retryMs,
    async () => {
      const client = new pg.Client(clientConfigOf(connection));
      // An idle client whose server goes away emits 'error'; without a listener that would crash the process.
      client.on('error', () => {});
      try {
        await client.connect();
        return await work(client);
      } finally {
        await client.end().catch(() => {});
      }
    },
    isTransient,
  );
}
