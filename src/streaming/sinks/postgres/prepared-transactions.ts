import type { Client } from 'pg';
import { batchOfGid, gidLiteral, queryGidPrefix } from './gid.js';

/** `undefined_object`: COMMIT/ROLLBACK PREPARED of a gid that is no longer prepared. */
const NO_SUCH_PREPARED_TRANSACTION = '42704';

/** The gids this query has prepared in the current database and not yet committed or rolled back. */
export async function listPreparedGids(client: Client, queryId: string): Promise<string[]> {
  const result = await client.query<{ gid: string }>(
    'SELECT gid FROM pg_prepared_xacts WHERE database = current_database() AND starts_with(gid, $1) ORDER BY gid',
    [queryGidPrefix(queryId)],
  );
  return result.rows.map((row) => row.gid);
}

/**
 * Commits `recorded` (the handles of the batch being committed) and rolls back every other transaction this query
 * left prepared: attempts that failed or were superseded, and leftovers of a crashed run. Idempotent: a recorded gid
 * that is no longer prepared was committed by an earlier try (it was recorded only after PREPARE succeeded, and
 * nothing else of ours rolls back a recorded gid).
 */
export async function settlePrepared(client: Client, queryId: string, recorded: ReadonlySet<string>): Promise<void> {
  const prepared = await listPreparedGids(client, queryId);
  for (const gid of prepared) {
    if (recorded.has(gid)) await finish(client, 'COMMIT PREPARED', gid);
  }
  for (const gid of prepared) {
    if (!recorded.has(gid)) await finish(client, 'ROLLBACK PREPARED', gid);
  }
}

/**
 * Rolls back what this query still has prepared for batches up to `lastCommitted`: those batches' recorded gids
 * are committed (so no longer listed), and anything else of theirs is a failed, superseded or straggling attempt's.
 * Gids of later batches stay: their handles may be recorded, and the next start commits them.
 */
export async function rollBackCommittedLeftovers(
  client: Client,
  queryId: string,
  lastCommitted: number,
): Promise<void> {
  for (const gid of await listPreparedGids(client, queryId)) {
    const batch = batchOfGid(gid, queryId);
    if (batch !== null && batch <= lastCommitted) await finish(client, 'ROLLBACK PREPARED', gid);
  }
}

async function finish(client: Client, command: 'COMMIT PREPARED' | 'ROLLBACK PREPARED', gid: string): Promise<void> {
  try {
    await client.query(`${command} ${gidLiteral(gid)}`);
  } catch (error: unknown) {
    // Gone between the listing and now (a concurrent settle of the same query): the outcome is already decided.
    if ((error as { code?: unknown }).code !== NO_SUCH_PREPARED_TRANSACTION) throw error;
  }
}
