/**
 * The PostgreSQL sink (`writeStream.format('postgres')`), a two-phase-commit sink with PostgreSQL as the outside
 * participant. Workers import this module to `prepare`; the driver calls `open`, `commit` and `abort`.
 *
 * - prepare (worker, one per partition task attempt): on its own connection, BEGIN, multi-row INSERTs (or upserts)
 *   of the partition's rows, then `PREPARE TRANSACTION '<gid>'` (gid.ts: query, batch, partition, attempt). The
 *   handle is the gid: the engine records all handles in `handles/N` (the commit decision).
 * - commit (driver): `COMMIT PREPARED` each recorded gid, `ROLLBACK PREPARED` every other gid of this query (failed
 *   or superseded attempts). Idempotent, so a restart rolls a recorded decision forward.
 * - abort (driver; before a batch is rerun, with handles []): `ROLLBACK PREPARED` everything this query prepared.
 *
 * Nothing but gids and row counts reaches the checkpoint: credentials stay in the `connection` option or in `PG*`.
 */
import type { Client } from 'pg';
import type { SinkCommitContext, TwoPhaseCommitSink } from '../../../protocol/sink.js';
import { MissingPackageError, StreamingQueryError } from '../../../common/errors.js';
import { gidLiteral, gidOf } from './gid.js';
import { insertStatements } from './insert-statements.js';
import { withClient } from './pg-client.js';
import type { ResolvedPostgresSinkOptions } from './postgres-options.js';
import { rollBackCommittedLeftovers, settlePrepared } from './prepared-transactions.js';
import { quoteTableName } from './sql-values.js';

/** A prepared partition: its transaction's gid and how many rows it wrote. */
export interface PostgresSinkHandle {
  readonly gid: string;
  readonly rows: number;
}

function optionsOf(context: { readonly options: Readonly<Record<string, unknown>> }): ResolvedPostgresSinkOptions {
  return context.options as unknown as ResolvedPostgresSinkOptions;
}

export const postgresSink: TwoPhaseCommitSink<PostgresSinkHandle | null> = {
  async open(context) {
    const options = optionsOf(context);
    await withClient(options.connection, options.retryMs, async (client) => {
      const setting = await client.query<{ max_prepared_transactions: string }>('SHOW max_prepared_transactions');
      if (Number(setting.rows[0]?.max_prepared_transactions ?? 0) <= 0) {
        throw sinkError(
          `the PostgreSQL server has max_prepared_transactions = 0, so it cannot take part in two-phase commit: set max_prepared_transactions > 0 (at least the number of sink partitions) in postgresql.conf and restart the server`,
        );
      }
      // Quoted as the INSERTs quote it, so the check and the writes name the same table (case kept).
      const found = await client.query<{ regclass: string | null }>('SELECT to_regclass($1)::text AS regclass', [
        quoteTableName(options.table),
      ]);
      if (found.rows[0]?.regclass === null || found.rows[0]?.regclass === undefined) {
        throw sinkError(
          `the table ${options.table} does not exist in the database: create it first (the sink maps record fields to its columns)`,
        );
      }
    }).catch((error: unknown) => {
      throw error instanceof StreamingQueryError || error instanceof MissingPackageError
        ? error
        : connectionError(options, 'open the sink', error);
    });
  },

  async prepare(batchId, partition, rows, context) {
    if (rows.length === 0) return null;
    const options = optionsOf(context);
    let statements: ReturnType<typeof insertStatements>;
    try {
      statements = insertStatements(options.table, rows, options.mode);
    } catch (error: unknown) {
      throw sinkError(
        `batch ${batchId}, partition ${partition}: cannot write the records to ${options.table}: ${messageOf(error)}`,
        error,
      );
    }
    const gid = gidOf(context.queryId, batchId, partition, context.attempt);
    try {
      await withClient(options.connection, options.retryMs, async (client) => {
        await client.query('BEGIN');
        try {
          await client.query(`SET LOCAL lock_timeout = ${Math.round(options.lockTimeoutMs)}`);
          for (const statement of statements) await client.query(statement.text, statement.values);
          await client.query(`PREPARE TRANSACTION ${gidLiteral(gid)}`);
        } catch (error: unknown) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      });
    } catch (error: unknown) {
      throw sinkError(
        `batch ${batchId}, partition ${partition}, attempt ${context.attempt}: writing ${rows.length} rows into ${options.table} failed: ${messageOf(error)}${hintOf(error)}`,
        error,
      );
    }
    return { gid, rows: rows.length };
  },

  async commit(batchId, handles, context) {
    const recorded = new Set(handles.flatMap((handle) => (handle === null ? [] : [handle.gid])));
    await settle(context, `commit batch ${batchId}`, recorded);
  },

  async abort(batchId, _handles, context) {
    // Whatever this query prepared and did not commit is not needed: batches before this one are committed, and
    // this one is about to be rerun (or the query stops). Recorded handles of this batch are never passed here.
    await settle(context, `abort batch ${batchId}`, new Set());
  },

  async close(lastCommitted, context) {
    // A task attempt still running when its batch committed may PREPARE afterwards; its transaction holds row
    // locks until someone rolls it back. The next batch's commit would; at the end of the query, this does.
    if (lastCommitted < 0) return;
    const options = optionsOf(context);
    await withClient(options.connection, options.retryMs, (client: Client) =>
      rollBackCommittedLeftovers(client, context.queryId, lastCommitted),
    );
  },
};

async function settle(context: SinkCommitContext, what: string, recorded: ReadonlySet<string>): Promise<void> {
  const options = optionsOf(context);
  try {
    await withClient(options.connection, options.retryMs, (client: Client) =>
      settlePrepared(client, context.queryId, recorded),
    );
  } catch (error: unknown) {
    throw error instanceof MissingPackageError ? error : connectionError(options, what, error);
  }
}

function connectionError(options: ResolvedPostgresSinkOptions, what: string, error: unknown): StreamingQueryError {
  return sinkError(
    `cannot ${what} in PostgreSQL (table ${options.table}; retried for ${options.retryMs} ms): ${messageOf(error)}. Restart the query once the server is back: its checkpoint makes the restart exact`,
    error,
  );
}

function sinkError(message: string, cause?: unknown): StreamingQueryError {
  return new StreamingQueryError('ERR_STREAM_SINK', `postgres sink: ${message}`, { cause });
}

function messageOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const text = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${text} [${code}]` : text;
}

function hintOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '55P03') {
    return ' (lock timeout: in upsert mode each key must be written by one partition of a batch, e.g. after reduceByKey or updateStateByKey on that key)';
  }
  return '';
}
