/**
 * Global transaction ids of the PostgreSQL sink. `PREPARE TRANSACTION` takes a gid of at most 200 bytes that is
 * unique across the server; ours name the query, the batch, the partition and the task attempt, so a restart can
 * find everything one query prepared (`pg_prepared_xacts` by prefix) and tell batches apart:
 *
 *   kindling:<queryId>:<batchId>:<partition>:<attempt>
 */

/** Every gid of one query starts with this. */
export function queryGidPrefix(queryId: string): string {
  return `kindling:${queryId}:`;
}

/** The gid of one task attempt's transaction. */
export function gidOf(queryId: string, batchId: number, partition: number, attempt: number): string {
  return `${queryGidPrefix(queryId)}${batchId}:${partition}:${attempt}`;
}

/** The batch a gid of query `queryId` belongs to, or null for a gid that is not one of this query's. */
export function batchOfGid(gid: string, queryId: string): number | null {
  const prefix = queryGidPrefix(queryId);
  if (!gid.startsWith(prefix)) return null;
  const batch = Number(gid.slice(prefix.length).split(':')[0]);
  return Number.isSafeInteger(batch) ? batch : null;
}

/**
 * The gid as an SQL string literal: `PREPARE TRANSACTION` and `COMMIT PREPARED` take no parameters. Gids are ours
 * (a UUID and numbers), so quoting is a safeguard, not an escape of user text.
 */
export function gidLiteral(gid: string): string {
  return `'${gid.replaceAll("'", "''")}'`;
}
